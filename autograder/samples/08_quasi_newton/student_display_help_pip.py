# %% + imports
!pip install tqdm

# %% bfgs_update
def bfgs_update(H, s, y):
    """BFGS update of the inverse Hessian approximation (NW 6.17)."""
    ys = y @ s
    if ys <= 0:
        raise ValueError("curvature condition s^T y > 0 violated")
    rho = 1 / ys
    I = np.eye(len(s))
    return (I - rho * np.outer(s, y)) @ H @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s)

help(bfgs_update)

# %% + test_bfgs_update_visible
display(H_new)
