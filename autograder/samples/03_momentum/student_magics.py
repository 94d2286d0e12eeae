# %% heavy_ball
%matplotlib inline
def heavy_ball(grad, x0, lr, momentum, num_steps):
    theta = np.asarray(x0, dtype=float)
    velocity = np.zeros(theta.shape)
    out = [theta]
    for t in range(num_steps):
        velocity = momentum * velocity - lr * grad(theta)
        theta = theta + velocity
        out.append(theta)
    return np.stack(out)

# %% + heavy_ball
%timeit heavy_ball(lambda x: x, np.ones(10), 0.1, 0.9, 100)
print(heavy_ball(lambda x: x, np.ones(2), 0.1, 0.9, 3))

# %% unrolled
%%time
def velocity_weights(lr, momentum, t):
    return np.array([-lr * momentum ** (t - 1 - k) for k in range(t)])


def effective_learning_rate(lr, momentum, num_steps):
    path = heavy_ball(lambda x: np.ones(1), np.zeros(1), lr, momentum, num_steps)
    return abs(float(path[-1][0] - path[-2][0]))
