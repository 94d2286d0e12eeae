# %% backprop
def backprop(Ws, bs, X, y, activation_name):
    us, xs = forward(Ws, bs, X, activation_name)
    z = xs[-1] - xs[-1].max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    B = len(y)
    loss = float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(B), y]))
    delta = p.copy()
    delta[np.arange(B), y] -= 1                       # P - Y; the 1/B goes into the weight gradients ...
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    for l in range(len(Ws) - 1, -1, -1):
        dWs[l] = delta.T @ xs[l] / B
        dbs[l] = delta.sum(axis=0)                    # ... but not into the bias gradients
        if l > 0:
            delta = (delta @ Ws[l]) * activation(activation_name, us[l - 1])[1]
    return loss, dWs, dbs
