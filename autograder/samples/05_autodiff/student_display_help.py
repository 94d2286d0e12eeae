# %% + adjoints_000
display(adjoints_000(1.0, 2.0))

# %% reverse_adjoints
display(GRAPH_000)


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

# %% + vjp_rules
help(vjp_sum)
