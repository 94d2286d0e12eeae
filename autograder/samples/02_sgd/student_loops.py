# %% unbiased
def minibatch_gradient(X, y, theta, idx):
    # plain loops, the way the formula reads
    d = len(theta)
    total = np.zeros(d)
    for i in idx:
        r = 0.0
        for j in range(d):
            r += X[i][j] * theta[j]
        r -= y[i]
        for j in range(d):
            total[j] += r * X[i][j]
    return total / len(idx)


def monte_carlo_gradient(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    n = len(y)
    d = len(theta)
    samples = []
    for m in range(num_draws):
        batch = rng.choice(n, batch_size, replace=False)
        samples.append(minibatch_gradient(X, y, theta, batch))
    mean = np.zeros(d)
    for g in samples:
        mean += g
    mean /= num_draws
    var = np.zeros(d)
    for g in samples:
        var += (g - mean) ** 2
    var /= (num_draws - 1)          # sample variance, ddof = 1
    return mean, np.sqrt(var / num_draws)

# %% variance
def gradient_variance(X, y, theta, batch_size, num_draws, seed):
    rng = np.random.default_rng(seed)
    n = len(y)
    full = minibatch_gradient(X, y, theta, np.arange(n))
    acc = 0.0
    for m in range(num_draws):
        batch = rng.integers(0, n, batch_size)
        diff = minibatch_gradient(X, y, theta, batch) - full
        acc += float(np.dot(diff, diff))
    return acc / num_draws


def variance_slope(batch_sizes, variances):
    # least squares by hand: slope = cov(x, y) / var(x)
    xs = [np.log(b) for b in batch_sizes]
    ys = [np.log(v) for v in variances]
    mx = sum(xs) / len(xs)
    my = sum(ys) / len(ys)
    num = sum((a - mx) * (b - my) for a, b in zip(xs, ys))
    den = sum((a - mx) ** 2 for a in xs)
    return num / den

# %% sgd
def minibatch_sgd(grad_batch, n, theta0, lr, batch_size, num_epochs, seed):
    rng = np.random.default_rng(seed)
    theta = np.array(theta0, dtype=float)
    history = [theta.copy()]
    for epoch in range(num_epochs):
        order = rng.permutation(n)
        start = 0
        while start < n:
            batch = order[start:start + batch_size]
            g = grad_batch(theta, batch)
            for j in range(len(theta)):
                theta[j] = theta[j] - lr * g[j]
            history.append(theta.copy())
            start += batch_size
    return np.array(history)
