"""Tests of chapter 1's live explorers of the cubic C(θ) = (θ − 3)²(θ + 3)
(course_lib.explorers.newton: taylor_model_explorer, newton_vs_gd_explorer).

- the numbers drawn in the built chapter agree with closed forms and plain loops written here
  (C' = 3(θ − 3)(θ + 1), C'' = 6(θ − 1), C''' = 6), never with course_lib's own functions;
- what the explorers say (where Newton's method went, that the model is a line at θ₀ = 1) is
  true at the extreme settings, and every table stays finite.
The generic checks (valid chart, size, labelled controls) are in test_explorers_live.py, the
refusals of bad arguments in test_explorers_arguments.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.explorers.newton import newton_vs_gd_explorer, taylor_model_explorer


def C(t):
    return (t - 3.0) ** 2 * (t + 3.0)


def dC(t):
    return 3.0 * (t - 3.0) * (t + 1.0)


def d2C(t):
    return 6.0 * (t - 1.0)


def _close(value, exact, rel=2e-3, atol=0.0):
    """Equal to 4 significant digits (the tables' precision), or within ``atol``."""
    return abs(value - exact) <= rel * abs(exact) + atol


# --------------------------------------------------------------------------------------------
# The numbers in the built chapter
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def taylor_tables(explorer_tables):
    return explorer_tables("01_newton.html", "slopes", what="Taylor-model explorer")


@pytest.fixture(scope="module")
def race_tables(explorer_tables):
    return explorer_tables("01_newton.html", "runs", what="Newton-against-gradient-descent explorer")


@pytest.mark.parametrize("theta0_i, d_i", [(0, 0), (3, 3), (4, 1), (5, 2), (6, 4), (7, 3), (11, 4), (1, 0)])
def test_taylor_explorer_in_the_book_follows_the_closed_forms(taylor_tables, theta0_i, d_i):
    """Are the models drawn in chapter 1 C(θ₀) + C'(θ₀)d (+ C''(θ₀)d²/2), the Newton point
    θ₀ − C'/C'' (none where C'' = 0), and the errors at θ₀ + d equal to |3(θ₀ − 1)d² + d³|
    (first order) and d³ (second order)?"""
    explorer = taylor_model_explorer()
    theta0 = explorer.controls["theta0"].values[theta0_i]
    d = explorer.controls["d"].values[d_i]
    c0, g0, h0 = C(theta0), dC(theta0), d2C(theta0)

    models = [r for r in taylor_tables["models"] if r["theta0"] == theta0_i]
    assert len(models) >= 40
    for r in models:
        step = r["theta"] - theta0
        assert _close(r["C"], C(r["theta"]), atol=1e-3)
        assert _close(r["tangent"], np.clip(c0 + g0 * step, -1e3, 1e3), atol=1e-3)
        assert _close(r["model"], np.clip(c0 + g0 * step + 0.5 * h0 * step**2, -1e3, 1e3), atol=1e-3)

    errors = [r for r in taylor_tables["errors"] if r["theta0"] == theta0_i]
    assert len(errors) >= 20
    for r in errors:
        h = r["length"]
        # |C(θ₀+h) − C − C'h| computed in floating point cancels to about 1e-13 near its zero
        assert _close(r["first"], min(max(abs(3 * (theta0 - 1) * h**2 + h**3), 1e-13), 1e4), atol=1e-12)
        assert _close(r["second"], min(max(h**3, 1e-13), 1e4), atol=1e-12)

    (mark,) = [r for r in taylor_tables["marks"] if (r["theta0"], r["d"]) == (theta0_i, d_i)]
    assert _close(mark["h0"], h0, atol=1e-9)
    if h0 != 0:
        newton = theta0 - g0 / h0
        assert _close(mark["newton"], newton)
        assert _close(mark["m_newton"], c0 + g0 * (newton - theta0) + 0.5 * h0 * (newton - theta0) ** 2, atol=1e-3)
    assert _close(mark["at"], theta0 + d) and _close(mark["c_d"], C(theta0 + d), atol=1e-3)
    assert _close(mark["tangent_d"], c0 + g0 * d, atol=1e-3)
    assert _close(mark["model_d"], c0 + g0 * d + 0.5 * h0 * d**2, atol=1e-3)
    assert _close(mark["first"], max(abs(3 * (theta0 - 1) * d**2 + d**3), 1e-13), atol=1e-12)
    assert _close(mark["second"], d**3)


def _gd(theta0, lr, num_steps):
    theta, out = theta0, [theta0]
    for _ in range(num_steps):
        theta = theta - lr * dC(theta)
        out.append(theta)
    return out


def _newton(theta0, maxiter, tol=1e-10):
    theta, out = theta0, [theta0]
    while abs(dC(theta)) > tol and len(out) <= maxiter:
        theta = theta - dC(theta) / d2C(theta)
        out.append(theta)
    return out


def _until_outside(run, lo=-3.5, hi=6.5):
    for k, theta in enumerate(run):
        if not lo <= theta <= hi:
            return run[: k + 1]
    return run


@pytest.mark.parametrize("theta0_i, lr_i", [(0, 4), (2, 0), (3, 2), (5, 1), (6, 2), (8, 2), (10, 3), (12, 4), (12, 0)])
def test_newton_vs_gd_explorer_in_the_book_follows_plain_loops(race_tables, theta0_i, lr_i):
    """Are the iterates drawn in chapter 1 those of θ ← θ − ηC'(θ) and θ ← θ − C'(θ)/C''(θ)
    (until |C'| <= 1e-10), each up to its first iterate outside the axes, and does the panel
    say where each method ended?"""
    explorer = newton_vs_gd_explorer()
    theta0 = explorer.controls["theta0"].values[theta0_i]
    lr = explorer.controls["lr"].values[lr_i]
    rows = [r for r in race_tables["runs"] if (r["theta0"], r["lr"]) == (theta0_i, lr_i)]
    for method, run in ((0, _until_outside(_gd(theta0, lr, 25))), (1, _until_outside(_newton(theta0, 25)))):
        drawn = sorted((r for r in rows if r["method"] == method), key=lambda r: r["k"])
        assert [r["k"] for r in drawn] == list(range(len(run))), f"method {method}: iterations drawn"
        for r, theta in zip(drawn, run):
            assert _close(r["theta"], theta, atol=1e-4)
            assert _close(r["C"], C(theta), atol=1e-3)
    (end,) = [r for r in race_tables["ends"] if (r["theta0"], r["lr"]) == (theta0_i, lr_i)]
    newton = _newton(theta0, 25)
    assert end["status"] == 0 and end["nit"] == len(newton) - 1
    assert _close(end["newton"], newton[-1], atol=1e-6)
    assert end["kind"] == (-1 if theta0 < 1 else 1), "Newton's limit: the maximum left of 1, the minimum right"
    gd = _until_outside(_gd(theta0, lr, 25))
    assert end["gd_left"] == (len(gd) < 26) and end["gd_k"] == len(gd) - 1
    assert _close(end["gd"], gd[-1], atol=1e-4)


# --------------------------------------------------------------------------------------------
# What the explorers say, at the extremes
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("theta0, kind", [(0.5, -1), (-2.0, -1), (1.5, 1), (5.5, 1)])
def test_newton_explorer_names_the_limit(theta0, kind):
    """Does the explorer say where Newton's method went: the maximum -1 from the left of the
    inflection point, the minimum 3 from the right?"""
    end = newton_vs_gd_explorer().frame("ends", theta0=theta0, lr=0.05)
    assert int(end["status"][0]) == 0 and int(end["kind"][0]) == kind
    assert end["newton"][0] == pytest.approx(-1.0 if kind == -1 else 3.0)


@pytest.mark.parametrize("params", [
    {"theta0": 1.0},                    # C''(θ₀) = 0: Newton's step is undefined
    {"theta0": -3.0, "lr": 0.15},       # gradient descent runs down the unbounded branch
    {"theta0": 40.0, "lr": 0.15},       # gradient descent overshoots to the left and diverges
    {"theta0": 1.0 + 1e-12},            # a huge first Newton step
    {"theta0": -1.0},                   # starts on the maximum
])
def test_newton_explorer_tables_stay_finite_at_extreme_parameters(params):
    """Do singular Hessians and runaway gradient descent still give finite rows (the table
    refuses others), a run that stops where it leaves the axes, and a truthful ending?"""
    explorer = newton_vs_gd_explorer()
    runs, end = explorer.frame("runs", **params), explorer.frame("ends", **params)
    for column in (*runs.values(), *end.values()):
        assert np.all(np.isfinite(column))
    for method in (0, 1):
        theta = runs["theta"][runs["method"] == method]
        assert np.all((theta[:-1] >= -3.5) & (theta[:-1] <= 6.5)), "a run goes on after leaving the axes"
    if params["theta0"] == 1.0:
        assert int(end["status"][0]) == 2, "C'' = 0 at the start: Newton's method must stop"
    if params.get("lr") == 0.15:
        assert int(end["gd_left"][0]) == 1, "gradient descent should leave the axes"


@pytest.mark.parametrize("theta0", [1.0, -10.0, 10.0])
def test_taylor_explorer_tables_stay_finite_at_extreme_parameters(theta0):
    """Does the model explorer give finite rows for a flat model (C'' = 0, no Newton point)
    and for points far off the axes?"""
    explorer = taylor_model_explorer()
    for name in ("models", "errors", "marks"):
        frame = explorer.frame(name, theta0=theta0)
        assert all(np.all(np.isfinite(column)) for column in frame.values())
    if theta0 == 1.0:
        assert explorer.frame("marks", theta0=1.0)["h0"][0] == 0.0


# --------------------------------------------------------------------------------------------
# Bad arguments
# --------------------------------------------------------------------------------------------
