"""Tests of the automatic-differentiation explorer and graph drawing in course_lib.widgets."""

from __future__ import annotations

import re

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from course_lib import autodiff as ad
from course_lib.widgets import AUTODIFF_EXAMPLES, AutodiffExample, AutodiffExplorer, autodiff_explorer, autodiff_report, draw_graph
from conftest import central_gradient, render_png

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def explorer():
    return autodiff_explorer()


def _numbers_in(cell_html):
    return re.sub(r"<[^>]+>", "", cell_html)


def test_graph_has_one_box_per_node_and_one_arrow_per_operand():
    """Does the drawing show every node of 004's graph, with an arrow for each operand edge?"""
    C = lambda t: ad.sin(t[0] * t[1]) + ad.exp(t[1] + t[2]) - 2 * t[2]
    graph = ad.trace(C, np.array([np.pi / 6, 2.0, 5.0])).graph()
    fig = Figure()
    ax = fig.subplots()
    draw_graph(ax, graph)
    render_png(fig)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == len(graph) == 9
    assert sum(isinstance(p, FancyArrowPatch) for p in ax.patches) == sum(len(n.operands) for n in graph) == 10
    assert any(t.startswith("a₄ = sin(a₁)") for t in texts)


@pytest.mark.parametrize("example", AUTODIFF_EXAMPLES, ids=lambda e: e.expression)
def test_report_shows_graph_tables_and_the_right_gradient(example):
    """For every prepared example: a graph image, both tables, and a gradient that matches
    central differences of the same expression."""
    report = autodiff_report(example)
    assert "autodiff-error" not in report
    assert report.count("<img") == 1 and "data:image/png;base64," in report
    assert "Forward mode: primals and tangents" in report and "Reverse mode: adjoints" in report
    names = [v.strip() for v in example.variables.split(",")]
    f = ad.parse_expression(example.expression, names)
    point = np.array([float(ad.parse_expression(p, [])()) for p in example.point.split(",")])
    expected = central_gradient(lambda x: float(f(*x)), point)
    shown = re.search(r"whole gradient (\([^)]*\))", report).group(1)
    values = np.array([float(v) for v in shown.strip("()").split(",")])
    np.testing.assert_allclose(values, expected, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("example, message", [
    (AutodiffExample("x*", "x", "1", "1"), "Not a valid expression"),
    (AutodiffExample("import_module(x)", "x", "1", "1"), "Unknown function"),
    (AutodiffExample("x*y", "x, y", "1", "1, 0"), "The point has 1 numbers but there are 2 variables"),
    (AutodiffExample("x*y", "x, y", "1, 2", "1"), "The tangent has 1 numbers"),
    (AutodiffExample("x*y", "x, y", "1, two", "1, 0"), "Unknown name"),
    (AutodiffExample("x*y", "", "1, 2", "1, 0"), "Name at least one variable"),
    (AutodiffExample("log(x)", "x", "-1", "1"), "invalid value encountered in log"),
    (AutodiffExample("1/x", "x", "0", "1"), "divide by zero"),
    (AutodiffExample("2", "x", "1", "1"), "does not depend on the inputs"),
    (AutodiffExample("x", "x", "1,", "1"), "numbers separated by commas"),
])
def test_bad_input_gets_a_message_not_an_exception(example, message):
    """Does a reader's mistake produce a readable message in the page instead of a traceback?"""
    report = autodiff_report(example)
    assert 'class="autodiff-error"' in report
    assert message.lower() in _numbers_in(report).replace("&#x27;", "'").lower()


def test_static_html_has_a_menu_and_one_panel_per_example(explorer):
    """Is every example pre-rendered, the first one visible, and the page self-contained?"""
    page = explorer.static_html()
    assert page.count("<option") == len(AUTODIFF_EXAMPLES)
    panels = re.findall(r'<div class="ad-panel-\w+" data-k="(\d+)"( style="display:none")?>', page)
    assert [int(k) for k, _ in panels] == list(range(len(AUTODIFF_EXAMPLES)))
    assert [bool(hidden) for _, hidden in panels] == [False] + [True] * (len(AUTODIFF_EXAMPLES) - 1)
    assert "https://" not in page and "http://" not in page


def test_mime_bundle_has_static_and_live_views(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/html"] == explorer.static_html()
    assert WIDGET_VIEW in bundle


def test_live_widget_recomputes_when_the_expression_changes():
    """Does typing a new expression refresh the report, and a bad one show the message?"""
    box = AutodiffExplorer().widget()
    expression, variables, point, tangent, out = box.children
    variables.value, point.value, tangent.value = "x", "2", "1"
    expression.value = "x*x*x"
    assert "12" in _numbers_in(out.value)                  # d/dx x^3 at 2
    expression.value = "x*("
    assert "autodiff-error" in out.value


def test_explorer_needs_examples():
    with pytest.raises(ValueError, match="at least one example"):
        AutodiffExplorer(())
