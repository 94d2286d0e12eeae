"""Hidden tests, task 2: forward mode on graphs."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

_spec = importlib.util.spec_from_file_location("graphs_05", Path(__file__).with_name("graphs.py"))
graphs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(graphs)

GRAPH_004 = [("t1", "input", ()), ("t2", "input", ()), ("t3", "input", ()),
             ("a1", "mul", ("t1", "t2")), ("a2", "add", ("t2", "t3")), ("a3", "mul", (-2.0, "t3")),
             ("a4", "sin", ("a1",)), ("a5", "exp", ("a2",)), ("a6", "sum", ("a4", "a5", "a3"))]


def check(student, graph, point, seeds, label):
    values = graphs.evaluate(graph, point)
    want = graphs.tangents(graph, values, seeds)
    grad = graphs.central_gradient(graph, point)
    directional = sum(grad[x] * seeds[x] for x in grad)
    assert abs(want[graph[-1][0]] - directional) < 1e-5 * max(1.0, abs(directional))     # the oracle itself
    got = student.forward_tangents(graph, values, seeds)
    assert isinstance(got, dict), "return a dict {node name: tangent}"
    name, why = graphs.first_difference([n for n, _, _ in graph], got, want)
    if name is not None:
        what = "has no tangent in your result" if why == "missing" else "is the first wrong tangent"
        pytest.fail(f"{label}: node {graphs.describe(graph, name)} {what} (nodes in evaluation order; "
                    "a tangent is the sum over the operands of partial derivative times the operand's tangent, "
                    "and a constant operand has tangent 0)")


@pytest.mark.points(1)
def test_004_in_every_direction(student):
    """004's graph at the visible test's point and at a new one, along e1, e3 and a mixed direction"""
    for where, point in (("at the visible test's point", {"t1": np.pi / 6, "t2": 2.0, "t3": 5.0}),
                         ("at a new point", {"t1": 1.0, "t2": -0.5, "t3": 0.3})):
        for along, seeds in (("along e1", {"t1": 1.0, "t2": 0.0, "t3": 0.0}), ("along e3", {"t1": 0.0, "t2": 0.0, "t3": 1.0}),
                             ("along a mixed direction", {"t1": 0.3, "t2": -1.2, "t3": 0.7})):
            check(student, GRAPH_004, point, seeds, f"004's graph {where} {along}")


@pytest.mark.points(1)
def test_graphs_you_have_not_seen(student):
    """five random graphs of 8 to 20 operations, with constants and an operand used twice"""
    for seed, n_ops in zip(range(5), (8, 12, 15, 18, 20)):
        graph, point = graphs.random_graph(500 + seed, n_inputs=3, n_ops=n_ops)
        rng = np.random.default_rng(seed)
        seeds = {x: float(rng.normal()) for x in graphs.inputs_of(graph)}
        check(student, graph, point, seeds, f"random graph {seed + 1} of 5")
