# %% heavy_ball
def heavy_ball(grad, x0, lr, momentum, num_steps):
    theta = np.asarray(x0, dtype=float)
    velocity = -lr * grad(theta)         # "initialise the velocity with the first gradient step"
    out = [theta]
    for t in range(num_steps):
        velocity = momentum * velocity - lr * grad(theta)
        theta = theta + velocity
        out.append(theta)
    return np.stack(out)
