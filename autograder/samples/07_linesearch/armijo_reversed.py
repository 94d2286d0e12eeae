# %% backtracking
def backtracking(f, grad, x, p, alpha0, rho, c1):
    fx, dd = f(x), grad(x) @ p
    if dd >= 0:
        raise ValueError("not a descent direction")
    a = alpha0
    for _ in range(100):
        if f(x + a * p) >= fx + c1 * a * dd:          # reversed
            return a
        a *= rho
    raise RuntimeError("too many trials")
