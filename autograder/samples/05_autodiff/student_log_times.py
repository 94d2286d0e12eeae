# %% adjoints_000
def adjoints_000(x, y):
    v3 = x * y
    v4 = np.exp(v3)
    v5 = 1 + v4
    b7 = 1.0
    b6 = -b7
    b5 = b6 * v5                 # d log(v5) / d v5 taken as v5 instead of 1 / v5
    b4 = b5
    b3 = b7 + b4 * v4
    return [b3 * y, b3 * x, b3, b4, b5, b6, b7]
