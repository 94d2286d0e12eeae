# %% unrolled
def velocity_weights(lr, momentum, t):
    return np.array([-lr * momentum ** (t - 1 - k) for k in range(t)])


def effective_learning_rate(lr, momentum, num_steps):
    return lr / (1 - momentum)           # the limit, not a measurement
