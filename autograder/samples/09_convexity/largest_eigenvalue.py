# %% convexity_scan
def smallest_hessian_eigenvalue(hess, points):
    values = []
    for p in np.asarray(points, dtype=float):
        values.append(np.linalg.eigvalsh(hess(p))[-1])
    return float(np.min(values))


def is_convex_on_samples(hess, points, tol=1e-8):
    return not smallest_hessian_eigenvalue(hess, points) < -tol
