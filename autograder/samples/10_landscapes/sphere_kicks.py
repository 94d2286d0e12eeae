# %% perturbed_gd
def perturbed_gd(grad, x0, eta, num_steps, radius, grad_threshold, seed):
    rng = np.random.default_rng(seed)
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for _ in range(num_steps):
        if np.linalg.norm(grad(x)) <= grad_threshold:
            z = rng.standard_normal(x.size)
            x = x + radius * z / np.linalg.norm(z)       # on the sphere, not in the ball
        x = x - eta * np.asarray(grad(x), dtype=float)
        path.append(x.copy())
    return np.array(path)
