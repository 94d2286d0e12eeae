# %% batchnorm
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    mu = np.mean(X, axis=0, keepdims=True)
    var = np.mean((X - mu) ** 2, axis=0, keepdims=True)
    return gamma * (X - mu) / np.sqrt(var + eps) + beta


def batchnorm_backward(dY, X, gamma, eps=1e-5):
    s = 1 / np.sqrt(X.var(axis=0) + eps)
    xh = (X - X.mean(axis=0)) * s
    return dY * gamma * s, np.sum(dY * xh, axis=0), np.sum(dY, axis=0)   # as if mean and var were constants
