# %% convexity_scan
def smallest_hessian_eigenvalue(hess, points):
    values = []
    for p in np.asarray(points, dtype=float):
        H = hess(p)
        values.append(np.linalg.eigh(H)[0].min())
    return float(np.min(values))


def is_convex_on_samples(hess, points, tol=1e-8):
    return not smallest_hessian_eigenvalue(hess, points) < -tol

# %% smoothness_constants
def smoothness_constants(X):
    n = len(X)
    s = np.linalg.svd(X)[1]
    L = s.max() ** 2 / n
    m = s.min() ** 2 / n
    return L, m, L / m

# %% gd_rate
def gd_rate(X, y, theta0, L, num_steps):
    n = X.shape[0]
    H = X.T @ X / n
    theta_star = np.linalg.lstsq(X, y, rcond=None)[0]

    def gap(t):
        e = t - theta_star
        return 0.5 * e @ H @ e

    theta = theta0.copy()
    for t in range(num_steps):
        grad = X.T @ (X @ theta - y) / n
        theta = theta - grad / L
    return (gap(theta) / gap(theta0)) ** (1 / num_steps)

# %% gd_rate_compare
rng = np.random.default_rng(1)
X_r = rng.normal(size=(60, 3))
y_r = rng.normal(size=60)
L_r, m_r, _ = smoothness_constants(X_r)
print(gd_rate(X_r, y_r, np.zeros(3), L_r, 50), 1 - m_r / L_r)

# %% descent_lemma_slack
def descent_lemma_slack(costs, grads, eta, L):
    costs = np.asarray(costs, dtype=float)
    g = np.asarray(grads, dtype=float)
    sq = np.einsum("ij,ij->i", g, g)
    bound = costs - eta * (1 - 0.5 * L * eta) * sq
    return bound[:-1] - costs[1:]
