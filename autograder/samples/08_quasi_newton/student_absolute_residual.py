# %% checks
def secant_residual(H, s, y):
    return np.linalg.norm(H @ y - s)                             # not divided by ||s||


def is_positive_definite(H):
    if not np.allclose(H, H.T, rtol=1e-10, atol=0):
        return False
    return bool(np.linalg.eigvalsh(H).min() > 0)
