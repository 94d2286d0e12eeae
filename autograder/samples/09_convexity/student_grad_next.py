# %% descent_lemma_slack
def descent_lemma_slack(costs, grads, eta, L):
    costs = np.asarray(costs, dtype=float)
    grads = np.asarray(grads, dtype=float)
    return costs[:-1] - eta * (1 - L * eta / 2) * np.sum(grads[1:] ** 2, axis=1) - costs[1:]
