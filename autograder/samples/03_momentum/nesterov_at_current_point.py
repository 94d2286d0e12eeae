# %% nesterov
def nesterov(grad, x0, lr, momentum, num_steps):
    theta = np.asarray(x0, dtype=float)
    velocity = np.zeros(theta.shape)
    out = [theta]
    for t in range(num_steps):
        velocity = momentum * velocity - lr * grad(theta)     # the gradient at theta, not at the look-ahead
        theta = theta + velocity
        out.append(theta)
    return np.stack(out)
