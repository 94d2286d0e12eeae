# %% + imports
!pip install tqdm

# %% newton
%matplotlib inline
def newton_step(g, H):
    return np.linalg.solve(H, -np.asarray(g))


def newton_iterates(grad, hess, x0, tol=1e-10, max_iter=50):
    xs = [np.asarray(x0, dtype=float)]
    while len(xs) <= max_iter and np.linalg.norm(grad(xs[-1])) > tol:
        xs.append(xs[-1] + newton_step(grad(xs[-1]), hess(xs[-1])))
    return np.array(xs)

# %% classify
%%time
def classify_stationary_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(H)
    pos, neg = (lam > tol).sum(), (lam < -tol).sum()
    if pos and neg:
        return "saddle"
    if pos == len(lam):
        return "minimum"
    if neg == len(lam):
        return "maximum"
    return "inconclusive"

# %% + stability
%timeit gd_iterates(grad_q, np.ones(2), 0.1, 100)
