# %% + imports
!pip install tqdm

# %% adjoints_000
%matplotlib inline
def adjoints_000(x, y):
    v3 = x * y
    v4 = np.exp(v3)
    v5 = 1.0 + v4
    b7 = 1.0
    b6 = -b7
    b5 = b6 / v5
    b4 = b5
    b3 = b7 + b4 * v4
    return [b3 * y, b3 * x, b3, b4, b5, b6, b7]

# %% forward_tangents
%%time
def forward_tangents(graph, values, seeds):
    tangents = {}
    for name, op, operands in graph:
        if op == "input":
            tangents[name] = float(seeds[name])
            continue
        partials = PARTIALS[op](*(operand_value(values, o) for o in operands))
        tangents[name] = float(sum(p * tangents[o] for p, o in zip(partials, operands) if isinstance(o, str)))
    return tangents

# %% + reverse_adjoints
%timeit reverse_adjoints(GRAPH_000, evaluate(GRAPH_000, {"v1": 1.0, "v2": 2.0}))
