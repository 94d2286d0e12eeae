# %% backtracking
def backtracking(f, grad, x, p, alpha0, rho, c1):
    fx = f(x)
    slope = grad(x) @ p
    if slope >= 0:
        raise ValueError("not a descent direction")
    alpha = alpha0
    while f(x + alpha * p) > fx + c1 * alpha * slope:     # no limit on the trials
        alpha *= rho
    return alpha
