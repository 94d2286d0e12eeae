# %% backtracking
def backtracking(f, grad, x, p, alpha0, rho, c1):
    fx = f(x)
    dd = grad(x) @ p
    if dd >= 0:
        raise ValueError("not a descent direction")
    a = alpha0
    trials = 0
    while f(x + a * p) > fx + c1 * a * dd:
        a = rho * a
        trials += 1
        if trials >= 100:
            raise RuntimeError("too many trials")
    return a

# %% wolfe_conditions
def wolfe_conditions(f, grad, x, p, alpha, c1, c2, strong):
    d0 = grad(x) @ p
    da = grad(x + alpha * p) @ p
    ok1 = f(x + alpha * p) <= f(x) + c1 * alpha * d0
    ok2 = abs(da) <= c2 * abs(d0) if strong else da >= c2 * d0
    return bool(ok1), bool(ok2)

# %% exact_steepest_descent
def exact_steepest_descent(A, b, x0, num_steps):
    path = [np.asarray(x0, dtype=float)]
    for k in range(num_steps):
        g = A @ path[-1] - b
        if np.all(g == 0):
            break
        path.append(path[-1] - (g @ g) / (g @ (A @ g)) * g)
    return np.vstack(path)

# %% zigzag
xs_zz = exact_steepest_descent(A_zz, b_zz, np.array([0.0, 5.0]), 20)
gs = np.array([A_zz @ x - b_zz for x in xs_zz])
print([float(gs[k] @ gs[k + 1] / np.linalg.norm(gs[k]) / np.linalg.norm(gs[k + 1])) for k in range(len(gs) - 1)])
# zero: the exact step makes the new gradient orthogonal to the old direction, which is -g

# %% conjugate_gradient
def conjugate_gradient(A, b, x0, tol, maxiter):
    x = np.asarray(x0, dtype=float).copy()
    r = A @ x - b
    p = -r
    out = [x.copy()]
    k = 0
    while np.linalg.norm(r) > tol and k < maxiter:
        Ap = A @ p
        rr = r @ r
        alpha = rr / (p @ Ap)
        x += alpha * p
        r += alpha * Ap
        p = -r + (r @ r) / rr * p
        out.append(x.copy())
        k += 1
    return np.array(out)
