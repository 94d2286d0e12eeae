# %% reverse_adjoints
def reverse_adjoints(graph, values):
    adj = {name: 0.0 for name, _, _ in graph}   # the output's adjoint is never set to 1
    for name, op, operands in reversed(graph):
        if op == "input":
            continue
        partials = PARTIALS[op](*(operand_value(values, o) for o in operands))
        for p, o in zip(partials, operands):
            if isinstance(o, str):
                adj[o] += p * adj[name]
    return adj
