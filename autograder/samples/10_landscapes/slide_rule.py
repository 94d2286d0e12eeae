# %% classify_critical_point
def classify_critical_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    if np.any(np.abs(lam) <= tol):                       # source 001's slide: any zero eigenvalue is inconclusive
        return "degenerate"
    if np.all(lam > 0):
        return "minimum"
    if np.all(lam < 0):
        return "maximum"
    return "strict saddle"
