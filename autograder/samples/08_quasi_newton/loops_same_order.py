# %% two_loop
def two_loop(g, s_list, y_list, gamma):
    q = np.array(g, dtype=float)
    alphas = []
    for s, y in zip(s_list, y_list):                     # oldest to newest: wrong order
        a = (s @ q) / (y @ s)
        q = q - a * y
        alphas.append(a)
    r = gamma * q
    for s, y, a in zip(s_list, y_list, alphas):
        r = r + (a - (y @ r) / (y @ s)) * s
    return r
