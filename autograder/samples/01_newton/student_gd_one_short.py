# %% stability
def max_stable_learning_rate(A):
    return 2 / np.max(np.linalg.eigvalsh(A))


def gd_iterates(grad, x0, lr, num_steps):
    xs = [np.array(x0, dtype=float)]
    for _ in range(1, num_steps):          # num_steps - 1 steps
        xs.append(xs[-1] - lr * grad(xs[-1]))
    return np.array(xs)
