# %% backprop
def backprop(Ws, bs, X, y, activation_name):
    us, xs = forward(Ws, bs, X, activation_name)
    z = xs[-1] - xs[-1].max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    B = len(y)
    loss = float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(B), y]))
    delta = p.copy()
    delta[np.arange(B), y] -= 1
    delta /= B
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    for l in range(len(Ws) - 1, -1, -1):
        dWs[l] = delta.T @ xs[l]
        dbs[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ Ws[l]) * activation(activation_name, xs[l])[1]   # sigma' of the output, not of U
    return loss, dWs, dbs
