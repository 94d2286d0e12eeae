# %% backtracking
def backtracking(f, grad, x, p, alpha0, rho, c1):
    f0, d0 = f(x), np.dot(grad(x), p)
    if not d0 < 0:
        raise ValueError(f"not a descent direction (slope {d0})")
    for j in range(100):
        a = alpha0 * rho ** j
        if f(x + a * p) - f0 <= c1 * a * d0:
            return a
    raise RuntimeError("no Armijo step in 100 trials")

# %% wolfe_conditions
def wolfe_conditions(f, grad, x, p, alpha, c1, c2, strong):
    phi = lambda a: f(x + a * p)
    dphi = lambda a: grad(x + a * p) @ p
    armijo = phi(alpha) <= phi(0) + c1 * alpha * dphi(0)
    curv = abs(dphi(alpha)) <= -c2 * dphi(0) if strong else dphi(alpha) >= c2 * dphi(0)
    return armijo, curv

# %% exact_steepest_descent
def exact_steepest_descent(A, b, x0, num_steps):
    # the step as a length along the unit direction -g / |g|
    xs = [np.asarray(x0, dtype=float)]
    for _ in range(num_steps):
        g = A @ xs[-1] - b
        norm = np.linalg.norm(g)
        if norm == 0:
            break
        direction = -g / norm
        length = norm ** 3 / (g @ A @ g)
        xs.append(xs[-1] + length * direction)
    return np.array(xs)

# %% conjugate_gradient
def conjugate_gradient(A, b, x0, tol, maxiter):
    # the residual recomputed from x at every step
    x = np.asarray(x0, dtype=float)
    r = A @ x - b
    p = -r
    xs = [x]
    for _ in range(maxiter):
        if np.linalg.norm(r) <= tol:
            break
        alpha = (r @ r) / (p @ A @ p)
        x = x + alpha * p
        r_new = A @ x - b
        p = -r_new + (r_new @ r_new) / (r @ r) * p
        r = r_new
        xs.append(x)
    return np.array(xs)
