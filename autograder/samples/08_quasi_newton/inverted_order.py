# %% estimate_order
def estimate_order(errors):
    e = np.array([v for v in errors if v > 1e-14])
    if len(e) < 3:
        raise ValueError("too few errors")
    return np.log(e[-2] / e[-3]) / np.log(e[-1] / e[-2])  # inverted
