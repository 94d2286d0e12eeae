# %% backtracking
def backtracking(f, grad, x, p, alpha0, rho, c1):
    fx = f(x)
    slope = grad(x) @ p
    if slope > 0:                                  # a zero slope slips through
        raise ValueError("p is an ascent direction")
    alpha = alpha0
    for _ in range(100):
        if f(x + alpha * p) <= fx + c1 * alpha * slope:
            return alpha
        alpha *= rho
    raise RuntimeError("no step found")
