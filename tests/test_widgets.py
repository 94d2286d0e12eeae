"""Tests of course_lib.widgets: the Explorer mechanism and the chapter-1 factories.

The figures are rendered for real (to PNG, which forces a full draw), and pytest turns every
warning into an error, so a divergent run that overflows while drawing fails here.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from course_lib import widgets
from course_lib.widgets import Explorer, Slider
from conftest import render_png

FACTORIES = [widgets.newton_vs_gd_explorer, widgets.taylor_model_explorer]
# every factory of the book, for the checks that hold for all of them
ALL_FACTORIES = FACTORIES + [widgets.batch_size_explorer, widgets.momentum_explorer, widgets.optimizer_race_explorer,
                             widgets.quasi_newton_race_explorer]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


_render = render_png


def _tiny_explorer(values=(1.0, 2.0, 3.0), default=2.0) -> Explorer:
    def draw(fig, a, b):
        ax = fig.subplots()
        ax.plot([0.0, 1.0], [b, a + b])

    return Explorer(draw, {"a": Slider("slope", list(values), default), "b": Slider("offset", [0.0, 1.0], 0.0)},
                    sweep="a", figsize=(2.0, 1.5), description="A line through the origin.")


@pytest.fixture(scope="module")
def newton_explorer():
    """One instance shared by the slow tests: its static sweep is rendered once and cached."""
    return widgets.newton_vs_gd_explorer()


# --------------------------------------------------------------------------------------------
# The factories
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=lambda f: f.__name__)
def test_factory_builds_a_consistent_explorer(factory):
    """Does every factory return an Explorer whose sweep is one of its controls, with each
    default among the slider's values?"""
    ex = factory()
    assert isinstance(ex, Explorer)
    assert ex.sweep in ex.controls
    for slider in ex.controls.values():
        assert slider.default in list(slider.values)


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_default_figure_draws(factory):
    """Does the default figure draw completely (PNG rendering) with labelled axes?"""
    fig = factory().figure()
    assert _render(fig).startswith(b"\x89PNG")
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize(
    "params",
    [
        {"theta0": 1.0},  # C''(theta0) = 0: Newton's step is undefined
        {"theta0": -3.0, "lr": 0.15},  # gradient descent runs down the unbounded branch
        {"theta0": 40.0, "lr": 0.15},  # gradient descent overshoots to the left and diverges
        {"theta0": 1.0 + 1e-12},  # a huge first Newton step
        {"theta0": -1.0},  # starts on the maximum
    ],
)
def test_newton_explorer_draws_extreme_parameters_without_warnings(newton_explorer, params):
    """Do singular Hessians and runaway gradient descent still give a clean figure?"""
    _render(newton_explorer.figure(**params))


@pytest.mark.parametrize("theta0", [1.0, -10.0, 10.0])
def test_taylor_explorer_draws_extreme_parameters_without_warnings(theta0):
    """Does the model figure survive a flat model (C'' = 0) and points far off the axes?"""
    _render(widgets.taylor_model_explorer().figure(theta0=theta0))


@pytest.mark.parametrize("theta0, limit", [(0.5, "local maximum"), (-2.0, "local maximum"), (1.5, "local minimum")])
def test_newton_explorer_names_the_limit(newton_explorer, theta0, limit):
    """Does the title say where Newton's method went: the maximum from the left of the
    inflection point, the minimum from the right?"""
    fig = newton_explorer.figure(theta0=theta0)
    assert limit in fig.axes[0].get_title()


# --------------------------------------------------------------------------------------------
# The static rendering and the display bundle
# --------------------------------------------------------------------------------------------


def _frame_count(html: str) -> int:
    return len(re.findall(r"frames\[\d+\] = ", html))


def test_static_html_has_one_frame_per_sweep_value():
    """Does the sweep embed exactly one frame per value of the sweep slider?"""
    assert _frame_count(_tiny_explorer(values=(0.5, 1.0, 2.0, 3.0, 4.0)).static_html()) == 5


def test_factory_static_html_has_one_frame_per_sweep_value(newton_explorer):
    """Same claim for a real factory."""
    html = newton_explorer.static_html()
    assert _frame_count(html) == len(newton_explorer.controls[newton_explorer.sweep].values)


def test_static_html_opens_on_the_default_frame():
    """Does the player start on the default value rather than the first frame, its slider
    labelled, with that value shown and the picture described?"""
    html = _tiny_explorer(values=(1.0, 2.0, 3.0), default=3.0).static_html()
    assert re.search(r"a\.set_frame\(2\);\}", html)
    assert re.search(r'<output id="_anim_value\w+" for="_anim_slider\w+">3</output>', html)
    assert 'aria-valuetext="3"' in html and re.search(r'<img id="_anim_img\w+" alt="A line through the origin, at slope = 3"', html)


def test_static_html_frames_are_palette_pngs():
    """Are the player's frames re-encoded as palette PNGs (a third of the weight), still PNGs?"""
    import base64
    import io

    from PIL import Image

    frames = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", _tiny_explorer().static_html())
    assert frames
    for frame in frames:
        assert Image.open(io.BytesIO(base64.b64decode(frame))).mode == "P"


def test_static_html_loads_nothing_from_the_network():
    """Is the static rendering self-contained (no CDN links; the page supplies the icons)?"""
    assert "https://" not in _tiny_explorer().static_html()


def test_mime_bundle_has_static_and_live_views(newton_explorer):
    """Does the display bundle carry both the HTML sweep (for the book) and the widget view
    (for Jupyter)?"""
    bundle = newton_explorer._repr_mimebundle_()
    assert bundle["text/html"] == newton_explorer.static_html()
    assert WIDGET_VIEW in bundle
    assert "text/plain" in bundle


def test_live_widget_redraws_when_a_slider_moves():
    """Does moving a slider replace the image shown by the live widget?"""
    box = _tiny_explorer().widget()
    sliders, image = box.children[0].children, box.children[1]
    before = bytes(image.value)
    sliders[0].value = 3.0
    after = bytes(image.value)
    assert after != before and after.startswith(b"\x89PNG")


# --------------------------------------------------------------------------------------------
# Bad parameters
# --------------------------------------------------------------------------------------------


def test_unknown_parameter_is_rejected():
    """Is a misspelt parameter name an error that lists the real ones?"""
    with pytest.raises(TypeError, match="unknown parameter"):
        widgets.newton_vs_gd_explorer().figure(eta=0.5)


@pytest.mark.parametrize(
    "factory, params, match",
    [
        (widgets.newton_vs_gd_explorer, {"theta0": float("nan")}, "theta0"),
        (widgets.newton_vs_gd_explorer, {"lr": 0.0}, "Invalid learning_rate"),
        (widgets.taylor_model_explorer, {"theta0": float("inf")}, "theta0"),
    ],
)
def test_bad_parameter_values_raise_clear_errors(factory, params, match):
    """Do invalid values raise a ValueError that names the parameter, instead of a blank or
    garbled figure?"""
    with pytest.raises(ValueError, match=match):
        factory().figure(**params)


@pytest.mark.parametrize("factory", [widgets.newton_vs_gd_explorer])
@pytest.mark.parametrize("num_steps", [0, -3, 2.5])
def test_bad_num_steps_is_rejected(factory, num_steps):
    """Is a non-positive or fractional number of steps rejected when the explorer is built?"""
    with pytest.raises(ValueError, match="num_steps"):
        factory(num_steps=num_steps)


def test_slider_and_explorer_validate_their_arguments():
    """Do a default outside the values, a single-valued slider and an unknown sweep
    parameter fail at construction?"""
    with pytest.raises(ValueError, match="not one of its values"):
        Slider("a", [1.0, 2.0], 3.0)
    with pytest.raises(ValueError, match="at least two values"):
        Slider("a", [1.0], 1.0)
    with pytest.raises(ValueError, match="sweep parameter"):
        Explorer(lambda fig, a: None, {"a": Slider("a", [1.0, 2.0], 1.0)}, sweep="b")


def test_inside_prefix_stops_one_point_after_leaving_the_box():
    """Does the clipping helper keep the escape point (so the reader sees the exit) and
    drop the rest?"""
    points = np.array([[0.0, 0.0], [1.0, 1.0], [10.0, 0.0], [100.0, 0.0], [0.0, 0.0]])
    np.testing.assert_array_equal(widgets._inside_prefix(points, (-5, 5)), points[:3])
    np.testing.assert_array_equal(widgets._inside_prefix(points[:2], (-5, 5)), points[:2])
