"""Hidden tests, task 1: source 000's adjoints, node by node."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

_spec = importlib.util.spec_from_file_location("graphs_05", Path(__file__).with_name("graphs.py"))
graphs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(graphs)

GRAPH_000 = [("v1", "input", ()), ("v2", "input", ()), ("v3", "mul", ("v1", "v2")), ("v4", "exp", ("v3",)),
             ("v5", "add", (1.0, "v4")), ("v6", "log", ("v5",)), ("v7", "sub", ("v3", "v6"))]
HINTS = {
    "v7": "v7bar = 1: the output's adjoint is the seed",
    "v6": "v6bar = -v7bar, since v7 = v3 - v6",
    "v5": "v5bar = v6bar / v5, since v6 = log v5",
    "v4": "v4bar = v5bar, since v5 = 1 + v4",
    "v3": "v3 has two children, v4 and v7: v3bar = v7bar + exp(v3) v4bar",
    "v2": "v2bar = v1 v3bar, since v3 = v1 v2",
    "v1": "v1bar = v2 v3bar, since v3 = v1 v2",
}


def check_at(student, x, y, where):
    got = student.adjoints_000(x, y)
    if isinstance(got, np.ndarray):
        got = list(got.reshape(-1)) if got.ndim == 1 else got
    assert isinstance(got, (list, tuple)) and len(got) == 7, "return the list [v1bar, ..., v7bar] of seven numbers"
    numbers = [graphs.as_number(g) for g in got]
    assert all(g is not None for g in numbers), "every entry of the list should be a number (v1bar, ..., v7bar)"
    got = {f"v{i + 1}": g for i, g in enumerate(numbers)}
    values = graphs.evaluate(GRAPH_000, {"v1": x, "v2": y})
    want = graphs.adjoints(GRAPH_000, values)
    grad = graphs.central_gradient(GRAPH_000, {"v1": x, "v2": y})
    assert abs(want["v1"] - grad["v1"]) < 1e-6 and abs(want["v2"] - grad["v2"]) < 1e-6   # the oracle itself
    name, _ = graphs.first_difference(["v7", "v6", "v5", "v4", "v3", "v2", "v1"], got, want, tol=1e-9)
    if name is not None:
        pytest.fail(f"{where}, {name}bar is the first wrong adjoint going back from v7: {HINTS[name]}")


@pytest.mark.points(1)
def test_adjoints_at_new_points(student):
    """all seven adjoints at three new points, from v7bar down"""
    for k, (x, y) in enumerate([(0.5, -1.5), (-2.0, 0.25), (3.0, 1.0)]):
        check_at(student, x, y, f"at new point {k + 1} of 3")


@pytest.mark.points(1)
def test_adjoints_where_the_terms_nearly_cancel(student):
    """all seven adjoints where xy is large and positive, and large and negative (v3bar = 1 - sigmoid(xy) is
    then close to 0 or 1)"""
    for (x, y), where in [((2.0, 3.0), "where xy is large and positive"), ((-4.0, 2.0), "where xy is large and negative")]:
        check_at(student, x, y, where)
