# %% + backtracking
x_try = np.array([-1.2, 1.0])
print(backtracking(rosenbrock, rosenbrock_grad, x_try, -rosenbrock_grad(x_try), 1.0, 0.5, 1e-4))

# %% + wolfe_conditions
for a in (0.01, 0.5, 1.0, 1.5, 1.95):
    print(a, wolfe_conditions(lambda x: float(x @ x), lambda x: 2 * x, np.array([1.0]), np.array([-1.0]), a, 1e-4, 0.9, True))

# %% zigzag
path = exact_steepest_descent(A_zz, b_zz, np.array([0.0, 5.0]), 20)
grads = path @ A_zz.T - b_zz
for k in range(len(grads) - 1):
    c = grads[k] @ grads[k + 1] / (np.linalg.norm(grads[k]) * np.linalg.norm(grads[k + 1]))
    print(k, c)
# they are all ~0: the exact step makes phi'(alpha) = g_(k+1) . p_k = 0 and p_k = -g_k

# %% + conjugate_gradient
A_test = np.array([[4.0, 1.0], [1.0, 3.0]])
print(conjugate_gradient(A_test, np.array([1.0, 2.0]), np.zeros(2), 1e-12, 10))
