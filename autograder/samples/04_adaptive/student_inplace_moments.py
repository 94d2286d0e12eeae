# %% adam
def adam(grad, x0, lr, b1, b2, eps, num_steps):
    theta = np.array(x0, dtype=float)          # a copy: x0 is left alone
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    history = np.empty((num_steps + 1, theta.size))
    history[0] = theta
    b1_t, b2_t = 1.0, 1.0
    for t in range(1, num_steps + 1):
        g = grad(theta)
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * np.square(g)
        b1_t *= b1                              # b1^t and b2^t kept as running products
        b2_t *= b2
        theta -= lr * (m / (1 - b1_t)) / (np.sqrt(v / (1 - b2_t)) + eps)
        history[t] = theta                      # copied into the preallocated array
    return history

# %% adagrad_rmsprop
def adagrad(grad, x0, lr, eps, num_steps):
    theta = np.array(x0, dtype=float)
    G = np.zeros_like(theta)
    history = [theta.copy()]
    for _ in range(num_steps):
        g = grad(theta)
        G += g * g
        theta -= lr * g / (np.sqrt(G) + eps)
        history.append(theta.copy())
    return np.vstack(history)


def rmsprop(grad, x0, lr, decay, eps, num_steps):
    theta = np.array(x0, dtype=float)
    s = np.zeros_like(theta)
    history = [theta.copy()]
    for _ in range(num_steps):
        g = grad(theta)
        s += (1 - decay) * (g * g - s)          # the same average, written as an update toward g^2
        theta -= lr * g / (np.sqrt(s) + eps)
        history.append(theta.copy())
    return np.vstack(history)

# %% first_step
def adam_first_step(g, lr, b1, b2, eps):
    # Adam's own loop, one step, from the origin: theta_1 - theta_0 = theta_1
    return adam(lambda x: np.asarray(g, dtype=float), np.zeros(len(g)), lr, b1, b2, eps, 1)[1]
