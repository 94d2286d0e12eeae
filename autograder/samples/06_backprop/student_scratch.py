# %% + activation
for name in ("tanh", "sigmoid", "relu"):
    print(name, activation(name, np.array([-1.0, 0.0, 2.0])))

# %% + forward
us_demo, xs_demo = forward(*random_network((3, 4, 2), seed=5), np.ones((2, 3)), "relu")
print([u.shape for u in us_demo], [x.shape for x in xs_demo])

# %% + backprop
Ws_d, bs_d = random_network((3, 5, 2), seed=2)
X_d, y_d = np.random.default_rng(2).normal(size=(4, 3)), np.array([0, 1, 1, 0])
loss_d, dWs_d, dbs_d = backprop(Ws_d, bs_d, X_d, y_d, "sigmoid")
print(loss_d, mlp_loss(Ws_d, bs_d, X_d, y_d, "sigmoid"))
print([d.shape for d in dWs_d], [d.shape for d in dbs_d])
