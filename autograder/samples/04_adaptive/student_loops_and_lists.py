# %% adam
def adam(grad, x0, lr, b1, b2, eps, num_steps):
    # one coordinate at a time, plain Python lists
    x = [float(v) for v in x0]
    d = len(x)
    m = [0.0] * d
    v = [0.0] * d
    out = [list(x)]
    for t in range(1, num_steps + 1):
        g = grad(np.array(x))
        for i in range(d):
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            mhat = m[i] / (1 - b1 ** t)
            vhat = v[i] / (1 - b2 ** t)
            x[i] = x[i] - lr * mhat / (vhat ** 0.5 + eps)
        out.append(list(x))
    return np.array(out)

# %% adagrad_rmsprop
import math

def adagrad(grad, x0, lr, eps, num_steps):
    x = list(map(float, x0))
    G = [0.0 for _ in x]
    out = [x[:]]
    for step in range(num_steps):
        g = grad(np.array(x))
        for i in range(len(x)):
            G[i] += g[i] ** 2
            x[i] -= lr * g[i] / (math.sqrt(G[i]) + eps)
        out.append(x[:])
    return np.array(out)


def rmsprop(grad, x0, lr, decay, eps, num_steps):
    x = list(map(float, x0))
    s = [0.0 for _ in x]
    out = [x[:]]
    for step in range(num_steps):
        g = grad(np.array(x))
        for i in range(len(x)):
            s[i] = decay * s[i] + (1 - decay) * g[i] ** 2
            x[i] -= lr * g[i] / (math.sqrt(s[i]) + eps)
        out.append(x[:])
    return np.array(out)

# %% first_step
def adam_first_step(g, lr, b1, b2, eps):
    steps = []
    for gi in g:
        m = (1 - b1) * gi
        v = (1 - b2) * gi * gi
        steps.append(-lr * (m / (1 - b1)) / (math.sqrt(v / (1 - b2)) + eps))
    return np.array(steps)
