# %% sgd
def minibatch_sgd(grad_batch, n, theta0, lr, batch_size, num_epochs, seed):
    rng = np.random.default_rng(seed)
    theta = np.array(theta0, dtype=float)
    out = [theta]
    grad_norms = []
    for epoch in range(num_epochs):
        perm = rng.permutation(n)
        for k in range(0, n, batch_size):
            idx = perm[k:k + batch_size]
            grad_norms.append(np.linalg.norm(grad_batch(theta, idx)))   # logging: a second call per step
            theta = theta - lr * grad_batch(theta, idx)
            out.append(theta)
    return np.array(out)
