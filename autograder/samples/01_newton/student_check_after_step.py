# %% newton
def newton_step(g, H):
    return np.linalg.solve(H, -g)


def newton_iterates(grad, hess, x0, tol=1e-10, max_iter=50):
    x = np.array(x0, dtype=float)
    xs = [x]
    for k in range(max_iter):
        x = x + newton_step(grad(x), hess(x))
        xs.append(x)
        if np.linalg.norm(grad(x)) <= tol:   # tests the new point only: x0 is never tested
            break
    return np.array(xs)
