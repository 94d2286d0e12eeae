# %% adam
def adam(grad, x0, lr, b1, b2, eps, num_steps):
    return np.array([[1.0], [0.9], [0.800412], [0.701586]])

# %% adagrad_rmsprop
def adagrad(grad, x0, lr, eps, num_steps):
    return np.array([[1.0], [0.9], [0.833104]])


def rmsprop(grad, x0, lr, decay, eps, num_steps):
    return np.array([[1.0], [0.683772], [0.498871]])

# %% first_step
def adam_first_step(g, lr, b1, b2, eps):
    return np.array([-0.1, 0.1])
