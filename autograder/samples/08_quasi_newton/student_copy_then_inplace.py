# %% bfgs_update
def bfgs_update(H, s, y):
    curvature = np.dot(s, y)
    if curvature <= 0:
        raise ValueError(f"s^T y = {curvature} <= 0: curvature condition fails")
    rho = 1 / curvature
    Hy = H @ y
    H_new = H.copy()                       # work on a copy: the caller's H stays as it was
    H_new -= rho * np.outer(s, Hy)
    H_new -= rho * np.outer(Hy, s)
    H_new += (rho * rho * (y @ Hy) + rho) * np.outer(s, s)
    return H_new

# %% two_loop
def two_loop(g, s_list, y_list, gamma):
    q = np.array(g, dtype=float)
    if len(s_list) == 0:
        return gamma * q
    S = np.vstack(s_list)                  # m x d: the pairs as rows, never a d x d matrix
    Y = np.vstack(y_list)
    rho = 1.0 / np.sum(S * Y, axis=1)
    alpha = np.zeros(len(S))
    for i in reversed(range(len(S))):
        alpha[i] = rho[i] * S[i].dot(q)
        q -= alpha[i] * Y[i]
    r = gamma * q
    for i in range(len(S)):
        r += (alpha[i] - rho[i] * Y[i].dot(r)) * S[i]
    return r

# %% checks
def secant_residual(H, s, y):
    return np.linalg.norm(np.dot(H, y) - s) / np.linalg.norm(s)


def is_positive_definite(H):
    H = np.array(H, dtype=float)
    if np.linalg.norm(H - H.T) > 1e-10 * np.linalg.norm(H):
        return False
    return bool(np.all(np.linalg.eigvalsh(H) > 0))

# %% estimate_order
def estimate_order(errors):
    e = np.asarray(errors, dtype=float)
    e = e[e > 1e-14][-3:]
    if e.size < 3:
        raise ValueError("fewer than three errors above 1e-14")
    return float(np.log10(e[2] / e[1]) / np.log10(e[1] / e[0]))
