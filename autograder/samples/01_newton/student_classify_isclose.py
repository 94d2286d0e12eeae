# %% classify
def classify_stationary_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    lam[np.isclose(lam, 0)] = 0.0          # np.isclose's own atol=1e-8, whatever tol is
    if np.any(lam > 0) and np.any(lam < 0):
        return "saddle"
    if np.all(lam > 0):
        return "minimum"
    if np.all(lam < 0):
        return "maximum"
    return "inconclusive"
