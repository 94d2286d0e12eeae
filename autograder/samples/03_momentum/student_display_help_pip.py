# %% + imports
!pip install tqdm

# %% heavy_ball
def heavy_ball(grad, x0, lr, momentum, num_steps):
    theta = np.asarray(x0, dtype=float)
    velocity = np.zeros(theta.shape)
    out = [theta]
    for t in range(num_steps):
        velocity = momentum * velocity - lr * grad(theta)
        theta = theta + velocity
        out.append(theta)
    return np.stack(out)

help(heavy_ball)

# %% + test_heavy_ball_visible
display(heavy_ball(lambda x: x, np.array([1.0]), 0.1, 0.5, 3))

# %% nesterov_plot
