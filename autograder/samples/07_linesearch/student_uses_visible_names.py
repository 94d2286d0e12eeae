# %% conjugate_gradient
print("steepest descent took", len(xs) - 1, "steps in the test above")


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
