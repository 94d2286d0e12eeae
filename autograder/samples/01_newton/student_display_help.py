# %% classify
display(np.linalg.eigvalsh(np.diag([3.0, -1.0])))


def classify_stationary_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    pos, neg = (lam > tol).sum(), (lam < -tol).sum()
    if pos and neg:
        return "saddle"
    if pos == len(lam):
        return "minimum"
    if neg == len(lam):
        return "maximum"
    return "inconclusive"

# %% + classify
help(classify_stationary_point)

# %% + taylor
display(taylor_error_ratio(rosen, rosen_grad, rosen_hess, np.zeros(2), np.array([1e-2, 0.0])))
