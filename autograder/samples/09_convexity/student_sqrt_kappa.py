# %% smoothness_constants
def smoothness_constants(X):
    n = X.shape[0]
    s = np.linalg.svd(X, compute_uv=False)
    return s[0] ** 2 / n, s[-1] ** 2 / n, s[0] / s[-1]
