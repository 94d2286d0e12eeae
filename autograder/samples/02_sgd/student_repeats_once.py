# %% unbiased
def minibatch_gradient(X, y, theta, idx):
    mask = np.isin(np.arange(len(y)), idx)          # a repeated index is selected once only
    r = X[mask] @ theta - y[mask]
    return X[mask].T @ r / mask.sum()


def monte_carlo_gradient(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    grads = np.array([minibatch_gradient(X, y, theta, rng.choice(len(y), batch_size, replace=False))
                      for _ in range(num_draws)])
    return grads.mean(axis=0), grads.std(axis=0, ddof=1) / np.sqrt(num_draws)

# %% variance
def gradient_variance(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    n = len(y)
    G = (X @ theta - y)[:, None] * X
    total = 0.0
    for _ in range(num_draws):
        dev = G[rng.integers(0, n, batch_size)].mean(axis=0) - G.mean(axis=0)
        total += dev @ dev
    return total / num_draws


def variance_slope(batch_sizes, variances):
    return np.polyfit(np.log(batch_sizes), np.log(variances), 1)[0]
