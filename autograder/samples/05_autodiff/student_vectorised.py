# %% adjoints_000
def adjoints_000(x, y):
    v3 = x * y; v4 = np.exp(v3); v5 = 1 + v4
    b7, b6 = 1.0, -1.0
    b5 = b4 = b6 / v5                      # v6 = log v5, then v5 = 1 + v4
    b3 = b7 + v4 * b4                      # children v7 and v4
    return (y * b3, x * b3, b3, b4, b5, b6, b7)

# %% forward_tangents
def forward_tangents(graph, values, seeds):
    dot = dict(seeds)
    for name, op, operands in graph:
        if op == "input":
            continue
        partials = PARTIALS[op](*[operand_value(values, o) for o in operands])
        dot[name] = sum(p * dot.get(o, 0.0) if isinstance(o, str) else 0.0 for p, o in zip(partials, operands))
    return dot

# %% reverse_adjoints
from collections import defaultdict


def reverse_adjoints(graph, values):
    bar = defaultdict(float)
    bar[graph[-1][0]] = 1.0
    for name, op, operands in graph[::-1]:
        if op != "input":
            for p, o in zip(PARTIALS[op](*[operand_value(values, o) for o in operands]), operands):
                if isinstance(o, str):
                    bar[o] += p * bar[name]
    return {name: bar[name] for name, _, _ in graph}

# %% vjp_rules
def vjp_matmul(G, A, B):
    return np.einsum("ij,kj->ik", G, B), np.einsum("ik,ij->kj", A, G)


def vjp_add_bias(G, X, b):
    return np.ones_like(X) * G, np.ones(G.shape[0]) @ G


def vjp_tanh(G, X):
    return G / np.cosh(X) ** 2


def vjp_sum(G, X, axis):
    if axis is None:
        return np.full_like(X, G, dtype=float)
    return np.repeat(np.expand_dims(G, axis), X.shape[axis], axis=axis)
