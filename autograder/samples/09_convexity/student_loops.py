# %% convexity_scan
def smallest_hessian_eigenvalue(hess, points):
    smallest = None
    for i in range(len(points)):
        H = np.array(hess(points[i]), dtype=float)
        lams = np.linalg.eigvalsh(H)
        for lam in lams:
            if smallest is None or lam < smallest:
                smallest = lam
    return float(smallest)


def is_convex_on_samples(hess, points, tol=1e-8):
    for i in range(len(points)):
        if np.linalg.eigvalsh(hess(points[i])).min() < -tol:
            return False
    return True

# %% smoothness_constants
def smoothness_constants(X):
    n, D = X.shape
    sv = np.linalg.svd(X, compute_uv=False)
    largest, smallest = sv[0], sv[0]
    for s in sv:
        largest = max(largest, s)
        smallest = min(smallest, s)
    L = largest * largest / n
    m = smallest * smallest / n
    kappa = (largest / smallest) ** 2
    return (L, m, kappa)

# %% gd_rate
def gd_rate(X, y, theta0, L, num_steps):
    n, D = X.shape

    def C(theta):
        total = 0.0
        for i in range(n):
            r = X[i] @ theta - y[i]
            total += r * r
        return total / (2 * n)

    theta_star, *_ = np.linalg.lstsq(X, y, rcond=None)
    theta = [float(v) for v in theta0]
    theta = np.array(theta)
    for step in range(num_steps):
        g = np.zeros(D)
        for i in range(n):
            g += (X[i] @ theta - y[i]) * X[i]
        theta = theta - (g / n) / L
    g0 = C(np.array(theta0, dtype=float)) - C(theta_star)
    gT = C(theta) - C(theta_star)
    return (gT / g0) ** (1.0 / num_steps)

# %% descent_lemma_slack
def descent_lemma_slack(costs, grads, eta, L):
    out = []
    for t in range(len(costs) - 1):
        norm_sq = 0.0
        for gi in np.ravel(grads[t]):
            norm_sq += gi * gi
        out.append(costs[t] - eta * (1 - L * eta / 2) * norm_sq - costs[t + 1])
    return np.array(out)
