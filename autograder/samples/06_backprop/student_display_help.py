# %% forward
display(random_network((3, 4, 2), seed=1)[0][0].shape)


def forward(Ws, bs, X, activation_name):
    x = np.array(X, dtype=float)
    us, xs = [], [x]
    k = len(Ws)
    for i in range(k):
        u = x @ Ws[i].T + bs[i]
        us.append(u)
        if i < k - 1:
            x, _ = activation(activation_name, u)
        else:
            x = u
        xs.append(x)
    return us, xs

# %% + forward
help(forward)
