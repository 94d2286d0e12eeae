# %% bfgs_update
%%time
def bfgs_update(H, s, y):
    ys = y @ s
    if not ys > 0:
        raise ValueError("curvature condition s^T y > 0 violated")
    rho = 1 / ys
    I = np.eye(len(s))
    return (I - rho * np.outer(s, y)) @ H @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s)

# %% + bfgs_update
%timeit bfgs_update(np.eye(50), np.ones(50), np.arange(50.0))

# %% two_loop
%matplotlib inline
def two_loop(g, s_list, y_list, gamma):
    q = np.array(g, dtype=float)
    rhos = [1.0 / (y @ s) for s, y in zip(s_list, y_list)]
    alphas = [0.0] * len(s_list)
    for i in reversed(range(len(s_list))):
        alphas[i] = rhos[i] * (s_list[i] @ q)
        q = q - alphas[i] * y_list[i]
    r = gamma * q
    for i in range(len(s_list)):
        r = r + (alphas[i] - rhos[i] * (y_list[i] @ r)) * s_list[i]
    return r
