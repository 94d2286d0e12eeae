# %% bfgs_update
def bfgs_update(H, s, y):
    assert s @ y > 0, "curvature condition fails"               # AssertionError, not ValueError
    rho = 1 / (s @ y)
    I = np.eye(len(s))
    return (I - rho * np.outer(s, y)) @ H @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s)
