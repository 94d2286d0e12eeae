# %% numerical_gradient
def numerical_gradient(f, theta, h):
    theta = np.asarray(theta, dtype=float)
    f0 = f(theta)
    g = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        t = theta.copy()
        t[i] += h
        g[i] = (f(t) - f0) / h
    return g
