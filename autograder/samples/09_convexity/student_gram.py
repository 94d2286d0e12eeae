# %% smoothness_constants
def smoothness_constants(X):
    n = X.shape[0]
    lam = np.linalg.eigvalsh(X.T @ X / n)
    return lam[-1], lam[0], lam[-1] / lam[0]
