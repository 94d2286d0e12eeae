# %% batchnorm
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    xc = X - mu
    var = (xc ** 2).mean(axis=0)
    return gamma * xc / np.sqrt(var + eps) + beta


def batchnorm_backward(dY, X, gamma, eps=1e-5):
    # the chain rule step by step through the graph mu -> xc -> var -> std -> x_hat
    N = X.shape[0]
    mu = X.mean(axis=0)
    xc = X - mu
    var = (xc ** 2).mean(axis=0)
    std = np.sqrt(var + eps)
    x_hat = xc / std
    dbeta = dY.sum(axis=0)
    dgamma = (dY * x_hat).sum(axis=0)
    dx_hat = dY * gamma
    dxc = dx_hat / std
    dstd = -np.sum(dx_hat * xc / std ** 2, axis=0)
    dvar = 0.5 * dstd / std
    dxc += 2 * xc * dvar / N
    dmu = -np.sum(dxc, axis=0)
    dX = dxc + dmu / N
    return dX, dgamma, dbeta
