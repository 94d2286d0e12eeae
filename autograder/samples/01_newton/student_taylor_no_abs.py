# %% taylor
def taylor_error_ratio(f, grad, hess, x, d):
    model = f(x) + grad(x) @ d + 0.5 * d @ hess(x) @ d
    return (f(x + d) - model) / (d @ d)    # the absolute value is missing
