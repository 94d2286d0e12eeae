# %% classify
def classify_stationary_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    cutoff = tol * np.max(np.abs(lam))     # relative to the largest eigenvalue
    pos, neg = np.any(lam > cutoff), np.any(lam < -cutoff)
    if pos and neg:
        return "saddle"
    if np.all(lam > cutoff):
        return "minimum"
    if np.all(lam < -cutoff):
        return "maximum"
    return "inconclusive"
