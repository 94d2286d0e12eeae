# %% bfgs_update
def bfgs_update(H, s, y):
    sy = s @ y
    if sy <= 0:
        raise ValueError("curvature condition fails: s^T y <= 0")
    rho = 1 / sy
    Hy = H @ y
    H -= rho * (np.outer(s, Hy) + np.outer(Hy, s))           # updates the caller's H in place
    H += (rho ** 2 * (y @ Hy) + rho) * np.outer(s, s)
    return H
