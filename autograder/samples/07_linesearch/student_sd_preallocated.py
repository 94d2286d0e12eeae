# %% exact_steepest_descent
def exact_steepest_descent(A, b, x0, num_steps):
    xs = np.zeros((num_steps + 1, len(x0)))
    xs[0] = x0
    for k in range(num_steps):
        g = A @ xs[k] - b
        if np.all(g == 0):
            break                                    # the rows after k stay zero
        xs[k + 1] = xs[k] - (g @ g) / (g @ A @ g) * g
    return xs
