# %% bfgs_update
def bfgs_update(H, s, y):
    H += np.outer(s, s) / (s @ y)                        # modifies H, and not the BFGS formula
    return H

# %% two_loop
def two_loop(g, s_list, y_list, gamma):
    H = gamma * np.eye(len(g))
    for s, y in zip(s_list, y_list):
        H = bfgs_update(H, s, y)
    return H @ g

# %% checks
def secant_residual(H, s, y):
    raise NotImplementedError("later")


def is_positive_definite(H):
    return np.all(np.diag(H) > 0)

# %% estimate_order
def estimate_order(errors):
    e0, e1, e2 = errors[-3:]
    return np.log(e2 / e1) / np.log(e1 / e0)
