# %% + newton
print(newton_step(np.array([1.0, 1.0]), np.array([[2.0, 1.0], [1.0, 3.0]])))
print(newton_iterates(lambda t: 4 * t ** 3, lambda t: np.diag(12 * t ** 2), np.array([1.0]), max_iter=5))

# %% + classify
for M in (np.eye(2), -np.eye(3), np.diag([1.0, -1.0]), np.diag([1.0, 0.0])):
    print(M.diagonal(), classify_stationary_point(M))

# %% plot_divergence
# I ran out of time for the plot

# %% taylor_plot
# Your experiment and plot, and your answers as comments.
# YOUR CODE HERE
raise NotImplementedError()

# %% + taylor
print(taylor_error_ratio(rosen, rosen_grad, rosen_hess, np.zeros(2), np.array([1e-2, 0.0])))
