# %% newton
def newton_step(g, H):
    return np.linalg.solve(H, -np.asarray(g))


def newton_iterates(grad, hess, x0, tol=1e-10, max_iter=50):
    xs = [np.asarray(x0, dtype=float)]
    while True:  # forgot the stopping test
        xs[-1] = xs[-1] + 0.0
    return np.array(xs)
