# %% exact_steepest_descent
def exact_steepest_descent(A, b, x0, num_steps):
    x = np.array(x0, dtype=float)
    xs = [x.copy()]
    for _ in range(num_steps):
        g = A @ x - b
        alpha = (g @ g) / (g @ A @ g)               # 0/0 once the gradient is zero
        x = x - alpha * g
        xs.append(x.copy())
    return np.array(xs)
