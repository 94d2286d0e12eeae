# %% newton
def newton_step(g, H):
    return np.linalg.solve(H, -g)


def newton_iterates(grad, hess, x0, tol=1e-10, max_iter=50):
    x = np.array(x0, dtype=float)
    xs = [x]
    for k in range(max_iter - 1):          # one step short: x0 and max_iter - 1 steps
        g = grad(x)
        if np.linalg.norm(g) <= tol:
            break
        x = x + newton_step(g, hess(x))
        xs.append(x)
    return np.array(xs)
