# %% perturbed_gd
def perturbed_gd(grad, x0, eta, num_steps, radius, grad_threshold, seed):
    rng = np.random.default_rng(seed)
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for _ in range(num_steps):
        g = np.asarray(grad(x), dtype=float)
        if np.linalg.norm(g) <= grad_threshold:
            z = rng.standard_normal(x.size)
            x = x + radius * rng.uniform() ** (1.0 / x.size) * z / np.linalg.norm(z)
        x = x - eta * g                                  # the gradient of the point before the kick
        path.append(x.copy())
    return np.array(path)
