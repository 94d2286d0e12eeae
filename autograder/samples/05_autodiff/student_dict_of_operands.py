# %% reverse_adjoints
def reverse_adjoints(graph, values):
    adj = {name: 0.0 for name, _, _ in graph}
    adj[graph[-1][0]] = 1.0
    for name, op, operands in reversed(graph):
        if op == "input":
            continue
        local = dict(zip(operands, PARTIALS[op](*(operand_value(values, o) for o in operands))))
        for o, p in local.items():          # an operand used twice keeps one entry of the dict
            if isinstance(o, str):
                adj[o] += p * adj[name]
    return adj
