# %% convexity_scan
def smallest_hessian_eigenvalue(hess, points):
    mins = [np.linalg.eigvalsh(0.5 * (hess(p) + hess(p).T))[0] for p in points]
    return float(np.min(mins))


def is_convex_on_samples(hess, points, tol=1e-8):
    lowest = smallest_hessian_eigenvalue(hess, points)
    if lowest < -tol:
        return False
    else:
        return True

# %% + test_convexity_scan_visible
print(lam, hess_bilinear(pts[1]))
for p in pts:
    print(p, np.linalg.eigvalsh(hess_bilinear(p)))

# %% smoothness_constants
def smoothness_constants(X):
    U, S, Vt = np.linalg.svd(X, full_matrices=False)
    n = X.shape[0]
    return S[0] ** 2 / n, S[-1] ** 2 / n, S[0] ** 2 / S[-1] ** 2

# %% + test_smoothness_constants_visible
print("L, m, kappa for the visible example:", L, m, kappa)

# %% gd_rate
def gd_rate(X, y, theta0, L, num_steps):
    n = X.shape[0]
    sol = np.linalg.lstsq(X, y, rcond=None)
    theta_star = sol[0]
    th = theta0 + 0.0
    for k in range(num_steps):
        th = th - (X.T.dot(X.dot(th) - y) / n) / L
    def C(t):
        return 0.5 / n * np.linalg.norm(X @ t - y) ** 2
    return ((C(th) - C(theta_star)) / (C(theta0) - C(theta_star))) ** (1 / num_steps)

# %% + test_gd_rate_visible
print("rates:", q, q1)

# %% descent_lemma_slack
def descent_lemma_slack(costs, grads, eta, L):
    c = np.asarray(costs, dtype=float)
    G = np.asarray(grads, dtype=float)
    return np.array([c[t] - eta * (1 - L * eta / 2) * np.dot(G[t], G[t]) - c[t + 1] for t in range(len(c) - 1)])

# %% + test_descent_lemma_slack_visible
print(s, s2)
