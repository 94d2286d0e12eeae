# %% forward_tangents
def forward_tangents(graph, values, seeds):
    tangents = {}
    for name, op, operands in graph:
        if op == "input":
            tangents[name] = seeds[name]
        else:
            partials = PARTIALS[op](*(operand_value(values, o) for o in operands))
            first = operands[0]                  # only the first operand's term
            tangents[name] = partials[0] * tangents[first] if isinstance(first, str) else 0.0
    return tangents
