# %% vjp_rules
def vjp_matmul(G, A, B):
    return G @ B.T, A.T @ G


def vjp_add_bias(G, X, b):
    return G, G.sum(axis=1)                     # sums over the columns instead of the rows


def vjp_tanh(G, X):
    return G * (1 - np.tanh(X) ** 2)


def vjp_sum(G, X, axis):
    if axis is None:
        return G * np.ones_like(X)
    return np.expand_dims(G, axis) * np.ones_like(X)
