# %% classify
print("Newton on the cubic ended at", ts[-1], "after", len(ts) - 1, "steps")   # ts: from the visible test of task 1


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
