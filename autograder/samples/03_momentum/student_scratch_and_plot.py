# %% + heavy_ball
# quick check on C = theta^2 / 2
print(heavy_ball(lambda x: x, np.array([1.0]), 0.1, 0.5, 3))

# %% + nesterov
path = nesterov(lambda x: x, np.array([1.0, -1.0]), 0.1, 0.5, 10)
print(path.shape, path[-1])

# %% nesterov_plot
x0 = np.array([1.0, 1.0])
for name, method in (("heavy ball", heavy_ball), ("Nesterov", nesterov)):
    losses = [C_q(x) for x in method(grad_q, x0, 0.15, 0.8, 60)]
    plt.semilogy(losses, label=name)
plt.legend()
plt.xlabel("t")
plt.show()
# Nesterov oscillates less: its gradient is taken where momentum carries the iterate, so it brakes earlier.

# %% + unrolled
for T in (1, 10, 100, 1000):
    print(T, effective_learning_rate(0.01, 0.9, T), 0.01 / (1 - 0.9))
