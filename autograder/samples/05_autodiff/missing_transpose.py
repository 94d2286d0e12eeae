# %% vjp_rules
def vjp_matmul(G, A, B):
    return G @ B, A.T @ G                        # G B instead of G B^T


def vjp_add_bias(G, X, b):
    return G, G.sum(axis=0)


def vjp_tanh(G, X):
    return G * (1 - np.tanh(X) ** 2)


def vjp_sum(G, X, axis):
    if axis is None:
        return np.ones_like(X) * G
    return np.ones_like(X) * np.expand_dims(G, axis)
