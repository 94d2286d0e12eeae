# %% sgd
def minibatch_sgd(grad_batch, n, theta0, lr, batch_size, num_epochs, seed):
    rng = np.random.default_rng(seed)
    theta = np.array(theta0, dtype=float)
    out = [theta]
    for epoch in range(num_epochs):
        for k in range(n // batch_size):                 # drops the last, smaller batch ...
            idx = rng.integers(0, n, batch_size)         # ... and samples with replacement
            theta = theta - lr * grad_batch(theta, idx)
            out.append(theta)
    return np.array(out)
