# %% newton
def newton_step(g, H):
    return np.linalg.solve(H, np.asarray(g))  # sign error: solves H p = +g


def newton_iterates(grad, hess, x0, tol=1e-10, max_iter=50):
    xs = [np.asarray(x0, dtype=float)]
    while len(xs) <= max_iter and np.linalg.norm(grad(xs[-1])) > tol:
        xs.append(xs[-1] + newton_step(grad(xs[-1]), hess(xs[-1])))
    return np.array(xs)
