# %% clipping
import math


def clip_by_norm(g, threshold):
    total = 0.0
    for x in g:
        total += x * x
    norm = math.sqrt(total)
    out = np.zeros(len(g))
    for i in range(len(g)):
        out[i] = g[i] if norm <= threshold else g[i] * threshold / norm
    return out


def clip_by_value(g, threshold):
    out = []
    for x in g:
        if x > threshold:
            out.append(threshold)
        elif x < -threshold:
            out.append(-threshold)
        else:
            out.append(x)
    return np.array(out)

# %% he_init
def he_init(sizes, seed):
    rng = np.random.default_rng(seed)
    Ws = []
    for l in range(len(sizes) - 1):
        std = math.sqrt(2.0 / sizes[l])
        W = np.zeros((sizes[l + 1], sizes[l]))
        for i in range(sizes[l + 1]):
            W[i, :] = rng.normal(0.0, std, sizes[l])
        Ws.append(W)
    return Ws

# %% batchnorm
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    B, F = X.shape
    Y = np.zeros((B, F))
    for j in range(F):
        col = X[:, j]
        m = sum(col) / B
        v = sum((x - m) ** 2 for x in col) / B
        for n in range(B):
            Y[n, j] = gamma[j] * (col[n] - m) / math.sqrt(v + eps) + beta[j]
    return Y


def batchnorm_backward(dY, X, gamma, eps=1e-5):
    B, F = X.shape
    dX = np.zeros((B, F))
    dgamma = np.zeros(F)
    dbeta = np.zeros(F)
    for j in range(F):
        m = X[:, j].mean()
        v = ((X[:, j] - m) ** 2).mean()
        s = 1.0 / math.sqrt(v + eps)
        xh = (X[:, j] - m) * s
        g = dY[:, j] * gamma[j]
        for n in range(B):
            dX[n, j] = s * (g[n] - g.mean() - xh[n] * (g * xh).mean())
        dgamma[j] = sum(dY[:, j] * xh)
        dbeta[j] = sum(dY[:, j])
    return dX, dgamma, dbeta

# %% warmup_schedule
def warmup_schedule(t, lr, warmup_steps, total_steps):
    if t < warmup_steps:
        rate = lr * (t + 1) / warmup_steps
    elif t < total_steps:
        rate = lr - lr * (t - warmup_steps) / (total_steps - warmup_steps)
    else:
        rate = 0.0
    return float(rate)
