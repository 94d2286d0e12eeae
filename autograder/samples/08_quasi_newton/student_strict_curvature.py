# %% bfgs_update
def bfgs_update(H, s, y):
    ys = y @ s
    if ys < 0:                                                   # lets s^T y = 0 through
        raise ValueError("negative curvature: s^T y < 0")
    rho = 1 / ys
    Hy = H @ y
    return (H - rho * (np.outer(s, Hy) + np.outer(Hy, s))
            + (rho ** 2 * (y @ Hy) + rho) * np.outer(s, s))
