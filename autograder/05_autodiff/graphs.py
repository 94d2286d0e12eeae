"""Graphs of scalar operations for the hidden suites of 05_autodiff, and reference sweeps.

The format is the notebook's: a list of ``(name, op, operands)`` in evaluation order, operands
being names of earlier nodes or float constants, the last node the output. The reference sweeps
here are written independently of the student's notebook and of course_lib, and every suite
checks them against central differences before using them.
"""

import numpy as np

OPS = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
    "sin": np.sin, "cos": np.cos, "exp": np.exp, "log": np.log, "tanh": np.tanh, "sum": lambda *a: sum(a),
}
PARTIALS = {
    "add": lambda a, b: (1.0, 1.0), "sub": lambda a, b: (1.0, -1.0), "mul": lambda a, b: (b, a),
    "div": lambda a, b: (1.0 / b, -a / b ** 2), "sin": lambda a: (np.cos(a),), "cos": lambda a: (-np.sin(a),),
    "exp": lambda a: (np.exp(a),), "log": lambda a: (1.0 / a,), "tanh": lambda a: (1.0 - np.tanh(a) ** 2,),
    "sum": lambda *a: (1.0,) * len(a),
}
ARITY = {"add": 2, "sub": 2, "mul": 2, "div": 2, "sin": 1, "cos": 1, "exp": 1, "log": 1, "tanh": 1}


def value_of(values, operand):
    return values[operand] if isinstance(operand, str) else float(operand)


def evaluate(graph, inputs):
    values = {}
    for name, op, operands in graph:
        values[name] = float(inputs[name]) if op == "input" else float(OPS[op](*(value_of(values, o) for o in operands)))
    return values


def tangents(graph, values, seeds):
    out = {}
    for name, op, operands in graph:
        if op == "input":
            out[name] = float(seeds[name])
        else:
            partials = PARTIALS[op](*(value_of(values, o) for o in operands))
            out[name] = float(sum(p * out[o] for p, o in zip(partials, operands) if isinstance(o, str)))
    return out


def adjoints(graph, values, overwrite=False):
    """Reverse sweep; ``overwrite=True`` is the classic mistake of assigning instead of summing."""
    out = {name: 0.0 for name, _, _ in graph}
    out[graph[-1][0]] = 1.0
    for name, op, operands in reversed(graph):
        if op == "input":
            continue
        partials = PARTIALS[op](*(value_of(values, o) for o in operands))
        for p, o in zip(partials, operands):
            if isinstance(o, str):
                if overwrite:
                    out[o] = float(p) * out[name]
                else:
                    out[o] += float(p) * out[name]
    return out


def inputs_of(graph):
    return [name for name, op, _ in graph if op == "input"]


def central_gradient(graph, point, h=1e-6):
    """The oracle: central differences of the output with respect to each input."""
    out = graph[-1][0]
    grad = {}
    for x in inputs_of(graph):
        up, down = dict(point), dict(point)
        up[x] += h
        down[x] -= h
        grad[x] = (evaluate(graph, up)[out] - evaluate(graph, down)[out]) / (2 * h)
    return grad


def random_graph(seed, n_inputs=3, n_ops=12, dangling=False):
    """A random graph whose values stay in a safe range: many nodes with several children, an
    operand used twice, constants; the output sums every node that has no child yet, inputs
    included (so every node influences it), except one ``dangling`` node when asked."""
    rng = np.random.default_rng(seed)
    names = [f"x{i + 1}" for i in range(n_inputs)]
    graph = [(x, "input", ()) for x in names]
    point = {x: float(rng.uniform(0.4, 1.4)) for x in names}
    values = dict(point)
    used = set()
    k = 0
    while k < n_ops:
        op = str(rng.choice(list(ARITY)))
        pool = [name for name, _, _ in graph]
        recent = pool[-4:]
        pick = lambda: str(rng.choice(recent if rng.random() < 0.6 else pool))
        if ARITY[op] == 1:
            operands = (pick(),)
        elif k == 2:
            a = pick()
            operands = (a, a)                                   # an operand used twice
        elif rng.random() < 0.2:
            operands = (pick(), float(np.round(rng.uniform(-2, 2), 2)))
        else:
            operands = (pick(), pick())
        args = [value_of(values, o) for o in operands]
        if op == "log" and args[0] <= 0.2 or op == "div" and abs(args[1]) < 0.3 or op == "exp" and args[0] > 3:
            continue
        v = float(OPS[op](*args))
        if not np.isfinite(v) or abs(v) > 50:
            continue
        name = f"n{k + 1}"
        graph.append((name, op, operands))
        values[name] = v
        used.update(o for o in operands if isinstance(o, str))
        k += 1
    leaves = [name for name, op, _ in graph if name not in used and op != "input"]
    if dangling and len(leaves) > 1:
        leaves = leaves[1:]                                     # leaves[0] does not reach the output
    unused_inputs = [x for x in names if x not in used]         # so that only a `dangling` node is off the path
    graph.append(("out", "sum", tuple(unused_inputs + leaves)))
    return graph, point


def as_number(value):
    """``value`` as a float if it is one real number (a 0-d or one-element array counts), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1 and np.issubdtype(value.dtype, np.number) \
            and not np.iscomplexobj(value):
        return float(value.reshape(-1)[0])
    return None


def first_difference(order, got, want, tol=1e-7):
    """The first name in ``order`` whose value differs (relative to the scale of ``want``).

    Returns ``(name, "missing" | "wrong")`` or ``(None, None)``. The reference values are exact
    formulas, so ``tol`` only has to absorb a different summation order (about 1e-15 here)."""
    for name in order:
        if name not in got:
            return name, "missing"
        g = as_number(got[name])
        if g is None or not np.isfinite(g) or abs(g - want[name]) > tol * max(1.0, abs(want[name])):
            return name, "wrong"
    return None, None


def describe(graph, name):
    """``name = op(operands)`` with constants written as ``c``: what kind of node it is, without
    any value of the hidden graph."""
    for n, op, operands in graph:
        if n == name:
            if op == "input":
                return f"{name} (an input)"
            return f"{name} = {op}({', '.join(o if isinstance(o, str) else 'c' for o in operands)})"
    return name


def children(graph, name):
    """How many times ``name`` is an operand (an operand used twice by one node counts twice)."""
    return sum(1 for _, _, operands in graph for o in operands if o == name)
