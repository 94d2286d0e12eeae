# %% batchnorm
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    xh = (X - X.mean(0)) / np.sqrt(X.var(0) + eps)
    return gamma * xh + beta


def batchnorm_backward(dY, X, gamma, eps=1e-5):
    inv = 1 / np.sqrt(X.var(0) + eps)
    xh = (X - X.mean(0)) * inv
    g = gamma * dY
    dX = inv * (g - g.mean(0) - xh * (g * xh).mean(0))
    dgamma = np.mean(dY * xh, axis=0)            # averaged over the batch
    dbeta = np.sum(dY, axis=0)
    return dX, dgamma, dbeta
