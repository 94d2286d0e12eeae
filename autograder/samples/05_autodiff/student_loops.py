# %% adjoints_000
def adjoints_000(x, y):
    v1 = x
    v2 = y
    v3 = v1 * v2
    v4 = np.exp(v3)
    v5 = 1 + v4
    v6 = np.log(v5)
    v7 = v3 - v6
    v7bar = 1
    v6bar = v7bar * (-1)
    v5bar = v6bar * (1 / v5)
    v4bar = v5bar * 1
    v3bar = v7bar * 1 + v4bar * np.exp(v3)
    v2bar = v3bar * v1
    v1bar = v3bar * v2
    return np.array([v1bar, v2bar, v3bar, v4bar, v5bar, v6bar, v7bar])

# %% forward_tangents
def forward_tangents(graph, values, seeds):
    tangent = {}
    for node in graph:
        name = node[0]
        op = node[1]
        operands = node[2]
        if op == "input":
            tangent[name] = seeds[name]
        else:
            args = []
            for o in operands:
                args.append(operand_value(values, o))
            partials = PARTIALS[op](*args)
            total = 0.0
            for i in range(len(operands)):
                if type(operands[i]) == str:
                    total = total + partials[i] * tangent[operands[i]]
            tangent[name] = total
    return tangent

# %% reverse_adjoints
def reverse_adjoints(graph, values):
    adjoint = {}
    for node in graph:
        adjoint[node[0]] = 0.0
    adjoint[graph[-1][0]] = 1.0
    for i in range(len(graph) - 1, -1, -1):
        name, op, operands = graph[i]
        if op == "input":
            continue
        args = [operand_value(values, o) for o in operands]
        partials = PARTIALS[op](*args)
        for j in range(len(operands)):
            if isinstance(operands[j], str):
                adjoint[operands[j]] = adjoint[operands[j]] + partials[j] * adjoint[name]
    return adjoint

# %% vjp_rules
def vjp_matmul(G, A, B):
    m, k = A.shape
    n = B.shape[1]
    GA = np.zeros((m, k))
    GB = np.zeros((k, n))
    for i in range(m):
        for j in range(n):
            for l in range(k):
                GA[i, l] += G[i, j] * B[l, j]
                GB[l, j] += A[i, l] * G[i, j]
    return GA, GB


def vjp_add_bias(G, X, b):
    Gb = np.zeros(len(b))
    for row in G:
        Gb += row
    return G, Gb


def vjp_tanh(G, X):
    t = np.tanh(X)
    return G * (1 - t * t)


def vjp_sum(G, X, axis):
    GX = np.zeros(X.shape)
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            if axis is None:
                GX[i, j] = G
            elif axis == 0:
                GX[i, j] = G[j]
            else:
                GX[i, j] = G[i]
    return GX
