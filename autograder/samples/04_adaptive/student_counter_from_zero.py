# %% adam
def adam(grad, x0, lr, b1, b2, eps, num_steps):
    theta = np.asarray(x0, dtype=float)
    m = np.zeros(theta.shape)
    v = np.zeros(theta.shape)
    path = [theta]
    for t in range(num_steps):                                 # t = 0, 1, ...: 1 - b1**0 = 0
        g = grad(theta)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        theta = theta - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        path.append(theta)
    return np.stack(path)
