# %% + imports
!pip install tqdm

# %% adam
def adam(grad, x0, lr, b1, b2, eps, num_steps):
    theta = np.asarray(x0, dtype=float)
    m = np.zeros(theta.shape)
    v = np.zeros(theta.shape)
    path = [theta]
    for t in range(1, num_steps + 1):
        g = grad(theta)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        theta = theta - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        path.append(theta)
    return np.stack(path)

help(adam)

# %% + test_adam_visible
display(adam(lambda x: x, np.array([1.0]), 0.1, 0.9, 0.999, 1e-8, 3))

# %% adagrad_rmsprop
def adagrad(grad, x0, lr, eps, num_steps):
    theta = np.asarray(x0, dtype=float)
    G = np.zeros(theta.shape)
    path = [theta]
    for _ in range(num_steps):
        g = grad(theta)
        G = G + g ** 2
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

# %% sparse
# left for later
