# %% adam
def adam(grad, x0, lr, b1, b2, eps, num_steps):
    theta = np.asarray(x0, dtype=float)
    m = np.zeros(theta.shape)
    v = np.zeros(theta.shape)
    path = [theta]
    for t in range(num_steps):
        g = grad(theta)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        theta = theta - lr * m / (np.sqrt(v) + eps)          # no bias correction
        path.append(theta)
    return np.stack(path)

# %% first_step
def adam_first_step(g, lr, b1, b2, eps):
    g = np.asarray(g, dtype=float)
    return -lr * (1 - b1) * g / (np.sqrt((1 - b2) * g ** 2) + eps)
