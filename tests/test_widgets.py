"""Tests of course_lib.widgets: the Explorer mechanism (the factories have their own files;
chapters 1 and 2's explorers are live explorers, tested in tests/test_explorers_newton.py and
tests/test_explorers_sgd.py)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from course_lib import widgets
from course_lib.widgets import Explorer, Slider


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"



def _tiny_explorer(values=(1.0, 2.0, 3.0), default=2.0) -> Explorer:
    def draw(fig, a, b):
        ax = fig.subplots()
        ax.plot([0.0, 1.0], [b, a + b])

    return Explorer(draw, {"a": Slider("slope", list(values), default), "b": Slider("offset", [0.0, 1.0], 0.0)},
                    sweep="a", figsize=(2.0, 1.5), description="A line through the origin.")


# --------------------------------------------------------------------------------------------
# The static rendering and the display bundle
# --------------------------------------------------------------------------------------------


def _frame_count(html: str) -> int:
    return len(re.findall(r"frames\[\d+\] = ", html))


def test_static_html_has_one_frame_per_sweep_value():
    """Does the sweep embed exactly one frame per value of the sweep slider?"""
    assert _frame_count(_tiny_explorer(values=(0.5, 1.0, 2.0, 3.0, 4.0)).static_html()) == 5


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


def test_mime_bundle_has_static_and_live_views():
    """Does the display bundle carry both the HTML sweep (for the book) and the widget view
    (for Jupyter)?"""
    explorer = _tiny_explorer()
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/html"] == explorer.static_html()
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
        _tiny_explorer().figure(eta=0.5)


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
