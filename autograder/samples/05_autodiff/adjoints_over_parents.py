# %% reverse_adjoints
def reverse_adjoints(graph, values):
    # sums over the node's operands (its parents) instead of over its children
    adj = {}
    for name, op, operands in reversed(graph):
        if name == graph[-1][0]:
            adj[name] = 1.0
        elif op == "input":
            adj[name] = adj.get(name, 0.0)
        else:
            partials = PARTIALS[op](*(operand_value(values, o) for o in operands))
            adj[name] = sum(p * adj.get(o, 0.0) for p, o in zip(partials, operands) if isinstance(o, str))
    return adj
