# %% unbiased
def minibatch_gradient(X, y, theta, idx):
    Xb = X[idx]
    return Xb.T @ (Xb @ theta - y[idx]) / len(idx)


def monte_carlo_gradient(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    n = len(y)
    # num_draws random subsets at once: the first batch_size positions of independent random orders
    idx = np.argsort(rng.random((num_draws, n)), axis=1)[:, :batch_size]
    G = (X @ theta - y)[:, None] * X                    # per-example gradients
    draws = G[idx].mean(axis=1)                          # (num_draws, d)
    return draws.mean(axis=0), draws.std(axis=0, ddof=1) / np.sqrt(num_draws)

# %% variance
def gradient_variance(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    n = len(y)
    G = (X @ theta - y)[:, None] * X
    idx = rng.integers(0, n, size=(num_draws, batch_size))
    dev = G[idx].mean(axis=1) - G.mean(axis=0)
    return np.mean(np.sum(dev ** 2, axis=1))


def variance_slope(batch_sizes, variances):
    A = np.column_stack([np.log(batch_sizes), np.ones(len(batch_sizes))])
    coef, *_ = np.linalg.lstsq(A, np.log(variances), rcond=None)
    return coef[0]

# %% sgd
def minibatch_sgd(grad_batch, n, theta0, lr, batch_size, num_epochs, seed):
    rng = np.random.default_rng(seed)
    thetas = [np.asarray(theta0, dtype=float)]
    for _ in range(num_epochs):
        for batch in np.split(rng.permutation(n), np.arange(batch_size, n, batch_size)):
            thetas.append(thetas[-1] - lr * grad_batch(thetas[-1], batch))
    return np.stack(thetas)
