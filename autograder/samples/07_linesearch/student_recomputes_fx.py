# %% backtracking
def backtracking(f, grad, x, p, alpha0, rho, c1):
    if grad(x) @ p >= 0:
        raise ValueError("not a descent direction")
    alpha = alpha0
    for _ in range(100):
        if f(x + alpha * p) <= f(x) + c1 * alpha * (grad(x) @ p):     # f(x) and the slope at every trial
            return alpha
        alpha *= rho
    raise RuntimeError("no step found")
