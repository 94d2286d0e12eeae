# %% bfgs_update
def bfgs_update(H, s, y):
    if s @ y <= 0:
        raise ValueError("curvature condition fails")
    rho = 1 / (s @ s)                                    # the wrong vectors
    I = np.eye(len(s))
    return (I - rho * np.outer(s, y)) @ H @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s)
