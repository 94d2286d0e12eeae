# %% reverse_adjoints
def reverse_adjoints(graph, values):
    # adjoint(node) = sum over its children of partial * adjoint(child), memoised recursion
    output = graph[-1][0]
    uses = {name: [] for name, _, _ in graph}
    for name, op, operands in graph:
        for k, o in enumerate(operands):
            if isinstance(o, str):
                uses[o].append((name, op, operands, k))
    memo = {output: 1.0}

    def adjoint(name):
        if name not in memo:
            total = 0.0
            for child, op, operands, k in uses[name]:
                partial = PARTIALS[op](*(operand_value(values, o) for o in operands))[k]
                total += partial * adjoint(child)
            memo[name] = total
        return memo[name]

    return {name: adjoint(name) for name, _, _ in graph}
