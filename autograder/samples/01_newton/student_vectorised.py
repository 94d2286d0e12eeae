# %% newton
def newton_step(g, H):
    return -np.linalg.inv(H) @ g          # the inverse also raises LinAlgError when H is singular


def newton_iterates(grad, hess, x0, tol=1e-10, max_iter=50):
    path = [np.asarray(x0, dtype=float)]
    for _ in range(max_iter):
        g = grad(path[-1])
        if np.sqrt(g @ g) <= tol:
            break
        path.append(path[-1] + newton_step(g, hess(path[-1])))
    return np.vstack(path)

# %% classify
def classify_stationary_point(H, tol=1e-8):
    lam = np.linalg.eigvals(H).real      # H is symmetric, so the eigenvalues are real
    signs = np.where(np.abs(lam) <= tol, 0, np.sign(lam))
    if signs.max() > 0 > signs.min():
        return "saddle"
    if signs.min() > 0:
        return "minimum"
    if signs.max() < 0:
        return "maximum"
    return "inconclusive"

# %% stability
def max_stable_learning_rate(A):
    return 2 / np.linalg.norm(A, 2)       # for SPD A the spectral norm is lambda_max


def gd_iterates(grad, x0, lr, num_steps):
    xs = np.empty((num_steps + 1, np.size(x0)))
    xs[0] = x0
    for k in range(num_steps):
        xs[k + 1] = xs[k] - lr * grad(xs[k])
    return xs

# %% plot_divergence
eta = max_stable_learning_rate(A)
runs = {f: gd_iterates(grad_q, np.ones(2), f * eta, 80) for f in (0.97, 1.03)}
fig, ax = plt.subplots()
for f, xs in runs.items():
    ax.semilogy(np.linalg.norm(xs, axis=1), label=f"{f} x bound")
ax.legend()
# the lambda = 10 direction: factor 1 - 10 lr < -1 beyond the bound

# %% taylor
def taylor_error_ratio(f, grad, hess, x, d):
    x, d = np.asarray(x, float), np.asarray(d, float)
    m = f(x) + np.dot(grad(x), d) + np.einsum("i,ij,j->", d, hess(x), d) / 2
    return np.abs(f(x + d) - m) / np.linalg.norm(d) ** 2

# %% taylor_plot
x, u = np.array([-0.5, 0.8]), np.array([1.0, 2.0])
hs = np.logspace(-1, -5, 5)
plt.loglog(hs, [taylor_error_ratio(rosen, rosen_grad, rosen_hess, x, h * u) for h in hs])
