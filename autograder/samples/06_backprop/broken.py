# %% activation
def activation(name, u):
    return {"value": np.tanh(u), "derivative": 1 - np.tanh(u) ** 2}

# %% forward
def forward(Ws, bs, X, activation_name):
    xs = [X]
    for W, b in zip(Ws, bs):
        xs.append(activation(activation_name, xs[-1] @ W.T + b)[0])
    return xs

# %% backprop
def backprop(Ws, bs, X, y, activation_name):
    us, xs = forward(Ws, bs, X, activation_name)
    return mlp_loss(Ws, bs, X, y, activation_name)

# %% numerical_gradient
def numerical_gradient(f, theta, h):
    theta = np.asarray(theta, dtype=float)
    g = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        e = np.zeros_like(theta)
        e[i] = h
        g[i] = (f(theta + e) - f(theta - e)) / (2 * h)
    return g
