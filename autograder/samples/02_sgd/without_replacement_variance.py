# %% variance
def gradient_variance(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    full = X.T @ (X @ theta - y) / len(y)
    sq = [np.sum((minibatch_gradient(X, y, theta, rng.choice(len(y), batch_size, replace=False)) - full) ** 2)
          for _ in range(num_draws)]
    return float(np.mean(sq))


def variance_slope(batch_sizes, variances):
    slope, intercept = np.polyfit(np.log(batch_sizes), np.log(variances), 1)
    return slope
