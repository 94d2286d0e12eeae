# %% activation
import math

def activation(name, u):
    u = np.asarray(u, dtype=float)
    if name == "tanh":
        value = np.tanh(u)
        return value, 1.0 / np.cosh(u) ** 2
    if name == "sigmoid":
        value = np.vectorize(lambda t: 1 / (1 + math.exp(-t)) if t >= 0 else math.exp(t) / (1 + math.exp(t)))(u)
        return np.asarray(value, dtype=float), value * (1 - value)
    if name == "relu":
        value = np.zeros_like(u)
        deriv = np.zeros_like(u)
        for i in np.ndindex(u.shape):
            if u[i] > 0:
                value[i] = u[i]
                deriv[i] = 1.0
        return value, deriv
    raise ValueError(f"{name} is not one of tanh, sigmoid, relu")

# %% forward
def forward(Ws, bs, X, activation_name):
    # one example at a time, then stacked into (B, H) arrays
    X = np.asarray(X, dtype=float)
    k = len(Ws)
    us = [np.zeros((X.shape[0], W.shape[0])) for W in Ws]
    xs = [X] + [np.zeros((X.shape[0], W.shape[0])) for W in Ws]
    for n in range(X.shape[0]):
        x = X[n]
        for l in range(k):
            u = Ws[l] @ x + bs[l]
            us[l][n] = u
            x = u if l == k - 1 else activation(activation_name, u)[0]
            xs[l + 1][n] = x
    return us, xs

# %% backprop
def backprop(Ws, bs, X, y, activation_name):
    us, xs = forward(Ws, bs, X, activation_name)
    B = X.shape[0]
    k = len(Ws)
    dWs = [np.zeros_like(W) for W in Ws]
    dbs = [np.zeros_like(b) for b in bs]
    loss = 0.0
    for n in range(B):                                 # per-example gradients, added up
        z = xs[-1][n]
        m = z.max()
        lse = m + np.log(np.sum(np.exp(z - m)))
        loss += (lse - z[y[n]]) / B
        delta = np.exp(z - lse)
        delta[y[n]] -= 1.0
        delta /= B
        for l in range(k - 1, -1, -1):
            dWs[l] += np.outer(delta, xs[l][n])
            dbs[l] += delta
            if l > 0:
                delta = (Ws[l].T @ delta) * activation(activation_name, us[l - 1][n])[1]
    return loss, dWs, dbs

# %% numerical_gradient
def numerical_gradient(f, theta, h):
    # shifts theta itself and shifts it back (by arithmetic) after each pair of evaluations
    grad = np.zeros(np.shape(theta))
    for i in np.ndindex(grad.shape):
        theta[i] += h
        up = f(theta)
        theta[i] -= 2 * h
        down = f(theta)
        theta[i] += h
        grad[i] = (up - down) / (2 * h)
    return grad
