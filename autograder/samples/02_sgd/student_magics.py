# %% + imports
!pip install tqdm

# %% unbiased
%matplotlib inline
def minibatch_gradient(X, y, theta, idx):
    idx = np.asarray(idx)
    r = X[idx] @ theta - y[idx]
    return (r[:, None] * X[idx]).mean(axis=0)


def monte_carlo_gradient(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    grads = np.array([minibatch_gradient(X, y, theta, rng.choice(len(y), batch_size, replace=False))
                      for _ in range(num_draws)])
    return grads.mean(axis=0), grads.std(axis=0, ddof=1) / np.sqrt(num_draws)

# %% variance
%%time
def gradient_variance(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    full = X.T @ (X @ theta - y) / len(y)
    sq = [np.sum((minibatch_gradient(X, y, theta, rng.integers(0, len(y), batch_size)) - full) ** 2)
          for _ in range(num_draws)]
    return float(np.mean(sq))


def variance_slope(batch_sizes, variances):
    slope, intercept = np.polyfit(np.log(batch_sizes), np.log(variances), 1)
    return slope

# %% sgd
def minibatch_sgd(grad_batch, n, theta0, lr, batch_size, num_epochs, seed):
    rng = np.random.default_rng(seed)
    theta = np.array(theta0, dtype=float)
    out = [theta]
    for epoch in range(num_epochs):
        perm = rng.permutation(n)
        for k in range(0, n, batch_size):
            theta = theta - lr * grad_batch(theta, perm[k:k + batch_size])
            out.append(theta)
    return np.array(out)

%timeit -n 3 -r 3 minibatch_sgd(lambda th, idx: minibatch_gradient(X1, y1, th, idx), 12, theta1, 0.1, 4, 10, seed=0)
