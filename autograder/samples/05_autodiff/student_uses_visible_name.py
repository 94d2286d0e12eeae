# %% reverse_adjoints
print("forward mode gave dC/dt2 =", tan["a6"])     # tan: from the visible test of task 2


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
