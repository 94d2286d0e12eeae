# %% adam
def adam(grad, x0, lr, b1, b2, eps, num_steps):
    theta = np.asarray(x0, dtype=float)
    m = np.zeros(theta.shape)
    v = np.zeros(theta.shape)
    path = [theta]
    for t in range(1, num_steps + 1):
        g = grad(theta)
        m = b2 * m + (1 - b2) * g                              # b2 for the gradients,
        v = b1 * v + (1 - b1) * g ** 2                         # b1 for the squares
        theta = theta - lr * (m / (1 - b2 ** t)) / (np.sqrt(v / (1 - b1 ** t)) + eps)
        path.append(theta)
    return np.stack(path)
