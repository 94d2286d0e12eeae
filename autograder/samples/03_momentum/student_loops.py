# %% heavy_ball
def heavy_ball(grad, x0, lr, momentum, num_steps):
    d = len(x0)
    x = [float(x0[i]) for i in range(d)]
    v = [0.0] * d
    history = [list(x)]
    for step in range(num_steps):
        g = grad(np.array(x))
        for i in range(d):
            v[i] = momentum * v[i] - lr * g[i]
            x[i] = x[i] + v[i]
        history.append(list(x))
    return np.array(history)

# %% nesterov
def nesterov(grad, x0, lr, momentum, num_steps):
    d = len(x0)
    x = [float(x0[i]) for i in range(d)]
    v = [0.0] * d
    history = [list(x)]
    for step in range(num_steps):
        lookahead = np.array([x[i] + momentum * v[i] for i in range(d)])
        g = grad(lookahead)
        for i in range(d):
            v[i] = momentum * v[i] - lr * g[i]
            x[i] = x[i] + v[i]
        history.append(list(x))
    return np.array(history)

# %% unrolled
def velocity_weights(lr, momentum, t):
    weights = []
    for k in range(t):
        weights.append(-lr * momentum ** (t - 1 - k))
    return weights


def effective_learning_rate(lr, momentum, num_steps):
    path = heavy_ball(lambda x: np.array([1.0]), [0.0], lr, momentum, num_steps)
    last, before = path[num_steps][0], path[num_steps - 1][0]
    return abs(last - before)
