# %% newton
def newton_step(g, H):
    return np.linalg.solve(H, -g)


def newton_iterates(grad, hess, x0, tol=1e-10, max_iter=50):
    xs = [x0]
    for _ in range(max_iter):
        if np.linalg.norm(grad(xs[-1])) <= tol:
            break
        xs.append(xs[-1] + newton_step(grad(xs[-1]), hess(xs[-1])))
    return np.array(xs)

# %% classify
def classify_stationary_point(H, tol=1e-8):
    d = np.diag(H)
    if np.all(d > tol):
        return "minimum"
    if np.all(d < -tol):
        return "maximum"
    if np.any(d > tol) and np.any(d < -tol):
        return "saddle"
    return "inconclusive"

# %% stability
def max_stable_learning_rate(A):
    return 2 / np.max(np.diag(A))


def gd_iterates(grad, x0, lr, num_steps):
    xs = [x0]
    for _ in range(num_steps):
        xs.append(xs[-1] - lr * grad(xs[-1]))
    return np.array(xs)

# %% taylor
def taylor_error_ratio(f, grad, hess, x, d):
    return abs(f(x + d) - f(x) - grad(x) @ d - d @ hess(x) @ d) / (d @ d)
