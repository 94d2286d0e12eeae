# %% clipping
def clip_by_norm(g, threshold):
    g /= np.linalg.norm(g)                       # modifies g, and always unit length
    return g


def clip_by_value(g, threshold):
    return np.minimum(g, threshold)

# %% he_init
def he_init(sizes, seed):
    return [np.random.normal(0, 2 / n, (n, m)) for n, m in zip(sizes[:-1], sizes[1:])]

# %% batchnorm
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    return gamma * (X - X.mean()) / (X.std() + eps) + beta


def batchnorm_backward(dY, X, gamma, eps=1e-5):
    raise ValueError("not done")

# %% warmup_schedule
def warmup_schedule(t, lr, warmup_steps, total_steps):
    return lr * t / total_steps
