# %% wolfe_conditions
def wolfe_conditions(f, grad, x, p, alpha, c1, c2, strong):
    g = grad(x)                                         # used for phi'(alpha) too
    dphi0 = g @ p
    armijo = f(x + alpha * p) <= f(x) + c1 * alpha * dphi0
    dphi = g @ p
    if strong:
        curvature = abs(dphi) <= c2 * abs(dphi0)
    else:
        curvature = dphi >= c2 * dphi0
    return bool(armijo), bool(curvature)
