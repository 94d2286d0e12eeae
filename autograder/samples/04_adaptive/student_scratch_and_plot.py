# %% + adam
xs_try = adam(lambda x: 2 * (x - 3.0), np.zeros(2), 0.1, 0.9, 0.999, 1e-8, 200)
print("Adam after 200 steps:", xs_try[-1])

# %% + adagrad_rmsprop
print("AdaGrad:", adagrad(lambda x: x, np.array([1.0, -1.0]), 0.5, 1e-8, 5)[-1])
print("RMSProp:", rmsprop(lambda x: x, np.array([1.0, -1.0]), 0.05, 0.9, 1e-8, 5)[-1])

# %% sparse
x0 = np.zeros(10)
gd = [x0]
for _ in range(300):
    gd.append(gd[-1] - 1.0 * logistic_grad(gd[-1]))
gd = np.array(gd)
ada = adagrad(logistic_grad, x0, 0.5, 1e-8, 300)
ad = adam(logistic_grad, x0, 0.05, 0.9, 0.999, 1e-8, 300)
for name, path in (("GD", gd), ("AdaGrad", ada), ("Adam", ad)):
    plt.semilogy(np.linalg.norm(path[:, 5:] - theta_best[5:], axis=1), label=name)
plt.xlabel("step")
plt.ylabel("distance of the rare coefficients")
plt.legend()
plt.show()
# GD hardly moves the rare coefficients (tiny gradients); AdaGrad and Adam rescale each coordinate.
