# %% estimate_order
def estimate_order(errors):
    e = [x for x in errors if x > 1e-14]
    if len(e) < 3:
        raise ValueError("not enough errors")
    return np.log(e[2] / e[1]) / np.log(e[1] / e[0])            # the FIRST three, not the last three
