# %% first_step
def adam_first_step(g, lr, b1, b2, eps):
    g = np.asarray(g, dtype=float)
    m_hat = g
    v_hat = g ** 2
    return lr * m_hat / (np.sqrt(v_hat) + eps)                 # theta_0 - theta_1: the sign is flipped
