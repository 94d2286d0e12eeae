# %% perturbed_gd
def perturbed_gd(grad, x0, eta, num_steps, radius, grad_threshold, seed):
    rng = np.random.default_rng(seed)
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for _ in range(num_steps):
        if np.linalg.norm(grad(x)) <= grad_threshold:
            angle = rng.normal(size=x.size)
            angle /= np.linalg.norm(angle)
            x = x + radius * np.sqrt(rng.uniform()) * angle     # the disc's formula, whatever the dimension
        x = x - eta * np.asarray(grad(x), dtype=float)
        path.append(x.copy())
    return np.array(path)
