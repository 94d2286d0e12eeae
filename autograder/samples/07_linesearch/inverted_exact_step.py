# %% exact_steepest_descent
def exact_steepest_descent(A, b, x0, num_steps):
    x = np.asarray(x0, dtype=float)
    xs = [x]
    for _ in range(num_steps):
        g = A @ x - b
        if not np.any(g):
            break
        x = x - (g @ A @ g) / (g @ g) * g            # inverted
        xs.append(x)
    return np.array(xs)
