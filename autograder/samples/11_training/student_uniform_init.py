# %% he_init
def he_init(sizes, seed):
    # uniform on [-a, a] has variance a^2 / 3 = 2 / fan_in for a = sqrt(6 / fan_in)
    rng = np.random.default_rng(seed)
    out = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        a = np.sqrt(6.0 / fan_in)
        out.append(rng.uniform(-a, a, size=(fan_out, fan_in)))
    return out
