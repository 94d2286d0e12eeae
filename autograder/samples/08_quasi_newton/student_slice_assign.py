# %% bfgs_update
def bfgs_update(H, s, y):
    H = np.asarray(H, dtype=float)                              # (not a copy: H is already a float array)
    if s @ y <= 0:
        raise ValueError("curvature condition fails")
    rho = 1.0 / (s @ y)
    I = np.eye(len(s))
    H[:] = (I - rho * np.outer(s, y)) @ H @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s)
    return H
