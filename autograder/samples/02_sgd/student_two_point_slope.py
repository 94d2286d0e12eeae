# %% variance
def gradient_variance(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    full = X.T @ (X @ theta - y) / len(y)
    sq = [np.sum((minibatch_gradient(X, y, theta, rng.integers(0, len(y), batch_size)) - full) ** 2)
          for _ in range(num_draws)]
    return float(np.mean(sq))


def variance_slope(batch_sizes, variances):
    # rise over run on log-log axes, from the first to the last point
    return (np.log(variances[-1]) - np.log(variances[0])) / (np.log(batch_sizes[-1]) - np.log(batch_sizes[0]))
