# %% descent_lemma_slack
def descent_lemma_slack(costs, grads, eta, L):
    costs = np.asarray(costs, dtype=float)
    g = np.asarray(grads, dtype=float)
    sq = np.sum(g ** 2, axis=1)
    return costs[:-1] - eta * (1 - L * eta) * sq[:-1] - costs[1:]
