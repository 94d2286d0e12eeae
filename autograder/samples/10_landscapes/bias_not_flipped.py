# %% equivalent_network
def equivalent_network(W, b, beta, perm, signs):
    s = np.asarray(signs, dtype=float)
    return s[:, None] * W[perm], b[perm], s * beta[perm]  # the bias keeps its sign
