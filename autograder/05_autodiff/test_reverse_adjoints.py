"""Hidden tests, task 3: reverse mode on graphs."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

_spec = importlib.util.spec_from_file_location("graphs_05", Path(__file__).with_name("graphs.py"))
graphs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(graphs)

GRAPH_000 = [("v1", "input", ()), ("v2", "input", ()), ("v3", "mul", ("v1", "v2")), ("v4", "exp", ("v3",)),
             ("v5", "add", (1.0, "v4")), ("v6", "log", ("v5",)), ("v7", "sub", ("v3", "v6"))]


def check(student, graph, point, label):
    values = graphs.evaluate(graph, point)
    want = graphs.adjoints(graph, values)
    grad = graphs.central_gradient(graph, point)
    assert all(abs(want[x] - grad[x]) < 1e-5 * max(1.0, abs(grad[x])) for x in grad)        # the oracle itself
    got = student.reverse_adjoints(graph, values)
    assert isinstance(got, dict), "return a dict {node name: adjoint}"
    name, why = graphs.first_difference([n for n, _, _ in reversed(graph)], got, want)
    if name is None:
        return
    if why == "missing":
        pytest.fail(f"{label}: node {graphs.describe(graph, name)} has no adjoint in your result "
                    "(a node that does not influence the output has adjoint 0)")
    overwritten = graphs.adjoints(graph, values, overwrite=True)
    numbers = {n: graphs.as_number(v) for n, v in got.items()}
    if all(numbers.get(n) is not None and abs(numbers[n] - overwritten[n]) <= 1e-7 * max(1.0, abs(overwritten[n]))
           for n in overwritten):
        pytest.fail(f"{label}: the adjoint of {graphs.describe(graph, name)} keeps only one contribution: a node with several children "
                    "(or an operand used twice) must add up partial derivative times adjoint over all of them")
    k = graphs.children(graph, name)
    uses = ("the output" if name == graph[-1][0] else "used by no node" if k == 0
            else f"used {k} time{'s' if k > 1 else ''} as an operand")
    pytest.fail(f"{label}: going back from the output, {graphs.describe(graph, name)} ({uses}) is the first node "
                "with a wrong adjoint (its adjoint sums, over its children c, d c / d node times the adjoint of c)")


@pytest.mark.points(1)
def test_000_at_new_points(student):
    """source 000's graph at two new points"""
    for k, (x, y) in enumerate([(0.5, -1.5), (-2.0, 3.0)]):
        check(student, GRAPH_000, {"v1": x, "v2": y}, f"000's graph at new point {k + 1} of 2")


@pytest.mark.points(1)
def test_graphs_you_have_not_seen(student):
    """five random graphs of 8 to 20 operations: nodes with several children, an operand used
    twice, constants"""
    for seed, n_ops in zip(range(5), (8, 12, 15, 18, 20)):
        graph, point = graphs.random_graph(700 + seed, n_inputs=3, n_ops=n_ops)
        check(student, graph, point, f"random graph {seed + 1} of 5")


@pytest.mark.points(1)
def test_nodes_off_the_output_path(student):
    """random graphs with a node the output does not use (its adjoint, and its operands' share, is 0),
    and a graph whose inputs are used many times"""
    for seed in range(3):
        graph, point = graphs.random_graph(900 + seed, n_inputs=2, n_ops=14, dangling=True)
        check(student, graph, point, f"random graph {seed + 1} of 3 with a dangling node")
    square_chain = [("x", "input", ()), ("y", "input", ()), ("p", "mul", ("x", "x")), ("q", "mul", ("p", "x")),
                    ("r", "mul", ("q", "y")), ("s", "div", ("r", "x")), ("out", "sum", ("s", "p", "x", "y"))]
    check(student, square_chain, {"x": 0.7, "y": -1.3}, "the graph x*x, (x*x)*x, ... (x used five times)")
