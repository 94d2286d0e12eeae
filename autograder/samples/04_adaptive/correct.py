# %% adam
def adam(grad, x0, lr, b1, b2, eps, num_steps):
    theta = np.asarray(x0, dtype=float)
    m = np.zeros(theta.shape)
    v = np.zeros(theta.shape)
    path = [theta]
    t = 0
    while t < num_steps:
        t += 1
        g = grad(theta)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        theta = theta - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        path.append(theta)
    return np.stack(path)

# %% adagrad_rmsprop
def adagrad(grad, x0, lr, eps, num_steps):
    theta = np.asarray(x0, dtype=float)
    G = np.zeros(theta.shape)
    path = [theta]
    for _ in range(num_steps):
        g = grad(theta)
        G += g ** 2
        theta = theta - lr * g / (np.sqrt(G) + eps)
        path.append(theta)
    return np.stack(path)


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
    g = np.asarray(g, dtype=float)
    return -lr * g / (np.abs(g) + eps)
