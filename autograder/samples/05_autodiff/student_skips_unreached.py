# %% reverse_adjoints
def reverse_adjoints(graph, values):
    adj = {graph[-1][0]: 1.0}
    for name, op, operands in reversed(graph):
        if name not in adj or op == "input":    # nodes the output never reached get no entry
            continue
        partials = PARTIALS[op](*(operand_value(values, o) for o in operands))
        for p, o in zip(partials, operands):
            if isinstance(o, str):
                adj[o] = adj.get(o, 0.0) + p * adj[name]
    return adj
