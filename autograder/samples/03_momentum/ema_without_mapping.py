# %% heavy_ball
def heavy_ball(grad, x0, lr, momentum, num_steps):
    theta = np.asarray(x0, dtype=float)
    u = np.zeros(theta.shape)
    out = [theta]
    for t in range(num_steps):
        u = momentum * u + (1 - momentum) * grad(theta)      # source 004's average, with the same lr
        theta = theta - lr * u
        out.append(theta)
    return np.stack(out)
