# %% + test_clipping_visible
print("g from the visible test:", g, clip_by_norm(g, 2.5), clip_by_value(g, 2.5))

# %% batchnorm
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    mu = np.mean(X, axis=0, keepdims=True)
    var = np.mean((X - mu) ** 2, axis=0, keepdims=True)
    return gamma * (X - mu) / np.sqrt(var + eps) + beta


def batchnorm_backward(dY, X, gamma, eps=1e-5):
    B = X.shape[0]
    mu = X.mean(axis=0)
    s = 1 / np.sqrt(X.var(axis=0) + eps)
    xh = (X - mu) * s
    dxh = dY * gamma
    dX = s / B * (B * dxh - dxh.sum(axis=0) - xh * np.sum(dxh * xh, axis=0))
    return dX, np.sum(dY * xh, axis=0), np.sum(dY, axis=0)


# the weights of the visible test of task 2, pushed through ReLU layers
h = np.random.default_rng(0).normal(size=(50, 400))
for W in Ws:
    h = np.maximum(h @ W.T, 0)
print("spread after two He layers:", h.std())
