# %% clipping
def clip_by_norm(g, threshold):
    g = np.array(g, dtype=float)
    scale = min(1.0, threshold / np.sqrt(np.sum(g * g))) if np.any(g) else 1.0
    return scale * g


def clip_by_value(g, threshold):
    return np.minimum(g, threshold)              # source 003's formula: clips from above only
