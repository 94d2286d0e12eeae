# %% unbiased
import math

def minibatch_gradient(X, y, theta, idx):
    residual = np.dot(X[idx], theta) - y[idx]
    return np.mean(residual[:, np.newaxis] * X[idx], axis=0)


def monte_carlo_gradient(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    grads = np.empty((num_draws, X.shape[1]))
    for k in range(num_draws):
        batch = rng.permutation(len(y))[:batch_size]       # a random subset, no repeats
        grads[k] = minibatch_gradient(X, y, theta, batch)
    mean = grads.mean(axis=0)
    stderr = np.sqrt(grads.var(axis=0, ddof=1) / num_draws)
    return mean, stderr

# %% variance
def gradient_variance(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    true_grad = X.T.dot(X.dot(theta) - y) / n
    errors = np.zeros(num_draws)
    for k in range(num_draws):
        batch = rng.choice(n, size=batch_size, replace=True)
        errors[k] = np.linalg.norm(minibatch_gradient(X, y, theta, batch) - true_grad) ** 2
    return errors.mean()


def variance_slope(batch_sizes, variances):
    from scipy.stats import linregress
    return linregress(np.log10(batch_sizes), np.log10(variances)).slope

# %% sgd
def minibatch_sgd(grad_batch, n, theta0, lr, batch_size, num_epochs, seed):
    rng = np.random.default_rng(seed)
    order = np.arange(n)
    theta = np.copy(theta0).astype(float)
    iterates = [theta]
    n_batches = math.ceil(n / batch_size)
    for epoch in range(num_epochs):
        rng.shuffle(order)                                  # a fresh order, shuffled in place
        for k in range(n_batches):
            batch = order[k * batch_size:(k + 1) * batch_size].copy()
            theta = theta - lr * grad_batch(theta, batch)
            iterates.append(theta)
    return np.vstack(iterates)
