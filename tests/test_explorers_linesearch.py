"""Tests of chapter 7's live explorer (course_lib.explorers.linesearch.ray_explorer).

The numbers of the built page are compared with an independent computation: Rosenbrock's
function and gradient written out here, the direction rotated by hand, the Armijo and
(strong) Wolfe conditions evaluated directly, backtracking as a plain loop and the exact step
as the minimiser of phi found by scipy. The generic checks (valid Vega-Lite, size, labels) are in
test_explorers_live.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib.explorers.linesearch import METHODS, ray_explorer
from conftest import rows_at

XK = np.array([0.8, 0.0])


def f(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def grad(x):
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])


def direction(angle):
    g = grad(XK)
    t = math.radians(angle)
    p = -g / np.linalg.norm(g)
    return np.array([math.cos(t) * p[0] - math.sin(t) * p[1], math.sin(t) * p[0] + math.cos(t) * p[1]])


def phi(angle, alpha):
    return f(XK + alpha * direction(angle))


def dphi(angle, alpha):
    return grad(XK + alpha * direction(angle)) @ direction(angle)


def exact_step(angle):
    """The first local minimiser of phi along the ray (scipy, bracketed from a fine grid)."""
    from scipy.optimize import minimize_scalar

    alphas = np.linspace(0.0, 12.0, 24001)
    values = np.array([phi(angle, a) for a in alphas])
    k = next(i for i in range(1, len(values) - 1) if values[i] <= values[i - 1] and values[i] <= values[i + 1])
    return minimize_scalar(lambda a: phi(angle, a), bracket=(alphas[k - 1], alphas[k], alphas[k + 1]), tol=1e-12).x


@pytest.fixture(scope="module")
def explorer():
    return ray_explorer()


@pytest.fixture(scope="module")
def ray_tables(explorer_tables):
    return explorer_tables("07_linesearch.html", "bands", what="line-search explorer")


@pytest.mark.parametrize("angle_i, c1_i, c2_i", [(5, 0, 1), (0, 1, 2), (7, 0, 0), (8, 2, 0), (10, 1, 2), (3, 2, 1)])
def test_ray_explorer_in_the_book_follows_the_conditions(explorer, ray_tables, angle_i, c1_i, c2_i):
    """Are phi, the Armijo line, the Wolfe bands and the three accepted steps drawn in chapter 7
    those of Rosenbrock's function along the turned direction: each band inside the steps
    that satisfy its conditions, backtracking's step the first of alpha0 rho^j to pass Armijo,
    the strong Wolfe step satisfying both conditions, and the exact step the minimiser of phi?"""
    angle = explorer.controls["angle"].values[angle_i]
    c1 = explorer.controls["c1"].values[c1_i]
    c2 = explorer.controls["c2"].values[c2_i]
    phi0, dphi0 = phi(angle, 0.0), dphi(angle, 0.0)
    assert dphi0 == pytest.approx(-np.linalg.norm(grad(XK)) * math.cos(math.radians(angle)), rel=1e-12)

    path = rows_at(ray_tables["path"], angle=angle_i)
    # alpha is stored to 4 digits: phi may differ by phi' times that rounding
    slack = lambda alpha: 1e-3 * abs(phi(angle, alpha)) + 1e-3 * abs(alpha * dphi(angle, alpha)) + 1e-4  # noqa: E731
    for row in path[::5]:
        point = XK + row["alpha"] * direction(angle)
        np.testing.assert_allclose([row["x"], row["y"]], point, rtol=1e-3, atol=2e-3)
        assert abs(row["phi"] - phi(angle, row["alpha"])) <= slack(row["alpha"])
    for row in rows_at(ray_tables["curve"], angle=angle_i)[::7]:
        assert abs(row["phi"] - phi(angle, row["alpha"])) <= slack(row["alpha"])
    line = rows_at(ray_tables["armijo"], angle=angle_i, c1=c1_i)
    for row in line:
        assert row["phi"] == pytest.approx(phi0 + c1 * row["alpha"] * dphi0, rel=2e-3, abs=0.05)

    bands = rows_at(ray_tables["bands"], angle=angle_i, c1=c1_i, c2=c2_i)
    steps = {METHODS[int(r["method"])]: r for r in rows_at(ray_tables["steps"], angle=angle_i, c1=c1_i, c2=c2_i)}
    alpha_exact = exact_step(angle)
    if c1 >= c2:
        assert bands == [] and steps["strong Wolfe"]["ok"] == 0, "Wolfe steps drawn although c1 >= c2"
    else:
        assert {r["kind"] for r in bands} == {0.0, 1.0}
        for row in bands:
            width = row["hi"] - row["lo"]
            # 4 digits and a 600-point grid: test inside each band, away from its ends
            for alpha in np.linspace(row["lo"], row["hi"], 9)[1:-1] if width > 0 else []:
                armijo = phi(angle, alpha) <= phi0 + c1 * alpha * dphi0
                bend = (abs(dphi(angle, alpha)) <= c2 * abs(dphi0)) if row["kind"] == 1 else (dphi(angle, alpha) >= c2 * dphi0)
                assert armijo and bend, f"alpha = {alpha} in a band violates its conditions"
        wolfe = steps["strong Wolfe"]
        a = wolfe["alpha"]
        assert wolfe["ok"] == 1
        assert phi(angle, a) <= phi0 + c1 * a * dphi0 + 1e-3 * abs(phi0)
        assert abs(dphi(angle, a)) <= c2 * abs(dphi0) * (1 + 1e-2)
        # the step is inside a strong Wolfe band
        assert any(r["lo"] - 0.01 * alpha_exact <= a <= r["hi"] + 0.01 * alpha_exact for r in bands if r["kind"] == 1)

    exact = steps["exact"]
    assert exact["alpha"] == pytest.approx(alpha_exact, rel=1e-3)
    assert exact["phi"] == pytest.approx(phi(angle, alpha_exact), rel=2e-3, abs=1e-4)
    alpha = 4 * alpha_exact                        # backtracking from four times the exact step, factor 1/2
    while phi(angle, alpha) > phi0 + c1 * alpha * dphi0:
        alpha /= 2
    back = steps["backtracking"]
    assert back["alpha"] == pytest.approx(alpha, rel=2e-3)
    np.testing.assert_allclose([back["x"], back["y"]], XK + alpha * direction(angle), rtol=2e-3, atol=2e-3)
    assert back["njev"] == 1 and back["nfev"] == 1 + round(math.log2(4 * alpha_exact / alpha)) + 1


def test_contours_are_level_sets_inside_the_window(explorer):
    """Does every contour point lie on one of the drawn levels of f and inside the panel's
    window, which holds the whole ray?"""
    from course_lib.explorers.linesearch import _LEVELS

    for angle in (-75.0, 0.0, 60.0):
        rows = explorer.frame("contours", angle=angle)
        window = explorer.frame("frame", angle=angle)
        x0, x1 = window["x"]
        y0, y1 = window["y"]
        assert np.all((rows["x"] >= x0 - 1e-9) & (rows["x"] <= x1 + 1e-9) & (rows["y"] >= y0 - 1e-9) & (rows["y"] <= y1 + 1e-9))
        values = f(np.array([rows["x"], rows["y"]]))
        nearest = np.min(np.abs(np.log(values[:, None] / _LEVELS[None, :])), axis=1)
        assert np.all(nearest < 2e-3)         # exact, but for the ends cut on a chord at the boundary
        path = explorer.frame("path", angle=angle)
        assert path["x"].min() >= x0 and path["x"].max() <= x1 and path["y"].min() >= y0 and path["y"].max() <= y1


def test_equal_constants_leave_out_the_wolfe_search(explorer):
    """With c1 >= c2, are the Wolfe bands empty and the Wolfe search marked as not run, while
    backtracking and the exact search are still shown?"""
    steps = explorer.frame("steps", angle=0.0, c1=0.3, c2=0.1)
    assert list(steps["ok"]) == [1, 0, 1]
    assert len(explorer.frame("bands", angle=0.0, c1=0.3, c2=0.1)["lo"]) == 0
