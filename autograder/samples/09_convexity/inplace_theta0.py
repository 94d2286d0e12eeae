# %% gd_rate
def gd_rate(X, y, theta0, L, num_steps):
    n = X.shape[0]
    cost = lambda t: np.sum((X @ t - y) ** 2) / (2 * n)
    c_star = cost(np.linalg.lstsq(X, y, rcond=None)[0])
    gap0 = cost(theta0) - c_star
    theta = theta0
    for t in range(num_steps):
        theta -= X.T @ (X @ theta - y) / (n * L)
    return ((cost(theta) - c_star) / gap0) ** (1 / num_steps)
