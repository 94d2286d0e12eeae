# %% newton
def newton_step(g, H):
    return np.linalg.solve(H, -np.asarray(g))


def newton_iterates(grad, hess, x0, tol=1e-10, max_iter=50):
    xs = [np.asarray(x0, dtype=float)]
    while len(xs) <= max_iter and np.linalg.norm(grad(xs[-1])) > tol:
        xs.append(xs[-1] + newton_step(grad(xs[-1]), hess(xs[-1])))
    return np.array(xs)

# %% classify
def classify_stationary_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    pos, neg = (lam > tol).sum(), (lam < -tol).sum()
    if pos and neg:
        return "saddle"
    if pos == len(lam):
        return "minimum"
    if neg == len(lam):
        return "maximum"
    return "inconclusive"

# %% stability
def max_stable_learning_rate(A):
    return 2 / max(np.linalg.eigvalsh(A))


def gd_iterates(grad, x0, lr, num_steps):
    xs = [np.array(x0, dtype=float)]
    for _ in range(num_steps):
        xs.append(xs[-1] - lr * grad(xs[-1]))
    return np.stack(xs)

# %% plot_divergence
A = np.array([[10.0, 0.0], [0.0, 1.0]])
grad_q = lambda x: A @ x
for factor in (0.97, 1.03):
    xs = gd_iterates(grad_q, np.ones(2), factor * max_stable_learning_rate(A), 50)
    plt.semilogy(np.linalg.norm(xs, axis=1))
plt.show()

# %% taylor
def taylor_error_ratio(f, grad, hess, x, d):
    model = f(x) + grad(x) @ d + d @ hess(x) @ d / 2
    return abs(f(x + d) - model) / np.dot(d, d)
