# %% adam
def adam(grad, x0, lr, b1, b2, eps, num_steps):
    theta = np.asarray(x0, dtype=float)
    m = v = np.zeros(theta.shape)
    for t in range(1, num_steps + 1):
        g = grad(theta)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        theta = theta - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
    return theta                                               # only the last iterate

# %% adagrad_rmsprop
def adagrad(grad, x0, lr, eps, num_steps):
    raise ValueError("not finished")


def rmsprop(grad, x0, lr, decay, eps, num_steps):
    theta = np.asarray(x0, dtype=float)
    s = np.zeros(theta.shape)
    path = [theta]
    for _ in range(num_steps):
        g = grad(theta)
        s = decay * s + (1 - decay) * g ** 2
        theta = theta - lr * g / (np.sqrt(s) + eps)
        path.append(theta)
    return np.stack(path)

# %% first_step
def adam_first_step(g, lr, b1, b2, eps):
    return -lr * np.sign(g)
