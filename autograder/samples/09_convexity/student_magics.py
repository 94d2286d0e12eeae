# %% convexity_scan
%matplotlib inline
import matplotlib.pyplot as plt


def smallest_hessian_eigenvalue(hess, points):
    return float(min(np.linalg.eigvalsh(hess(p)).min() for p in points))


def is_convex_on_samples(hess, points, tol=1e-8):
    return smallest_hessian_eigenvalue(hess, points) >= -tol

# %% + test_convexity_scan_visible
ws = np.linspace(-2, 2, 41)
lam = [smallest_hessian_eigenvalue(hess_bilinear, [[w, w]]) for w in ws]
plt.plot(ws, lam)
plt.axhline(0, color="k")
plt.title("smallest eigenvalue of the Hessian along w1 = w2")
plt.show()

# %% smoothness_constants
%%time
def smoothness_constants(X):
    X = np.asarray(X, dtype=float)
    sigma = np.linalg.svd(X / np.sqrt(X.shape[0]), compute_uv=False)
    return sigma[0] ** 2, sigma[-1] ** 2, (sigma[0] / sigma[-1]) ** 2

# %% + smoothness_constants
%timeit smoothness_constants(np.random.default_rng(0).normal(size=(500, 10)))

# %% gd_rate
def gd_rate(X, y, theta0, L, num_steps):
    n = len(y)
    theta_star = np.linalg.solve(X.T @ X, X.T @ y)
    cost = lambda th: np.mean((X @ th - y) ** 2) / 2
    theta = np.copy(theta0)
    costs = [cost(theta)]
    for _ in range(num_steps):
        theta = theta - (1 / L) * X.T @ (X @ theta - y) / n
        costs.append(cost(theta))
    gaps = np.array(costs) - cost(theta_star)
    return (gaps[-1] / gaps[0]) ** (1 / num_steps)

# %% descent_lemma_slack
def descent_lemma_slack(costs, grads, eta, L):
    costs = np.array(costs, dtype=float)
    norms = np.linalg.norm(np.array(grads, dtype=float), axis=1)
    return costs[:-1] - costs[1:] - eta * (1 - L * eta / 2) * norms[:-1] ** 2
