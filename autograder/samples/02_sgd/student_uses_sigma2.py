# %% sgd
# step size from the gradient noise sigma^2 measured in the test of task 2, for my experiments below
lr_demo = 0.5 / np.sqrt(sigma2)


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


demo = minibatch_sgd(lambda th, idx: minibatch_gradient(X1, y1, th, idx), 12, theta1, lr_demo, 4, 5, seed=0)
print(demo[-1])
