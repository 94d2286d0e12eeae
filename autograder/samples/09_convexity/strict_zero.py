# %% convexity_scan
def smallest_hessian_eigenvalue(hess, points):
    values = []
    for p in np.asarray(points, dtype=float):
        H = hess(p)
        values.append(np.linalg.eigh(H)[0].min())
    return float(np.min(values))


def is_convex_on_samples(hess, points, tol=1e-8):
    return smallest_hessian_eigenvalue(hess, points) >= 0
