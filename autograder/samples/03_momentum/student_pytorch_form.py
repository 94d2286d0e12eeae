# %% heavy_ball
def heavy_ball(grad, x0, lr, momentum, num_steps):
    # PyTorch's buffer b = m b + g, theta -= lr b: the same iterates as v = m v - lr g (v = -lr b)
    theta = np.array(x0, dtype=float)
    buf = np.zeros_like(theta)
    traj = [theta.copy()]
    for _ in range(num_steps):
        buf = momentum * buf + grad(theta)
        theta = theta - lr * buf
        traj.append(theta.copy())
    return np.vstack(traj)

# %% nesterov
def nesterov(grad, x0, lr, momentum, num_steps):
    theta = np.array(x0, dtype=float)
    vel = np.zeros_like(theta)
    traj = [theta.copy()]
    for _ in range(num_steps):
        g = grad(theta + momentum * vel)
        vel = momentum * vel - lr * g
        theta = theta + vel
        traj.append(theta.copy())
    return np.vstack(traj)

# %% unrolled
def velocity_weights(lr, momentum, t):
    # unroll the recursion on the gradients one at a time
    w = np.zeros(t)
    for k in range(t):
        w = momentum * w
        w[k] = w[k] - lr
    return w


def effective_learning_rate(lr, momentum, num_steps):
    xs = heavy_ball(lambda x: 0 * x + 1, np.array([0.0]), lr, momentum, num_steps)
    step = xs[-1] - xs[-2]
    return float(np.linalg.norm(step))
