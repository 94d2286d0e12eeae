# %% bfgs_update
def bfgs_update(H, s, y):
    if s @ y <= 0:
        raise ValueError("curvature condition fails")
    Hs = H @ s                                           # NW eq. 6.19: the update of B, not of H = B^-1
    return H - np.outer(Hs, Hs) / (s @ Hs) + np.outer(y, y) / (y @ s)
