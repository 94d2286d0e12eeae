# %% vjp_rules
def vjp_matmul(G, A, B):
    return G @ B.T, A.T @ G


def vjp_add_bias(G, X, b):
    return G, G.mean(axis=0)                     # the mean over the rows instead of the sum


def vjp_tanh(G, X):
    return G * (1 - np.tanh(X) ** 2)


def vjp_sum(G, X, axis):
    return np.ones_like(X) * G                   # broadcasting G without putting the axis back
