# %% heavy_ball
def heavy_ball(grad, x0, lr, momentum, num_steps):
    theta = np.asarray(x0, dtype=float)
    velocity = np.zeros(theta.shape)
    out = [theta]
    for t in range(num_steps):
        velocity = momentum * velocity + lr * grad(theta)     # + instead of -: every step goes uphill
        theta = theta + velocity
        out.append(theta)
    return np.stack(out)
