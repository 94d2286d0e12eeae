# %% test_newton_visible
print("Visible tests passed.")

# %% test_newton_hidden
3.0
