"""Tests of course_lib.explorers.convexity (chapter 9): gradient descent under the strongly
convex bound.

The numbers drawn are checked against gradient descent on the quadratic written as a matrix
power, theta_t = (I - eta H)^t theta_0, and against the rate q = max(|1 - eta m|, |1 - eta L|)
computed here; on the explorer's own tables and on the tables of the built chapter 9 (the
``in_the_book`` cases). Tables hold 4 significant digits.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.explorers import convexity
from conftest import table_rows

FLOOR, CEILING = 1e-10, 1e4


@pytest.fixture(scope="module")
def explorer():
    return convexity.strongly_convex_gd_explorer()


@pytest.fixture(scope="module", params=["explorer", "in_the_book"])
def gd_tables(request, explorer):
    """The explorer's tables: computed here, or read from the built page."""
    if request.param == "explorer":
        return {name: table_rows(explorer.table(name)) for name in explorer.datasets}
    find = request.getfixturevalue("explorer_tables")
    return find("09_convexity.html", "distance", what="strongly convex explorer")


def _problem(kappa):
    R = np.array([[np.cos(np.pi / 6), -np.sin(np.pi / 6)], [np.sin(np.pi / 6), np.cos(np.pi / 6)]])
    return R @ np.diag([1.0, 1.0 / kappa]) @ R.T, R @ np.array([1.0, 2.5])


@pytest.mark.parametrize("step_i, kappa_i", [(0, 5), (3, 3), (5, 4), (8, 2), (9, 3), (9, 0), (10, 1), (12, 5), (6, 0)])
def test_iterates_and_distances_follow_the_matrix_power(explorer, gd_tables, step_i, kappa_i):
    """Are the iterates those of theta_t = (I - eta H)^t theta_0 (H = R diag(1, 1/kappa) R^T, R a
    rotation by 30 degrees, theta_0 = R (1, 2.5)), the path drawn up to the first iterate outside
    the panel or within 0.005 of theta*, and the distances their norms, for 60 steps?"""
    step = explorer.controls["step"].values[step_i]
    kappa = explorer.controls["kappa"].values[kappa_i]
    H, theta0 = _problem(kappa)
    M = np.eye(2) - step * H
    exact = [np.linalg.matrix_power(M, t) @ theta0 for t in range(61)]
    chosen = lambda name: [r for r in gd_tables[name] if (r["step"], r["kappa"]) == (step_i, kappa_i)]
    path = chosen("path")
    for row in path:
        np.testing.assert_allclose([row["theta1"], row["theta2"]], exact[int(row["t"])], rtol=1e-3, atol=1e-6)
    last = int(path[-1]["t"])
    assert all(np.max(np.abs(e)) <= 3.2 and np.linalg.norm(e) >= 0.005 for e in exact[:last])
    assert last == 60 or np.max(np.abs(exact[last])) > 3.2 or np.linalg.norm(exact[last]) < 0.005
    distance = chosen("distance")
    assert [r["t"] for r in distance] == list(range(61))
    for row in distance:
        d = np.linalg.norm(exact[int(row["t"])])
        if FLOOR < d < CEILING:
            assert row["distance"] == pytest.approx(d, rel=1e-3)
        else:   # drawn just outside the axes
            assert not FLOOR <= row["distance"] <= CEILING


@pytest.mark.parametrize("step_i", range(13))
@pytest.mark.parametrize("kappa_i", range(6))
def test_distance_stays_under_the_bound(explorer, gd_tables, step_i, kappa_i):
    """Is the bound q^t ||theta_0|| with q = max(|1 - eta m|, |1 - eta L|), and the measured
    distance never above it (the theorem), at every step and condition number of the sliders?
    Is the best step's rate ((kappa - 1) / (kappa + 1))^t ||theta_0||, and the verdict q < 1
    exactly when eta L < 2?"""
    step = explorer.controls["step"].values[step_i]
    kappa = explorer.controls["kappa"].values[kappa_i]
    q = max(abs(1 - step / kappa), abs(1 - step))
    q_best = (kappa - 1) / (kappa + 1)
    e0 = np.hypot(1.0, 2.5)
    for row in (r for r in gd_tables["distance"] if (r["step"], r["kappa"]) == (step_i, kappa_i)):
        bound = e0 * q ** row["t"]
        if FLOOR < bound < CEILING:
            assert row["bound"] == pytest.approx(bound, rel=1e-3)
        assert row["distance"] <= row["bound"] * (1 + 2e-3)
    for row in (r for r in gd_tables["best"] if r["kappa"] == kappa_i):
        best = e0 * q_best ** row["t"]
        if FLOOR < best < CEILING:
            assert row["best"] == pytest.approx(best, rel=1e-3)
    mark = next(r for r in gd_tables["marks"] if (r["step"], r["kappa"]) == (step_i, kappa_i))
    assert mark["q"] == pytest.approx(q, rel=1e-3, abs=1e-9)
    assert mark["q_best"] == pytest.approx(q_best, rel=1e-3, abs=1e-9)
    assert (mark["q"] < 1) == (step < 2)


@pytest.mark.parametrize("kappa_i", range(6))
def test_contours_are_level_sets(explorer, gd_tables, kappa_i):
    """Is theta^T H theta constant along each drawn contour, up to the rounding of the
    coordinates to 4 digits (at most 2 |H theta| . |delta theta|)?"""
    kappa = explorer.controls["kappa"].values[kappa_i]
    H, _ = _problem(kappa)
    levels = {}
    for r in (r for r in gd_tables["contours"] if r["kappa"] == kappa_i):
        p = np.array([r["x"], r["y"]])
        slack = 2 * np.abs(H @ p) @ (5e-4 * np.abs(p))
        levels.setdefault(r["level"], []).append((p @ H @ p, slack))
    assert len(levels) >= 6
    for found in levels.values():
        values, slack = np.array(found).T
        assert np.ptp(values) <= 2 * np.max(slack)
