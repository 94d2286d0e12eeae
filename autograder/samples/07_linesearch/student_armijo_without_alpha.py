# %% backtracking
def backtracking(f, grad, x, p, alpha0, rho, c1):
    fx = f(x)
    slope = grad(x) @ p
    if slope >= 0:
        raise ValueError("not a descent direction")
    alpha = alpha0
    for _ in range(100):
        if f(x + alpha * p) <= fx + c1 * slope:          # alpha forgotten in the sufficient decrease
            return alpha
        alpha *= rho
    raise RuntimeError("no step found")
