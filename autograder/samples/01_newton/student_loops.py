# %% newton
def newton_step(g, H):
    g = np.array(g, dtype=float)
    H = np.array(H, dtype=float)
    p = np.linalg.solve(H, -g)
    return p


def newton_iterates(grad, hess, x0, tol=1e-10, max_iter=50):
    x = np.array(x0, dtype=float)
    iterates = [x]
    k = 0
    while k < max_iter:
        g = grad(x)
        norm = 0.0
        for gi in g:
            norm += gi * gi
        if norm ** 0.5 <= tol:
            break
        x = x + newton_step(g, hess(x))
        iterates.append(x)
        k += 1
    return np.array(iterates)

# %% classify
def classify_stationary_point(H, tol=1e-8):
    eigenvalues = np.linalg.eigvalsh(H)
    n_pos = 0
    n_neg = 0
    n_zero = 0
    for lam in eigenvalues:
        if lam > tol:
            n_pos += 1
        elif lam < -tol:
            n_neg += 1
        else:
            n_zero += 1
    if n_pos > 0 and n_neg > 0:
        return "saddle"
    if n_zero > 0:
        return "inconclusive"
    if n_pos > 0:
        return "minimum"
    return "maximum"

# %% stability
def max_stable_learning_rate(A):
    eigenvalues = np.linalg.eigvalsh(A)
    largest = eigenvalues[0]
    for lam in eigenvalues:
        if lam > largest:
            largest = lam
    return 2 / largest


def gd_iterates(grad, x0, lr, num_steps):
    x = np.array(x0, dtype=float)
    result = np.zeros((num_steps + 1, len(x)))
    result[0] = x
    for k in range(1, num_steps + 1):
        x = x - lr * grad(x)
        result[k] = x
    return result

# %% plot_divergence
for factor in [0.97, 1.03]:
    xs = gd_iterates(grad_q, np.array([1.0, 1.0]), factor * max_stable_learning_rate(A), 60)
    dist = [np.sqrt(row[0] ** 2 + row[1] ** 2) for row in xs]
    plt.semilogy(dist, label=str(factor))
plt.legend()
plt.show()
# the first coordinate (eigenvalue 10) flips sign and grows above the bound

# %% taylor
def taylor_error_ratio(f, grad, hess, x, d):
    g = grad(x)
    H = hess(x)
    n = len(d)
    lin = 0.0
    quad = 0.0
    dd = 0.0
    for i in range(n):
        lin += g[i] * d[i]
        dd += d[i] * d[i]
        for j in range(n):
            quad += d[i] * H[i][j] * d[j]
    model = f(x) + lin + 0.5 * quad
    return abs(f(x + d) - model) / dd

# %% taylor_plot
x, u = np.array([-0.5, 0.8]), np.array([1.0, 2.0])
hs = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5]
rs = []
for h in hs:
    rs.append(taylor_error_ratio(rosen, rosen_grad, rosen_hess, x, h * u))
plt.loglog(hs, rs, "o-")
plt.show()
# slope 1, then rounding noise for the smallest h
