# %% estimate_order
def estimate_order(errors):
    last = [e for e in errors[-3:] if e > 1e-14]                 # takes the last three, THEN drops the small ones
    if len(last) < 3:
        raise ValueError("fewer than three errors above 1e-14")
    return np.log(last[2] / last[1]) / np.log(last[1] / last[0])
