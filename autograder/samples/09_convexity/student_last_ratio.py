# %% gd_rate
def gd_rate(X, y, theta0, L, num_steps):
    n = X.shape[0]
    cost = lambda t: np.sum((X @ t - y) ** 2) / (2 * n)
    c_star = cost(np.linalg.lstsq(X, y, rcond=None)[0])
    theta = np.array(theta0, dtype=float)
    gaps = [cost(theta) - c_star]
    for _ in range(num_steps):
        theta = theta - X.T @ (X @ theta - y) / (n * L)
        gaps.append(cost(theta) - c_star)
    return gaps[-1] / gaps[-2]
