# %% backprop
# the network of the visible tests above, to try things out
print(forward(Ws_t, bs_t, X_t, "tanh")[1][-1])


def backprop(Ws, bs, X, y, activation_name):
    us, xs = forward(Ws, bs, X, activation_name)
    logits = xs[-1]
    B, K = logits.shape
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_sum = np.log(np.sum(np.exp(shifted), axis=1))
    loss = np.mean(log_sum - shifted[np.arange(B), y])
    probs = np.exp(shifted - log_sum[:, None])
    onehot = np.zeros((B, K))
    onehot[np.arange(B), y] = 1.0
    delta = (probs - onehot) / B
    dWs, dbs = [], []
    for l in reversed(range(len(Ws))):
        dWs.insert(0, delta.T @ xs[l])
        dbs.insert(0, np.sum(delta, axis=0))
        if l > 0:
            _, d_act = activation(activation_name, us[l - 1])
            delta = (delta @ Ws[l]) * d_act
    return float(loss), dWs, dbs
