# %% bfgs_update
def bfgs_update(H, s, y):
    rho = 1 / (y @ s)                                    # no check of s^T y > 0
    I = np.eye(len(s))
    return (I - rho * np.outer(s, y)) @ H @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s)
