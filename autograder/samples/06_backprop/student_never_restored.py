# %% numerical_gradient
def numerical_gradient(f, theta, h):
    grad = np.zeros_like(theta, dtype=float)
    for i in np.ndindex(theta.shape):
        theta[i] += h
        f_plus = f(theta)
        theta[i] -= 2 * h
        f_minus = f(theta)                 # ... and theta[i] is never put back
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
