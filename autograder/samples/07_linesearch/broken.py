# %% backtracking
def backtracking(f, grad, x, p, alpha0, rho, c1):
    return alpha0

# %% wolfe_conditions
def wolfe_conditions(f, grad, x, p, alpha, c1, c2, strong):
    return "yes"

# %% exact_steepest_descent
def exact_steepest_descent(A, b, x0, num_steps):
    x = np.array(x0, dtype=float)
    xs = [x.copy()]
    for _ in range(num_steps):
        g = A @ x - b
        if not np.any(g):
            break
        x = x - (g @ g) / (g @ A @ g) * g
        xs.append(x.copy())
    return np.array(xs)

# %% conjugate_gradient
def conjugate_gradient(A, b, x0, tol, maxiter):
    return np.linalg.solve(A, b)
