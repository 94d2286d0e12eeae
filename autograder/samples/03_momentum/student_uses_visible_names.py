# %% nesterov
print("heavy ball from the test above:", xs[:, 0])


def nesterov(grad, x0, lr, momentum, num_steps):
    theta = np.asarray(x0, dtype=float)
    velocity = np.zeros(theta.shape)
    out = [theta]
    for t in range(num_steps):
        ahead = theta + momentum * velocity
        velocity = momentum * velocity - lr * grad(ahead)
        theta = theta + velocity
        out.append(theta)
    return np.stack(out)
