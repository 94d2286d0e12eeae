"""Tests of course_lib.widgets.batch_size_explorer (chapter 2).

Figures are rendered to PNG (a full draw); pytest turns warnings into errors, so a degenerate
covariance (the full batch without replacement) that warns while drawing fails here.
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
    return widgets.batch_size_explorer()


def test_builds_a_consistent_explorer(explorer):
    """Is it an Explorer sweeping the batch size, with every default among its values?"""
    assert isinstance(explorer, Explorer)
    assert explorer.sweep == "batch_size"
    assert set(explorer.controls) == {"batch_size", "replace"}


@pytest.mark.parametrize(
    "params",
    [
        {"batch_size": 1, "replace": True},    # the noisiest estimator
        {"batch_size": 1, "replace": False},
        {"batch_size": 40, "replace": False},  # the full batch: zero covariance, zero noise
        {"batch_size": 40, "replace": True},   # b = n with replacement still has noise
    ],
)
def test_draws_extreme_parameters_without_warnings(explorer, params):
    """Do the smallest and largest batches, including a zero-noise full batch, draw cleanly
    with labelled axes?"""
    fig = explorer.figure(**params)
    assert _render(fig).startswith(b"\x89PNG")
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel()


def test_full_batch_without_replacement_reports_zero_noise(explorer):
    """Does the figure say that the full batch drawn without replacement has no noise?"""
    fig = explorer.figure(batch_size=40, replace=False)
    assert "zero noise" in fig.axes[1].get_title()


def test_static_html_has_one_frame_per_sweep_value(explorer):
    """Does the static sweep embed exactly one frame per batch size?"""
    html = explorer.static_html()
    assert len(re.findall(r"frames\[\d+\] = ", html)) == len(explorer.controls["batch_size"].values)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 2.5}, "batch_size"),
        ({"batch_size": 41, "replace": False}, "at most n"),
    ],
)
def test_bad_batch_sizes_raise_clear_errors(explorer, params, match):
    """Are impossible batch sizes a ValueError that names the problem?"""
    with pytest.raises(ValueError, match=match):
        explorer.figure(**params)


def test_bad_construction_arguments_raise():
    """Is a data set too small to have any noise rejected where it enters?"""
    with pytest.raises(ValueError, match="n must be"):
        widgets.batch_size_explorer(n=1)
