"""Tests of chapter 5's live explorer (course_lib.explorers.autodiff.autodiff_explorer).

The numbers of the built page are compared with an independent computation: each example's
function written with numpy here, its gradient and directional derivative by central
differences. The generic checks (valid Vega-Lite, size, labels) are in test_explorers_live.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib.explorers.autodiff import AUTODIFF_EXAMPLES, AutodiffExample, autodiff_explorer
from conftest import central_gradient

# the examples' functions, written out with numpy (not parsed by course_lib)
FUNCTIONS = {
    "sin(t1*t2) + exp(t2 + t3) - 2*t3": lambda t: np.sin(t[0] * t[1]) + np.exp(t[1] + t[2]) - 2 * t[2],
    "x*y - log(1 + exp(x*y))": lambda t: t[0] * t[1] - np.log(1 + np.exp(t[0] * t[1])),
    "log(x1) + x1*x2 - sin(x2)": lambda t: np.log(t[0]) + t[0] * t[1] - np.sin(t[1]),
    "(sigmoid(w*x + b) - y)**2": lambda t: (1 / (1 + np.exp(-(t[0] * t[2] + t[1]))) - t[3]) ** 2,
}


def _numbers(text):
    return np.array([eval(p, {"pi": math.pi}) for p in text.split(",")], dtype=float)


@pytest.fixture(scope="module")
def explorer():
    return autodiff_explorer()


@pytest.fixture(scope="module")
def ad_tables(explorer_tables):
    return explorer_tables("05_autodiff.html", "reverse", what="autodiff explorer")


def _check(tables_of, k, example):
    """The example's numbers against numpy and central differences."""
    f = FUNCTIONS[example.expression]
    point, tangent = _numbers(example.point), _numbers(example.tangent)
    nodes, forward, reverse = tables_of("nodes"), tables_of("forward"), tables_of("reverse")
    n = len(point)
    inputs = [r for r in nodes if r["kind"] == 0]
    output = [r for r in nodes if r["kind"] == 2]
    assert len(inputs) == n and len(output) == 1
    np.testing.assert_allclose([r["value"] for r in inputs], point, rtol=1e-3)
    assert output[0]["value"] == pytest.approx(f(point), rel=1e-3, abs=1e-4)
    gradient = central_gradient(lambda t: float(f(t)), point)
    # forward mode: the inputs' tangents are the direction, the output's is grad C . direction
    np.testing.assert_allclose([r["tangent"] for r in forward[:n]], tangent, atol=1e-12)
    assert forward[-1]["tangent"] == pytest.approx(gradient @ tangent, rel=1e-3, abs=1e-4)
    assert forward[-1]["value"] == pytest.approx(f(point), rel=1e-3, abs=1e-4)
    # reverse mode: the seed first, the inputs' adjoints are the gradient
    assert reverse[0]["adjoint"] == 1
    shown = [reverse[int(r["backward"])]["adjoint"] for r in sorted(inputs, key=lambda r: r["node"])]
    np.testing.assert_allclose(shown, gradient, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("k", range(len(AUTODIFF_EXAMPLES)))
def test_autodiff_explorer_in_the_book_differentiates_every_example(ad_tables, k):
    """For every expression of the menu in chapter 5: are the output's value, its tangent (the
    directional derivative) and the inputs' adjoints (the gradient) those of numpy and central
    differences, with the inputs' tangents the example's direction and the seed 1?"""
    _check(lambda name: sorted([r for r in ad_tables[name] if r["example"] == k], key=lambda r: r.get("row", r.get("node"))),
           k, AUTODIFF_EXAMPLES[k])


@pytest.mark.parametrize("k", range(len(AUTODIFF_EXAMPLES)))
def test_every_example_matches_central_differences(explorer, k):
    """The same check on the explorer's frames (without building the book)."""
    _check(lambda name: [dict(zip(frame, values)) for frame in [explorer.frame(name, example=k)]
                         for values in zip(*frame.values())], k, AUTODIFF_EXAMPLES[k])


def test_graph_rows_and_edges_follow_the_trace(explorer):
    """Does 004's example show its nine nodes and ten edges, each edge going down the graph
    (inputs on top), and does each node sit on its iteration's row?"""
    nodes, edges = explorer.frame("nodes", example=0), explorer.frame("edges", example=0)
    assert len(nodes["node"]) == 9 and len(edges["x"]) == 10
    assert np.all(edges["y"] > edges["y2"])
    assert sorted(set(nodes["y"])) == [-3.0, -2.0, -1.0, 0.0]


@pytest.mark.parametrize("examples, match", [
    ((), "at least two examples"),
    ((AutodiffExample("x*", "x", "1", "1"),), "example 0.*Not a valid expression"),
    ((AutodiffExample("import_module(x)", "x", "1", "1"),), "example 0.*Unknown function"),
    ((AutodiffExample("x*y", "x, y", "1", "1, 0"),), "example 0.*point has 1 numbers but there are 2 variables"),
    ((AutodiffExample("x*y", "x, y", "1, 2", "1"),), "example 0.*tangent has 1 numbers"),
    ((AutodiffExample("x*y", "", "1, 2", "1, 0"),), "example 0.*name at least one variable"),
    ((AutodiffExample("log(x)", "x", "-1", "1"),), "example 0.*invalid value encountered in log"),
    ((AutodiffExample("1/x", "x", "0", "1"),), "example 0.*divide by zero"),
    ((AutodiffExample("2", "x", "1", "1"),), "example 0.*does not depend on the inputs"),
    ((AutodiffExample("x", "x", "1,", "1"),), "example 0.*numbers separated by commas"),
    ((AutodiffExample("x*y", "x, y", "1, 2", "1, 0"), AutodiffExample("x + y", "x, y", "1, 2", "1, 0"),
      AutodiffExample("sin(sin(sin(sin(sin(sin(sin(sin(sin(x)))))))))", "x", "1", "1")), "example 2.*at most 9"),
])
def test_bad_examples_are_refused(examples, match):
    """Does a menu with a mistaken example fail when it is built, with a message naming the
    example and what is wrong, instead of a figure that cannot be drawn?"""
    if len(examples) == 1:
        examples = examples + AUTODIFF_EXAMPLES[:1]        # a menu of two, the first mistaken
    with pytest.raises(ValueError, match=match):
        autodiff_explorer(examples)
