# %% nesterov
def nesterov(grad, x0, lr, momentum, num_steps):
    theta = np.asarray(x0, dtype=float)
    velocity = np.zeros(theta.shape)
    out = [theta]
    for t in range(num_steps):
        velocity = momentum * velocity - lr * grad(theta + momentum * velocity)
        theta = theta + velocity
        out.append(theta + momentum * velocity)      # the point where the next gradient is taken
    return np.stack(out)
