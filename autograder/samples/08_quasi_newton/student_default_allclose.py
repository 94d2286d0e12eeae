# %% checks
def secant_residual(H, s, y):
    return np.linalg.norm(H @ y - s) / np.linalg.norm(s)


def is_positive_definite(H):
    if not np.allclose(H, H.T):                                  # default rtol 1e-5, not 1e-10
        return False
    return bool(np.min(np.linalg.eigvalsh(H)) > 0)
