# %% equivalent_network
%matplotlib inline
def equivalent_network(W, b, beta, perm, signs):
    s = np.array(signs)
    W2 = W[perm, :] * s.reshape(-1, 1)
    return W2, b[perm] * s, beta[perm] * s

# %% + equivalent_network
import matplotlib.pyplot as plt
x = np.linspace(-2, 2, 50)
W_t, b_t, beta_t = np.random.randn(4, 1), np.random.randn(4), np.random.randn(4)
W2_t, b2_t, beta2_t = equivalent_network(W_t, b_t, beta_t, [3, 1, 0, 2], [1, -1, -1, 1])
plt.plot(x, np.tanh(x[:, None] @ W_t.T + b_t) @ beta_t, label="old")
plt.plot(x, np.tanh(x[:, None] @ W2_t.T + b2_t) @ beta2_t, "--", label="new")
plt.legend()

# %% classify_critical_point
%%time
def classify_critical_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    if (lam > tol).all():
        return "minimum"
    if (lam < -tol).all():
        return "maximum"
    if lam.min() < -tol < tol < lam.max():
        return "strict saddle"
    return "degenerate"

# %% perturbed_gd
def perturbed_gd(grad, x0, eta, num_steps, radius, grad_threshold, seed):
    rng = np.random.default_rng(seed)
    x = np.array(x0, dtype=float)
    traj = np.empty((num_steps + 1, x.size))
    traj[0] = x
    for t in range(1, num_steps + 1):
        if np.linalg.norm(grad(x)) <= grad_threshold:
            u = rng.normal(size=x.size)
            x = x + u / np.linalg.norm(u) * radius * rng.uniform() ** (1 / x.size)
        x = x - eta * grad(x)
        traj[t] = x
    return traj

# %% + perturbed_gd
%timeit perturbed_gd(saddle_grad, [1.0, 0.0], 0.1, 50, 0.01, 1e-2, 0)

# %% tent_and_pieces
def tent_power(x, k):
    x = np.asarray(x, dtype=float)
    return x if k == 0 else tent_power(np.minimum(2 * x, 2 - 2 * x), k - 1)


def count_linear_pieces(x, y, rtol=1e-9):
    s = np.diff(y) / np.diff(x)
    change = np.abs(np.diff(s)) > rtol * np.max(np.abs(s))
    return int(change.sum()) + 1
