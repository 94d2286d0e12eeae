# %% sgd
def minibatch_sgd(grad_batch, n, theta0, lr, batch_size, num_epochs, seed):
    rng = np.random.default_rng(seed)
    theta = np.asarray(theta0, dtype=float)
    iterates = [theta0]
    for epoch in range(num_epochs):
        perm = rng.permutation(n)
        for k in range(0, n, batch_size):
            theta -= lr * grad_batch(theta, perm[k:k + batch_size])    # in place ...
            iterates.append(theta)                                     # ... so every entry is the same array
    return np.array(iterates)
