# %% + bfgs_update
H_try = bfgs_update(np.eye(3), np.array([1.0, 2.0, 0.0]), np.array([2.0, 3.0, 1.0]))
print(H_try)
print("secant:", H_try @ np.array([2.0, 3.0, 1.0]))

# %% + two_loop
print(two_loop(np.array([1.0, 1.0]), [np.array([1.0, 0.0])], [np.array([2.0, 1.0])], 1.0))

# %% bfgs_run
# Check both properties along the BFGS run (update with each pair in turn), and comment.
# YOUR CODE HERE
raise NotImplementedError()
