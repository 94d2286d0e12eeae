# %% he_init
def he_init(sizes, seed):
    rng = np.random.default_rng(seed)
    return [rng.normal(0.0, np.sqrt(1.0 / n_in), size=(n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
