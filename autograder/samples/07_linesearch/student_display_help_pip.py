# %% + imports
!pip install tqdm

# %% wolfe_conditions
def wolfe_conditions(f, grad, x, p, alpha, c1, c2, strong):
    d0 = grad(x) @ p
    da = grad(x + alpha * p) @ p
    ok1 = f(x + alpha * p) <= f(x) + c1 * alpha * d0
    ok2 = abs(da) <= c2 * abs(d0) if strong else da >= c2 * d0
    return bool(ok1), bool(ok2)

help(wolfe_conditions)

# %% + test_exact_steepest_descent_visible
display(xs)

# %% zigzag
