# %% unbiased
def minibatch_gradient(X, y, theta, idx):
    idx = np.asarray(idx)
    r = X[idx] @ theta - y[idx]
    return (r[:, None] * X[idx]).mean(axis=0)


def monte_carlo_gradient(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    grads = np.array([minibatch_gradient(X, y, theta, rng.choice(len(y), batch_size, replace=False))
                      for _ in range(num_draws)])
    return grads.mean(axis=0), grads.std(axis=0, ddof=1) / np.sqrt(num_draws)

# %% + unbiased
help(monte_carlo_gradient)

# %% variance
display(full1)          # the full gradient of the data above (defined by the locked data cell)


def gradient_variance(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    full = X.T @ (X @ theta - y) / len(y)
    sq = [np.sum((minibatch_gradient(X, y, theta, rng.integers(0, len(y), batch_size)) - full) ** 2)
          for _ in range(num_draws)]
    return float(np.mean(sq))


def variance_slope(batch_sizes, variances):
    slope, intercept = np.polyfit(np.log(batch_sizes), np.log(variances), 1)
    return slope


display(variance_slope([1, 2, 4], [1.0, 0.5, 0.25]))
