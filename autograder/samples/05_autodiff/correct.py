# %% adjoints_000
def adjoints_000(x, y):
    v = {1: x, 2: y}
    v[3] = v[1] * v[2]
    v[4] = np.exp(v[3])
    v[5] = 1 + v[4]
    v[6] = np.log(v[5])
    bar = {7: 1.0}
    bar[6] = -1.0 * bar[7]
    bar[5] = bar[6] * (1 / v[5])
    bar[4] = bar[5] * 1.0
    bar[3] = bar[7] * 1.0 + bar[4] * np.exp(v[3])
    bar[2] = bar[3] * v[1]
    bar[1] = bar[3] * v[2]
    return [float(bar[i]) for i in range(1, 8)]

# %% forward_tangents
def forward_tangents(graph, values, seeds):
    dot = {}
    for name, op, operands in graph:
        if op == "input":
            dot[name] = seeds[name]
        else:
            args = [values[o] if isinstance(o, str) else o for o in operands]
            d = 0.0
            for partial, o in zip(PARTIALS[op](*args), operands):
                d += partial * (dot[o] if isinstance(o, str) else 0.0)
            dot[name] = float(d)
    return dot

# %% reverse_adjoints
def reverse_adjoints(graph, values):
    children = {name: [] for name, _, _ in graph}
    for name, op, operands in graph:
        for k, o in enumerate(operands):
            if isinstance(o, str):
                children[o].append((name, k))
    node = {name: (op, operands) for name, op, operands in graph}
    zeta = {}
    for name, _, _ in reversed(graph):
        if name == graph[-1][0]:
            zeta[name] = 1.0
            continue
        total = 0.0
        for child, k in children[name]:
            op, operands = node[child]
            args = [operand_value(values, o) for o in operands]
            total += PARTIALS[op](*args)[k] * zeta[child]
        zeta[name] = float(total)
    return zeta

# %% vjp_rules
def vjp_matmul(G, A, B):
    return np.dot(G, np.transpose(B)), np.dot(np.transpose(A), G)


def vjp_add_bias(G, X, b):
    return np.array(G, dtype=float), np.sum(G, axis=0)


def vjp_tanh(G, X):
    return G / np.cosh(X) ** 2


def vjp_sum(G, X, axis):
    X = np.asarray(X)
    if axis is None:
        return np.full(X.shape, float(G))
    if axis == 0:
        return np.tile(np.asarray(G)[None, :], (X.shape[0], 1))
    return np.tile(np.asarray(G)[:, None], (1, X.shape[1]))
