# %% unrolled
def velocity_weights(lr, momentum, t):
    return np.array([-lr * momentum ** (t - 1 - k) for k in range(t)])


def effective_learning_rate(lr, momentum, num_steps):
    path = heavy_ball(lambda x: np.ones(1), np.zeros(1), lr, momentum, num_steps)
    return float(path[-1, 0] - path[-2, 0])          # the step itself, negative (downhill)
