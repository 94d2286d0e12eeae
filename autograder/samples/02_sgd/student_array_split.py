# %% sgd
def minibatch_sgd(grad_batch, n, theta0, lr, batch_size, num_epochs, seed):
    rng = np.random.default_rng(seed)
    theta = np.array(theta0, dtype=float)
    out = [theta]
    num_batches = int(np.ceil(n / batch_size))
    for epoch in range(num_epochs):
        for idx in np.array_split(rng.permutation(n), num_batches):   # near-equal pieces, not batch_size each
            theta = theta - lr * grad_batch(theta, idx)
            out.append(theta)
    return np.array(out)
