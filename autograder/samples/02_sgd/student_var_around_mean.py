# %% variance
def gradient_variance(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    n = len(y)
    grads = np.array([minibatch_gradient(X, y, theta, rng.integers(0, n, batch_size)) for _ in range(num_draws)])
    return float(np.var(grads, axis=0).sum())      # trace of the covariance, around the mean of the draws


def variance_slope(batch_sizes, variances):
    slope, intercept = np.polyfit(np.log(batch_sizes), np.log(variances), 1)
    return slope
