# %% + test_equivalent_network_visible
print(W2)
print(b2, beta2)

# %% escape_run
# reuse the functions of the visible test above
for seed in [0, 1, 2]:
    run = perturbed_gd(saddle_grad, [1.0, 0.0], 0.1, 200, 0.01, 1e-2, seed)
    print(seed, run[-1], saddle_loss(run[-1]))
print("visible test run ended at", escaped[-1])
# all runs end near (0, 1) or (0, -1)
