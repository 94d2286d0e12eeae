# %% plot_divergence
blocks = []
while True:
    blocks.append(np.ones(10**7))
