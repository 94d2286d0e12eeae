# %% taylor
def taylor_error_ratio(f, grad, hess, x, d):
    model = f(x) + grad(x) @ d + 0.5 * d @ hess(x) @ d
    return abs(f(x + d) - model) / np.linalg.norm(d)   # |d| instead of |d|^2
