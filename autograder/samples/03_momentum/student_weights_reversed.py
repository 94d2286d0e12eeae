# %% unrolled
def velocity_weights(lr, momentum, t):
    return np.array([-lr * momentum ** k for k in range(t)])


def effective_learning_rate(lr, momentum, num_steps):
    path = heavy_ball(lambda x: np.ones(1), np.zeros(1), lr, momentum, num_steps)
    return abs(float(path[-1][0] - path[-2][0]))
