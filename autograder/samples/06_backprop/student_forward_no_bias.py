# %% forward
def forward(Ws, bs, X, activation_name):
    us, xs = [], [np.asarray(X, dtype=float)]
    for l, W in enumerate(Ws):
        u = xs[-1] @ W.T                                      # the bias is forgotten
        us.append(u)
        xs.append(u if l == len(Ws) - 1 else activation(activation_name, u)[0])
    return us, xs
