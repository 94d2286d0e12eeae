# %% activation
def activation(name, u):
    funcs = {
        "tanh": lambda v: (np.tanh(v), 1 - np.tanh(v) ** 2),
        "sigmoid": lambda v: (0.5 * (1 + np.tanh(v / 2)), 0.25 * (1 - np.tanh(v / 2) ** 2)),
        "relu": lambda v: (np.maximum(v, 0.0), np.heaviside(v, 0.0)),
    }
    if name not in funcs:
        raise ValueError(f"unknown activation {name!r}; choose from {sorted(funcs)}")
    return funcs[name](np.asarray(u, dtype=float))

# %% forward
def forward(Ws, bs, X, activation_name):
    us, xs = [], [X]
    for l in range(len(Ws)):
        us.append(xs[-1] @ Ws[l].T + bs[l])
        xs.append(activation(activation_name, us[-1])[0] if l < len(Ws) - 1 else us[-1])
    return us, xs

# %% backprop
def backprop(Ws, bs, X, y, activation_name):
    # its own forward pass; sigma' written with the outputs: 1 - x^2, x (1 - x), [x > 0]
    derivative = {"tanh": lambda x: 1 - x * x, "sigmoid": lambda x: x * (1 - x),
                  "relu": lambda x: (x > 0).astype(float)}[activation_name]
    outs = [np.asarray(X, dtype=float)]
    for l, (W, b) in enumerate(zip(Ws, bs)):
        u = outs[-1] @ W.T + b
        outs.append(u if l == len(Ws) - 1 else activation(activation_name, u)[0])
    z = outs[-1]
    z = z - z.max(axis=1, keepdims=True)
    logsumexp = np.log(np.exp(z).sum(axis=1))
    B = len(y)
    loss = np.mean(logsumexp - z[np.arange(B), y])
    Y = np.eye(z.shape[1])[y]
    delta = (np.exp(z - logsumexp[:, None]) - Y) / B
    dWs, dbs = [], []
    for l in reversed(range(len(Ws))):
        dWs.append(delta.T @ outs[l])
        dbs.append(delta.sum(axis=0))
        if l:
            delta = delta @ Ws[l] * derivative(outs[l])
    return loss, dWs[::-1], dbs[::-1]

# %% numerical_gradient
def numerical_gradient(f, theta, h):
    theta = np.asarray(theta, dtype=float)
    flat = theta.reshape(-1)
    grad = np.empty_like(flat)
    for i in range(flat.size):
        e = np.zeros_like(flat)
        e[i] = h
        grad[i] = (f((flat + e).reshape(theta.shape)) - f((flat - e).reshape(theta.shape))) / (2 * h)
    return grad.reshape(theta.shape)
