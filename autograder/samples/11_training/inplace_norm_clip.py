# %% clipping
def clip_by_norm(g, threshold):
    norm = np.linalg.norm(g)
    if norm > threshold:
        g *= threshold / norm                    # rescales the caller's array
    return g


def clip_by_value(g, threshold):
    return np.minimum(np.maximum(g, -threshold), threshold)
