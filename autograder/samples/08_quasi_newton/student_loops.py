# %% bfgs_update
def bfgs_update(H, s, y):
    d = len(s)
    sy = 0.0
    for i in range(d):
        sy += s[i] * y[i]
    if sy <= 0:
        raise ValueError("curvature condition violated: s^T y <= 0")
    rho = 1.0 / sy
    Hy = [sum(H[i][k] * y[k] for k in range(d)) for i in range(d)]
    yHy = sum(y[i] * Hy[i] for i in range(d))
    new = np.zeros((d, d))
    for i in range(d):
        for j in range(d):
            new[i, j] = (H[i][j] - rho * (s[i] * Hy[j] + Hy[i] * s[j])
                         + (rho * rho * yHy + rho) * s[i] * s[j])
    return new

# %% two_loop
def two_loop(g, s_list, y_list, gamma):
    m = len(s_list)
    q = [float(v) for v in g]
    alpha = [0.0] * m
    rho = [1.0 / sum(a * b for a, b in zip(y_list[i], s_list[i])) for i in range(m)]
    for i in range(m - 1, -1, -1):
        alpha[i] = rho[i] * sum(a * b for a, b in zip(s_list[i], q))
        q = [qj - alpha[i] * yj for qj, yj in zip(q, y_list[i])]
    r = [gamma * qj for qj in q]
    for i in range(m):
        beta = rho[i] * sum(a * b for a, b in zip(y_list[i], r))
        r = [rj + (alpha[i] - beta) * sj for rj, sj in zip(r, s_list[i])]
    return np.array(r)

# %% checks
def secant_residual(H, s, y):
    d = len(s)
    num = 0.0
    for i in range(d):
        num += (sum(H[i][k] * y[k] for k in range(d)) - s[i]) ** 2
    return (num / sum(v * v for v in s)) ** 0.5


def is_positive_definite(H):
    H = np.asarray(H, dtype=float)
    n = H.shape[0]
    big = np.abs(H).max()
    for i in range(n):
        for j in range(n):
            if abs(H[i, j] - H[j, i]) > 1e-10 * big:
                return False
    # Sylvester's criterion: every leading principal minor is positive
    return all(np.linalg.det(H[:k, :k]) > 0 for k in range(1, n + 1))

# %% estimate_order
import math

def estimate_order(errors):
    kept = []
    for e in errors:
        if e > 1e-14:
            kept.append(e)
    if len(kept) < 3:
        raise ValueError("need three errors above 1e-14")
    e0, e1, e2 = kept[-3], kept[-2], kept[-1]
    return math.log(e2 / e1) / math.log(e1 / e0)
