# %% heavy_ball
def heavy_ball(grad, x0, lr, momentum, num_steps):
    theta = np.asarray(x0, dtype=float)
    velocity = np.zeros(theta.shape)
    out = [theta]
    for t in range(num_steps):
        velocity = momentum * velocity - lr * grad(theta)
        theta = theta + velocity
        out.append(theta)
    return np.stack(out)

# %% nesterov
def nesterov(grad, x0, lr, momentum, num_steps):
    velocity = np.zeros(len(x0))
    return heavy_ball(grad, x0 + momentum * velocity, lr, momentum, num_steps) @ np.eye(3)

# %% unrolled
def velocity_weights(lr, momentum, t):
    return [-lr * momentum ** (t - 1 - k) for k in range(t)
