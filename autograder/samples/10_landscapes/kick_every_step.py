# %% perturbed_gd
def perturbed_gd(grad, x0, eta, num_steps, radius, grad_threshold, seed):
    rng = np.random.default_rng(seed)
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for _ in range(num_steps):
        z = rng.standard_normal(x.size)                  # a kick at every step, whatever the gradient
        x = x + radius * rng.uniform() ** (1 / x.size) * z / np.linalg.norm(z)
        x = x - eta * np.asarray(grad(x), dtype=float)
        path.append(x.copy())
    return np.array(path)
