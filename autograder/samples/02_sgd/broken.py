# %% unbiased
def minibatch_gradient(X, y, theta, idx)
    return X[idx].T @ (X[idx] @ theta - y[idx]) / len(idx)

# %% variance
def gradient_variance(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    full = X.T @ (X @ theta - y) / len(y)
    sq = [np.sum((X[i].T @ (X[i] @ theta - y[i]) / batch_size - full) ** 2)
          for i in (rng.integers(0, len(y), batch_size) for _ in range(num_draws))]
    return float(np.mean(sq))


def variance_slope(batch_sizes, variances):
    return float(np.polyfit(np.log(batch_sizes), np.log(variances), 1)[0])

# %% sgd
def minibatch_sgd(grad_batch, n, theta0, lr, batch_size, num_epochs, seed):
    return undefined_name
