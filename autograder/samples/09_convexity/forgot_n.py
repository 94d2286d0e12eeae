# %% smoothness_constants
def smoothness_constants(X):
    s = np.linalg.svd(X)[1]
    L = s.max() ** 2
    m = s.min() ** 2
    return L, m, L / m
