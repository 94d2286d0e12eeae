# %% heavy_ball
def heavy_ball(grad, x0, lr, momentum, num_steps):
    # theta_(t+1) = theta_t + mu (theta_t - theta_(t-1)) - lr grad(theta_t), with theta_(-1) = theta_0
    x0 = np.asarray(x0, dtype=float)
    out = np.empty((num_steps + 1, x0.size))
    out[0] = x0
    prev = x0
    for t in range(num_steps):
        out[t + 1] = out[t] + momentum * (out[t] - prev) - lr * grad(out[t])
        prev = out[t]
    return out

# %% nesterov
def nesterov(grad, x0, lr, momentum, num_steps):
    x0 = np.asarray(x0, dtype=float)
    out = np.empty((num_steps + 1, x0.size))
    out[0] = x0
    prev = x0
    for t in range(num_steps):
        y = out[t] + momentum * (out[t] - prev)       # the look-ahead point
        out[t + 1] = y - lr * grad(y)
        prev = out[t]
    return out

# %% unrolled
def velocity_weights(lr, momentum, t):
    return -lr * np.power(momentum, np.arange(t)[::-1])


def effective_learning_rate(lr, momentum, num_steps):
    path = heavy_ball(lambda x: np.ones_like(x), np.zeros(1), lr, momentum, num_steps)
    return np.abs(np.diff(path[:, 0]))[-1]
