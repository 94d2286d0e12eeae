# %% backtracking
%%time
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

# %% + backtracking
%timeit backtracking(rosenbrock, rosenbrock_grad, np.array([-1.2, 1.0]), -rosenbrock_grad(np.array([-1.2, 1.0])), 1.0, 0.5, 1e-4)

# %% conjugate_gradient
%matplotlib inline
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
