# %% clipping
def clip_by_norm(g, threshold):
    g = np.array(g, dtype=float)                 # a copy: g itself is never touched
    scale = min(1.0, threshold / np.sqrt(np.sum(g * g))) if np.any(g) else 1.0
    return scale * g


def clip_by_value(g, threshold):
    return np.minimum(np.maximum(g, -threshold), threshold)

# %% he_init
def he_init(sizes, seed):
    rng = np.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        weights.append(rng.standard_normal((fan_out, fan_in)) * np.sqrt(2 / fan_in))
    return weights

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

# %% warmup_schedule
def warmup_schedule(t, lr, warmup_steps, total_steps):
    if t >= total_steps:
        return 0.0
    if t >= warmup_steps:
        return lr * (1 - (t - warmup_steps) / (total_steps - warmup_steps))
    return lr * (t + 1) / warmup_steps
