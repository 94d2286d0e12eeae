# %% classify
def classify_stationary_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    if np.all(lam > 0):                    # tol never used
        return "minimum"
    if np.all(lam < 0):
        return "maximum"
    if np.any(lam > 0) and np.any(lam < 0):
        return "saddle"
    return "inconclusive"
