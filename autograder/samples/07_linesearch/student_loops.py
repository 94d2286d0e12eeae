# %% backtracking
def backtracking(f, grad, x, p, alpha0, rho, c1):
    fx = f(x)
    g = grad(x)
    slope = 0.0
    for i in range(len(p)):
        slope += g[i] * p[i]
    if slope >= 0:
        raise ValueError("p is not a descent direction")
    alpha = alpha0
    trials = 0
    while True:
        if trials == 100:
            raise RuntimeError("backtracking failed after 100 trials")
        if f(x + alpha * p) <= fx + c1 * alpha * slope:
            return alpha
        alpha = alpha * rho
        trials += 1

# %% wolfe_conditions
def wolfe_conditions(f, grad, x, p, alpha, c1, c2, strong):
    x_new = x + alpha * p
    dphi0 = sum(gi * pi for gi, pi in zip(grad(x), p))
    dphi = sum(gi * pi for gi, pi in zip(grad(x_new), p))
    armijo_holds = f(x_new) <= f(x) + c1 * alpha * dphi0
    if strong:
        curvature_holds = abs(dphi) <= c2 * abs(dphi0)
    else:
        curvature_holds = dphi >= c2 * dphi0
    return (bool(armijo_holds), bool(curvature_holds))

# %% exact_steepest_descent
def exact_steepest_descent(A, b, x0, num_steps):
    d = len(x0)
    x = [float(v) for v in x0]
    out = [list(x)]
    for _ in range(num_steps):
        g = [sum(A[i][j] * x[j] for j in range(d)) - b[i] for i in range(d)]
        if all(gi == 0 for gi in g):
            break
        Ag = [sum(A[i][j] * g[j] for j in range(d)) for i in range(d)]
        alpha = sum(gi * gi for gi in g) / sum(g[i] * Ag[i] for i in range(d))
        x = [x[i] - alpha * g[i] for i in range(d)]
        out.append(list(x))
    return np.array(out)

# %% conjugate_gradient
def conjugate_gradient(A, b, x0, tol, maxiter):
    x = np.array(x0, dtype=float)
    r = A.dot(x) - b
    p = -r
    iterates = [x.copy()]
    k = 0
    while k < maxiter:
        if np.sqrt(r.dot(r)) <= tol:
            break
        Ap = A.dot(p)
        rr = r.dot(r)
        alpha = rr / p.dot(Ap)
        x = x + alpha * p
        r = r + alpha * Ap
        beta = r.dot(r) / rr
        p = -r + beta * p
        iterates.append(x.copy())
        k += 1
    return np.array(iterates)
