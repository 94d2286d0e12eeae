# %% newton
def newton_step(g, H)
    return np.linalg.solve(H, -g)

# %% classify
def classify_stationary_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    if (lam > tol).any() and (lam < -tol).any():
        return "saddle"
    if (lam > tol).all():
        return "minimum"
    if (lam < -tol).all():
        return "maximum"
    return "inconclusive"

# %% stability
def max_stable_learning_rate(A):
    return 2 / np.linalg.eigvalsh(A)[-1] + undefined_name


def gd_iterates(grad, x0, lr, num_steps):
    raise RuntimeError("not finished")

# %% taylor
def taylor_error_ratio(f, grad, hess, x, d):
    return abs(f(x + d) - f(x) - grad(x) @ d - 0.5 * d @ hess(x) @ d) / (d @ d) / 0
