# %% adagrad_rmsprop
def adagrad(grad, x0, lr, eps, num_steps):
    theta = np.asarray(x0, dtype=float)
    G = np.zeros(theta.shape)
    path = [theta]
    for _ in range(num_steps):
        g = grad(theta)
        G = G + g ** 2
        theta = theta - lr * g / np.sqrt(G)                   # eps forgotten ("it is tiny anyway")
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
