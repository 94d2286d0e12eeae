# %% unbiased
def minibatch_gradient(X, y, theta, idx):
    idx = np.asarray(idx)
    r = X[idx] @ theta - y[idx]
    return (r[:, None] * X[idx]).mean(axis=0)


def monte_carlo_gradient(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    grads = np.array([minibatch_gradient(X, y, theta, rng.choice(len(y), batch_size, replace=False))
                      for _ in range(num_draws)])
    return grads.mean(axis=0), np.std(grads, axis=0) / np.sqrt(num_draws)    # np.std defaults to ddof=0
