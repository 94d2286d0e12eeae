# %% clipping
%%time
def clip_by_norm(g, threshold):
    n = np.linalg.norm(g)
    return g * (threshold / n) if n > threshold else np.copy(g)


def clip_by_value(g, threshold):
    return np.clip(g, -threshold, threshold)

# %% + clipping
%matplotlib inline
import matplotlib.pyplot as plt
gs = np.random.default_rng(1).normal(size=(200, 2)) * 3
clipped = np.array([clip_by_norm(v, 1.0) for v in gs])
plt.scatter(gs[:, 0], gs[:, 1], s=4, label="raw")
plt.scatter(clipped[:, 0], clipped[:, 1], s=4, label="clipped by norm")
plt.legend()
plt.show()

# %% he_init
%%time
def he_init(sizes, seed):
    rng = np.random.default_rng(seed)
    return [np.sqrt(2 / a) * rng.standard_normal((b, a)) for a, b in zip(sizes, sizes[1:])]

# %% + he_init
%timeit he_init([256, 256, 256], 0)
