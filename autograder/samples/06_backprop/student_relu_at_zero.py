# %% activation
def activation(name, u):
    u = np.asarray(u, dtype=float)
    if name == "tanh":
        return np.tanh(u), 1 - np.tanh(u) ** 2
    if name == "sigmoid":
        s = 1 / (1 + np.exp(-u))
        return s, s * (1 - s)
    if name == "relu":
        return np.maximum(u, 0), (u >= 0).astype(float)     # derivative 1 at u = 0
    raise ValueError(f"unknown activation {name}: use tanh, sigmoid or relu")
