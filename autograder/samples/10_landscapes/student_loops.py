# %% equivalent_network
def equivalent_network(W, b, beta, perm, signs):
    m = len(perm)
    W2 = np.zeros_like(W, dtype=float)
    b2 = np.zeros(m)
    beta2 = np.zeros(m)
    for i in range(m):
        j = perm[i]
        for c in range(W.shape[1]):
            W2[i, c] = signs[i] * W[j, c]
        b2[i] = signs[i] * b[j]
        beta2[i] = signs[i] * beta[j]
    return W2, b2, beta2

# %% classify_critical_point
def classify_critical_point(H, tol=1e-8):
    eigs = sorted(np.linalg.eigvalsh(H))
    n_pos = 0
    n_neg = 0
    for e in eigs:
        if e > tol:
            n_pos += 1
        elif e < -tol:
            n_neg += 1
    if n_pos == len(eigs):
        return "minimum"
    elif n_neg == len(eigs):
        return "maximum"
    elif n_pos > 0 and n_neg > 0:
        return "strict saddle"
    else:
        return "degenerate"

# %% perturbed_gd
import math


def perturbed_gd(grad, x0, eta, num_steps, radius, grad_threshold, seed):
    rng = np.random.default_rng(seed)
    x = [float(v) for v in x0]
    d = len(x)
    out = [list(x)]
    for t in range(num_steps):
        g = grad(np.array(x))
        if math.sqrt(sum(gi * gi for gi in g)) <= grad_threshold:
            z = [rng.normal() for _ in range(d)]
            norm = math.sqrt(sum(zi * zi for zi in z))
            length = radius * rng.random() ** (1 / d)
            x = [x[i] + length * z[i] / norm for i in range(d)]
            g = grad(np.array(x))
        x = [x[i] - eta * g[i] for i in range(d)]
        out.append(list(x))
    return np.array(out)

# %% tent_and_pieces
def tent_power(x, k):
    out = np.array(x, dtype=float)
    for i in range(out.size):
        v = out.flat[i]
        for _ in range(k):
            v = 2 * v if v <= 0.5 else 2 - 2 * v
        out.flat[i] = v
    return out


def count_linear_pieces(x, y, rtol=1e-9):
    slopes = [(y[i + 1] - y[i]) / (x[i + 1] - x[i]) for i in range(len(x) - 1)]
    biggest = max(abs(s) for s in slopes)
    pieces = 1
    for i in range(len(slopes) - 1):
        if abs(slopes[i + 1] - slopes[i]) > rtol * biggest:
            pieces += 1
    return pieces
