"""Tests of the live explorers (course_lib.explorers.live) and of what the built book carries.

- the mechanism: controls, tables on the grid of parameters (index columns), refusals;
- each explorer's chart is a valid Vega-Lite specification (Altair's schema), compiles to Vega,
  and weighs at most 300 KB in the page;
- the numbers in the built book agree with an independent computation at sampled parameter
  values (here: gradient descent on a quadratic as a matrix power, not course_lib.optim.run).
The browser tests (every control changes the figure, read-outs) are in test_book_browser.py.
"""

from __future__ import annotations

import html as html_module
import re

import numpy as np
import pytest

from course_lib.explorers import live_explorers
from course_lib.explorers.live import Dataset, LiveExplorer, Slider
from course_lib.explorers.newton import gd_quadratic_explorer
from conftest import table_rows

MAX_EXPLORER = 300_000   # bytes of page per explorer (specifications, tables, controls)
LIVE = live_explorers()


def _tiny(**overrides) -> LiveExplorer:
    import altair as alt

    def line(a, b):
        x = np.arange(3.0)
        return {"x": x, "y": a * x + b}

    def panels(source):
        return [source("line").mark_line().encode(x="x:Q", y="y:Q")]

    arguments = dict(controls={"a": Slider("a", [1.0, 2.0, 3.0], 2.0), "b": Slider("b", [0.0, 0.5], 0.0)},
                     datasets={"line": Dataset(("a", "b"), line)}, panels=panels, description="A line")
    arguments.update(overrides)
    return LiveExplorer(**arguments)


def test_table_holds_every_grid_point_with_index_columns():
    """Is each dataset computed for every combination of its parameters, the parameters stored
    as the index of their slider value?"""
    rows = table_rows(_tiny().table("line"))
    assert len(rows) == 3 * 2 * 3
    for row in rows:
        a, b = [1.0, 2.0, 3.0][int(row["a"])], [0.0, 0.5][int(row["b"])]
        assert row["y"] == pytest.approx(a * row["x"] + b)


def test_bad_definitions_are_refused():
    """Do a dataset depending on an unknown control, a non-identifier control name, ragged
    columns, a column named like a control and a non-finite number fail with a clear message?"""
    with pytest.raises(ValueError, match="not controls"):
        _tiny(datasets={"line": Dataset(("c",), lambda c: {"x": [1.0]})})
    with pytest.raises(ValueError, match="identifier"):
        _tiny(controls={"a b": Slider("a", [1.0, 2.0], 1.0)}, datasets={})
    with pytest.raises(ValueError, match="different lengths"):
        _tiny(datasets={"line": Dataset(("a",), lambda a: {"x": [1.0, 2.0], "y": [1.0]})}).table("line")
    with pytest.raises(ValueError, match="clash"):
        _tiny(datasets={"line": Dataset(("a",), lambda a: {"a": [1.0]})}).table("line")
    with pytest.raises(ValueError, match="finite"):
        _tiny(datasets={"line": Dataset(("a",), lambda a: {"x": [np.nan]})}).table("line")
    with pytest.raises(TypeError, match="unknown parameter"):
        _tiny().frame("line", c=1.0)


def test_labelled_slider_shows_its_labels():
    """Does a slider with labels (a menu of named choices) show the labels, in the book's controls
    and in the figure's description, and refuse a wrong number of them?"""
    menu = Slider("example", [0, 1, 2], 1, labels=["first", "x < y", "third"])
    ex = _tiny(controls={"a": menu, "b": Slider("b", [0.0, 0.5], 0.0)})
    assert menu.shown() == ["first", "x < y", "third"] and menu.text(1) == "x < y"
    assert "example = x < y" in ex._alt_text()
    assert "x &lt; y" in ex.static_html() and "&quot;third&quot;" in ex.static_html()
    with pytest.raises(ValueError, match="2 labels for 3 values"):
        Slider("example", [0, 1, 2], 0, labels=["a", "b"])


def test_widget_view_is_left_out_while_the_book_is_built(monkeypatch):
    """Does an explorer give the book only its static rendering when COURSE_LIB_EXPLORERS=static
    (no widget, no JavaScript bundle in the executed page)?"""
    monkeypatch.setenv("COURSE_LIB_EXPLORERS", "static")
    bundle = _tiny()._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    assert 'class="explorer live-explorer"' in bundle["text/html"]


def test_jupyter_view_drives_the_same_chart():
    """In Jupyter, does moving a slider set the chart's parameter (the index of the value)?"""
    view = _tiny().widget()
    sliders, chart = view.children
    a = sliders.children[0]
    a.value = 3.0
    assert chart.params.a == 2
    assert chart.spec["datasets"].keys() == {"line"}


@pytest.fixture(scope="module", params=LIVE, ids=lambda f: f.__name__)
def explorer(request):
    return request.param()


def test_chart_is_valid_vega_lite_and_compiles(explorer):
    """Does Altair's schema accept the chart, and does Vega-Lite (vl-convert's, of the version
    Altair writes for: the same compiler as the reader's browser runs) compile both layouts, with
    a signal per control?"""
    import altair as alt
    import vl_convert

    explorer.chart().to_dict(validate=True)
    version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    assert version in vl_convert.get_vegalite_versions()
    for columns in (1, explorer.columns):
        spec = vl_convert.vegalite_to_vega(explorer.spec(columns=columns), vl_version=version)
        assert {s["name"] for s in spec["signals"]} >= set(explorer.controls)


def test_explorer_is_light(explorer):
    """Does the explorer add at most 300 KB to its page?"""
    size = len(explorer.static_html().encode())
    assert size <= MAX_EXPLORER, f"{size / 1e3:.0f} kB"


def test_controls_are_labelled_with_their_values(explorer):
    """Has every control a label and its current value, and is the figure described?"""
    html = explorer.static_html()
    for name, slider in explorer.controls.items():
        uid = re.search(rf'id="([\w-]+-{name})"', html).group(1)
        assert f'<label for="{uid}">' in html and f'<output for="{uid}">' in html
        assert html_module.escape(slider.text(slider.default)) in html
    assert explorer.description.split(",")[0] in html


# --------------------------------------------------------------------------------------------
# The numbers in the built book
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gd_tables(explorer_tables):
    return explorer_tables("01_newton.html", "path", what="gradient-descent explorer")


@pytest.mark.parametrize("step_i, kappa_i", [(0, 6), (4, 3), (9, 3), (10, 3), (12, 0), (7, 5)])
def test_gd_explorer_in_the_book_follows_the_matrix_power(gd_tables, step_i, kappa_i):
    """Are the iterates drawn in chapter 1 those of theta_k = (I - eta H)^k theta_0, with
    H = R diag(1, 1/kappa) R^T (R a rotation by 30 degrees), theta_0 at eigen-coordinates
    (1.5, -3) up to sign (any basis at kappa = 1), and the error and its bound rho^k ||theta_0||?"""
    explorer = gd_quadratic_explorer()
    step = explorer.controls["step"].values[step_i]
    kappa = explorer.controls["kappa"].values[kappa_i]
    R = np.array([[np.cos(np.pi / 6), -np.sin(np.pi / 6)], [np.sin(np.pi / 6), np.cos(np.pi / 6)]])
    H = R @ np.diag([1.0, 1.0 / kappa]) @ R.T
    path = [r for r in gd_tables["path"] if (r["step"], r["kappa"]) == (step_i, kappa_i)]
    errors = [r for r in gd_tables["error"] if (r["step"], r["kappa"]) == (step_i, kappa_i)]
    theta0 = np.array([path[0]["theta1"], path[0]["theta2"]])
    assert np.linalg.norm(theta0) == pytest.approx(np.hypot(1.5, 3.0), rel=1e-3)
    if kappa > 1:   # (at kappa = 1 every basis is an eigenbasis)
        np.testing.assert_allclose(np.abs(R.T @ theta0), [1.5, 3.0], rtol=1e-3)
    M = np.eye(2) - step * H
    for row in path:
        expected = np.linalg.matrix_power(M, int(row["k"])) @ theta0
        np.testing.assert_allclose([row["theta1"], row["theta2"]], expected, rtol=2e-3, atol=2e-3 * 3.4)
    rho = max(abs(1 - step), abs(1 - step / kappa))
    assert len(errors) == 41
    for row in errors:
        exact = np.linalg.norm(np.linalg.matrix_power(M, int(row["k"])) @ theta0)
        if exact > 1e-8:
            assert row["error"] == pytest.approx(exact, rel=5e-3)
        bound = np.linalg.norm(theta0) * rho ** row["k"]
        if 1e-8 < bound < 1e12:
            assert row["bound"] == pytest.approx(bound, rel=5e-3)
            assert row["error"] <= row["bound"] * 1.002, "the error crosses its bound"
    mark = [r for r in gd_tables["marks"] if (r["step"], r["kappa"]) == (step_i, kappa_i)][0]
    assert mark["rho"] == pytest.approx(rho, rel=1e-3)
    assert mark["best"] == pytest.approx(2 / (1 + 1 / kappa), rel=1e-3)
