# %% equivalent_network
def equivalent_network(W, b, beta, perm, signs):
    P = np.eye(len(perm))[list(perm)]                  # (P v)_i = v_perm[i]
    S = np.diag(np.asarray(signs, dtype=float))
    return S @ P @ W, S @ P @ b, S @ P @ beta

# %% classify_critical_point
def classify_critical_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    positive = np.any(lam > tol)
    negative = np.any(lam < -tol)
    zero = np.any(np.abs(lam) <= tol)
    if positive and negative:
        return "strict saddle"
    if zero:
        return "degenerate"
    return "minimum" if positive else "maximum"

# %% perturbed_gd
def perturbed_gd(grad, x0, eta, num_steps, radius, grad_threshold, seed):
    rng = np.random.default_rng(seed)
    d = len(x0)
    xs = np.zeros((num_steps + 1, d))
    xs[0] = x0
    for t in range(num_steps):
        x = xs[t].copy()
        if np.sqrt(np.sum(np.asarray(grad(x)) ** 2)) <= grad_threshold:
            while True:                                  # rejection from the cube
                xi = rng.uniform(-radius, radius, d)
                if xi @ xi <= radius ** 2:
                    break
            x = x + xi
        xs[t + 1] = x - eta * np.asarray(grad(x))
    return xs

# %% tent_and_pieces
def tent_power(x, k):
    y = np.array(x, dtype=float)
    for _ in range(k):
        y = 1 - np.abs(2 * y - 1)
    return y


def count_linear_pieces(x, y, rtol=1e-9):
    slopes = np.diff(y) / np.diff(x)
    jumps = np.abs(slopes[1:] - slopes[:-1])
    return 1 + int(np.count_nonzero(jumps > rtol * np.abs(slopes).max()))
