"""Tests of the line-search and quasi-Newton explorers of course_lib.widgets (chapters 7 and 8).

Figures are rendered to PNG (a full draw); pytest turns warnings into errors.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from matplotlib.collections import FillBetweenPolyCollection, PolyCollection

from course_lib import widgets
from course_lib import linesearch as ls
from course_lib.problems import rosenbrock
from conftest import render_png


@pytest.fixture(scope="module")
def ray():
    return widgets.ray_explorer()


@pytest.mark.parametrize("angle", [-75.0, 0.0, 45.0, 75.0])
@pytest.mark.parametrize("c1, c2", [(1e-4, 0.9), (0.3, 0.5), (0.1, 0.1 + 1e-9)])
def test_ray_explorer_draws_every_direction_and_constant(ray, angle, c1, c2):
    """Does every direction (up to 75 degrees from -grad f) and every choice of constants draw
    without a warning, with one band for each kind of acceptable step?"""
    fig = ray.figure(angle=angle, c1=c1, c2=c2)
    render_png(fig)
    ax_phi = fig.axes[1]
    bands = [c for c in ax_phi.collections if isinstance(c, (PolyCollection, FillBetweenPolyCollection))]
    assert len(bands) == 2
    texts = " ".join(t.get_text() for t in ax_phi.texts)
    for name in ("backtracking", "strong Wolfe search", "exact"):
        assert name in texts


def test_ray_explorer_marks_steps_that_satisfy_their_conditions(ray):
    """Are the plotted steps the ones the searches accept, and do they satisfy their conditions?"""
    fig = ray.figure(angle=30.0, c1=1e-4, c2=0.1)
    texts = {t.get_text().split(":")[0]: t.get_text() for t in fig.axes[1].texts}
    alpha = {name: float(re.search(r"α = ([0-9.e+-]+)", text).group(1)) for name, text in texts.items()}
    p = rosenbrock()
    xk = np.array([0.8, 0.0])
    g = p.grad(xk)
    t = np.deg2rad(30.0)
    pk = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]) @ (-g) / np.linalg.norm(g)
    q = ls.acceptable_steps(p.fun, p.grad, xk, pk, [alpha["strong Wolfe search"], alpha["backtracking"]], 1e-4, 0.1)
    assert q["strong wolfe"][0] and q["armijo"][1]
    assert abs(q["dphi"][0]) <= 0.1 * abs(q["dphi0"]) * (1 + 1e-2)


@pytest.mark.parametrize("params, match", [({"angle": 90.0}, "angle"), ({"c1": 0.95, "c2": 0.9}, "c2"),
                                           ({"c1": 0.0}, "c1")])
def test_ray_explorer_rejects_bad_parameters(ray, params, match):
    with pytest.raises(ValueError, match=match):
        ray.figure(**params)
