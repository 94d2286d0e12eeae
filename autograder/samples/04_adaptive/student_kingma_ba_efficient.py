# %% adam
def adam(grad, x0, lr, b1, b2, eps, num_steps):
    # the "more efficient" order of Kingma and Ba (end of their section 2): the correction folded into
    # the learning rate, so eps is added to sqrt(v_t) instead of sqrt(v_hat_t)
    theta = np.asarray(x0, dtype=float)
    m = np.zeros(theta.shape)
    v = np.zeros(theta.shape)
    path = [theta]
    for t in range(1, num_steps + 1):
        g = grad(theta)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        lr_t = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        theta = theta - lr_t * m / (np.sqrt(v) + eps)
        path.append(theta)
    return np.stack(path)
