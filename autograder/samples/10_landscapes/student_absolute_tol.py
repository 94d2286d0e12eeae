# %% tent_and_pieces
def tent_power(x, k):
    x = np.asarray(x, dtype=float)
    for _ in range(k):
        x = np.where(x <= 0.5, 2 * x, 2 - 2 * x)
    return x


def count_linear_pieces(x, y, rtol=1e-9):
    s = np.diff(y) / np.diff(x)
    return 1 + int(np.sum(np.abs(np.diff(s)) > rtol))      # absolute tolerance
