# %% equivalent_network
def equivalent_network(W, b, beta, perm, signs):
    inv = np.argsort(perm)                               # the permutation taken the other way round
    s = np.asarray(signs, dtype=float)[inv]
    return s[:, None] * W[inv], s * b[inv], s * beta[inv]
