# %% unbiased
def minibatch_gradient(X, y, theta, idx):
    idx = np.asarray(idx)
    r = X[idx] @ theta - y[idx]
    return (r[:, None] * X[idx]).mean(axis=0)


def monte_carlo_gradient(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    grads = np.array([minibatch_gradient(X, y, theta, rng.integers(0, len(y), batch_size))   # repeats possible
                      for _ in range(num_draws)])
    return grads.mean(axis=0), grads.std(axis=0, ddof=1) / np.sqrt(num_draws)
