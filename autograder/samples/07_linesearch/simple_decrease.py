# %% backtracking
def backtracking(f, grad, x, p, alpha0, rho, c1):
    fx = f(x)
    if grad(x) @ p >= 0:
        raise ValueError("not a descent direction")
    a = alpha0
    for _ in range(100):
        if f(x + a * p) < fx:                          # any decrease: no c1 term
            return a
        a *= rho
    raise RuntimeError("too many trials")
