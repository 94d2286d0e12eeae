"""Tests of course_lib.widgets.momentum_explorer (chapter 3).

Figures are rendered to PNG (a full draw); pytest turns warnings into errors, so a divergent
run that overflows or asks for the log of zero while drawing fails here.
"""

from __future__ import annotations

import re

import pytest

from course_lib import widgets
from course_lib.widgets import Explorer
from conftest import render_png


_render = render_png


@pytest.fixture(scope="module")
def explorer():
    """One instance shared by the tests: its static sweep is rendered once and cached."""
    return widgets.momentum_explorer()


def test_builds_a_consistent_explorer(explorer):
    """Is it an Explorer sweeping the momentum, with every default among its values?"""
    assert isinstance(explorer, Explorer)
    assert explorer.sweep == "momentum"
    assert set(explorer.controls) == {"momentum", "step"}


@pytest.mark.parametrize(
    "params",
    [
        {"momentum": 0.0, "step": 0.1},    # plain gradient descent, tiny steps
        {"momentum": 0.0, "step": 3.5},    # gradient descent and heavy ball both diverge
        {"momentum": 0.95, "step": 0.1},   # strong momentum, small steps
        {"momentum": 0.95, "step": 3.5},   # close to the stability edge 2(1 + mu)
        {"momentum": 0.5, "step": 3.5},    # heavy ball diverges
    ],
)
def test_draws_extreme_parameters_without_warnings(explorer, params):
    """Do the extreme settings, divergent runs included, draw cleanly with labelled axes?"""
    fig = explorer.figure(**params)
    assert _render(fig).startswith(b"\x89PNG")
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize("params, word", [({"momentum": 0.5, "step": 3.5}, "diverges"),
                                          ({"momentum": 0.9, "step": 1.0}, "converges")])
def test_title_reports_stability(explorer, params, word):
    """Does the error panel say whether heavy ball converges (eta lambda_1 < 2(1 + mu))?"""
    assert word in explorer.figure(**params).axes[1].get_title()


def test_static_html_has_one_frame_per_sweep_value(explorer):
    """Does the static sweep embed exactly one frame per momentum value?"""
    html = explorer.static_html()
    assert len(re.findall(r"frames\[\d+\] = ", html)) == len(explorer.controls["momentum"].values)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"momentum": 1.0}, "momentum must be"),
        ({"momentum": -0.1}, "momentum must be"),
        ({"step": 0.0}, "step"),
        ({"step": float("inf")}, "step"),
        ({"lr": 0.1}, "unknown parameter"),
    ],
)
def test_bad_parameters_raise_clear_errors(explorer, params, match):
    """Are impossible momenta and learning rates errors that name the problem?"""
    with pytest.raises((ValueError, TypeError), match=match):
        explorer.figure(**params)


@pytest.mark.parametrize("kwargs, match", [({"kappa": 0.5}, "kappa"), ({"num_steps": 0}, "num_steps")])
def test_bad_construction_arguments_raise(kwargs, match):
    """Are a condition number below 1 and an empty run rejected where they enter?"""
    with pytest.raises(ValueError, match=match):
        widgets.momentum_explorer(**kwargs)
