# %% two_loop
def two_loop(g, s_list, y_list, gamma):
    q = np.array(g, dtype=float)
    alphas = []
    for s, y in zip(reversed(s_list), reversed(y_list)):
        a = (s @ q) / (y @ s)
        q = q - a * y
        alphas.append(a)
    r = q                                                        # H0 = I: gamma never used
    for s, y, a in zip(s_list, y_list, reversed(alphas)):
        r = r + (a - (y @ r) / (y @ s)) * s
    return r
