# %% forward_tangents
def forward_tangents(graph, values, seeds):
    dot = {}
    for name, op, operands in graph:
        if op == "input":
            dot[name] = seeds[name]
        else:
            partials = PARTIALS[op](*(operand_value(values, o) for o in operands))
            dot[name] = sum(p * dot[o] for p, o in zip(partials, operands))   # a constant operand has no entry
    return dot
