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
        m_hat = m / (1 - b1 ** t)
        v_hat = v / (1 - b2 ** t)
        theta = theta - lr * m_hat / np.sqrt(v_hat + eps)       # eps inside the root
        path.append(theta)
    return np.stack(path)
