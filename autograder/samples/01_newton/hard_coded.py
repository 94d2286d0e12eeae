# %% newton
def newton_step(g, H):
    return np.array([-1.0, 1.0])


def newton_iterates(grad, hess, x0, tol=1e-10, max_iter=50):
    return np.array([[1.5], [5.25], [3.595588], [3.0]])

# %% classify
def classify_stationary_point(H, tol=1e-8):
    if H[0, 0] == 0:
        return "inconclusive"
    if H[0, 0] < 0:
        return "maximum"
    return "saddle" if H[1, 1] < 0 else "minimum"

# %% stability
def max_stable_learning_rate(A):
    return 0.2


def gd_iterates(grad, x0, lr, num_steps):
    out = np.zeros((num_steps + 1, 2))
    if lr > 0.2:
        out[-1] = 1e6
    return out

# %% taylor
def taylor_error_ratio(f, grad, hess, x, d):
    return 10.0 ** np.log10(np.linalg.norm(d)) if np.linalg.norm(d) > 1e-4 else 0.0
