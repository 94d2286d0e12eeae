# %% gd_rate
def gd_rate(X, y, theta0, L, num_steps):
    n = X.shape[0]
    theta_star = np.linalg.lstsq(X, y, rcond=None)[0]
    theta = theta0.copy()
    for t in range(num_steps):
        theta = theta - X.T @ (X @ theta - y) / (n * L)
    return (np.linalg.norm(theta - theta_star) / np.linalg.norm(theta0 - theta_star)) ** (1 / num_steps)
