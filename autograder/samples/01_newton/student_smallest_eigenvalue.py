# %% stability
def max_stable_learning_rate(A):
    lam = np.linalg.eigvalsh(A)
    return 2 / lam[0]                      # eigvalsh sorts increasing: this is lambda_min


def gd_iterates(grad, x0, lr, num_steps):
    xs = [np.array(x0, dtype=float)]
    for _ in range(num_steps):
        xs.append(xs[-1] - lr * grad(xs[-1]))
    return np.array(xs)
