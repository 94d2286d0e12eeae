"""Tests of course_lib.explorers.quasi_newton (chapter 8): the quasi-Newton race.

The numbers drawn are checked against formulas written here, not against course_lib: Rosenbrock's
gradient and Hessian by hand, Newton's step, gradient descent's exact step (along -grad f, the
new gradient orthogonal to the old one), BFGS and L-BFGS directions from the matrix form of the
inverse-Hessian update (not the two-loop recursion course_lib uses), and the contours as level
sets. Each test runs on the explorer's own tables and on the tables of the built chapter 8
(the ``in_the_book`` cases). Tables hold 4 significant digits, so tolerances follow from
the rounding of the coordinates.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.explorers import quasi_newton
from conftest import table_rows

GD, BFGS, NEWTON, LBFGS = 0, 1, 2, 3


def f(x, b):
    return (1 - x[0]) ** 2 + b * (x[1] - x[0] ** 2) ** 2


def grad(x, b):
    return np.array([-2 * (1 - x[0]) - 4 * b * x[0] * (x[1] - x[0] ** 2), 2 * b * (x[1] - x[0] ** 2)])


def hess(x, b):
    return np.array([[2 - 4 * b * (x[1] - 3 * x[0] ** 2), -4 * b * x[0]], [-4 * b * x[0], 2 * b]])


def cosine(u, v):
    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))


def rounding(v):
    """Half a unit in the 4th significant digit of v: the error of a table entry."""
    v = np.abs(np.asarray(v, dtype=float))
    return 0.5 * 10.0 ** (np.floor(np.log10(np.where(v > 0, v, 1.0))) - 3)


@pytest.fixture(scope="module")
def explorer():
    return quasi_newton.quasi_newton_race_explorer()


@pytest.fixture(scope="module")
def book_tables(explorer_tables):
    return explorer_tables("08_quasi_newton.html", "runs", what="quasi-Newton race")


@pytest.fixture(scope="module", params=["explorer", "in_the_book"])
def race_tables(request, explorer):
    """The race's tables: computed here, or read from the built page."""
    if request.param == "explorer":
        return {name: table_rows(explorer.table(name)) for name in explorer.datasets}
    return request.getfixturevalue("book_tables")


def _path(rows, b_i, method, memory=-1):
    chosen = [r for r in rows["runs"] if r["b"] == b_i and r["method"] == method and r["memory"] == memory]
    return np.array([r["k"] for r in chosen]), np.array([[r["x1"], r["x2"]] for r in chosen])


def _b(explorer, b_i):
    return explorer.controls["b"].values[b_i]


@pytest.mark.parametrize("b_i", [0, 1, 2, 3])
def test_every_run_starts_at_x0_and_measures_its_error(explorer, race_tables, b_i):
    """Does every run start at (-1.2, 1), with the error column ||x_k - (1, 1)||?"""
    for r in race_tables["runs"]:
        if r["b"] != b_i:
            continue
        if r["k"] == 0:
            assert (r["x1"], r["x2"]) == (-1.2, 1.0)
        exact = np.hypot(r["x1"] - 1, r["x2"] - 1)
        slack = rounding(r["x1"]) + rounding(r["x2"]) + rounding(r["error"])
        assert abs(r["error"] - exact) <= 1.01 * slack


@pytest.mark.parametrize("b_i", [0, 1, 2, 3])
def test_newton_first_step_is_the_newton_step(explorer, race_tables, b_i):
    """Is Newton's first iterate x0 - H(x0)^{-1} grad f(x0), the full step (H(x0) is positive
    definite from (-1.2, 1) for every b, and the step decreases f enough)?"""
    b = _b(explorer, b_i)
    k, x = _path(race_tables, b_i, NEWTON)
    x0 = np.array([-1.2, 1.0])
    expected = x0 - np.linalg.solve(hess(x0, b), grad(x0, b))
    np.testing.assert_allclose(x[1], expected, rtol=1e-3)


@pytest.mark.parametrize("b_i", [0, 1, 2])
def test_gradient_descent_takes_exact_steps_along_the_gradient(explorer, race_tables, b_i):
    """Is each of gradient descent's first 20 steps along -grad f, and exact: the gradient at the
    new iterate orthogonal to the step? (Steps shorter than 0.05 are skipped: rounded to 4
    digits, they no longer give a direction.)"""
    b = _b(explorer, b_i)
    k, x = _path(race_tables, b_i, GD)
    assert list(k[:21]) == list(range(21))
    checked = 0
    for i in range(20):
        step = x[i + 1] - x[i]
        if np.linalg.norm(step) < 0.05:
            continue
        assert cosine(step, -grad(x[i], b)) > 0.999
        assert abs(cosine(grad(x[i + 1], b), step)) < 0.05
        checked += 1
    assert checked >= 1


def _inverse_hessians(x, b, memory=None):
    """H_k for k = 0, 1, ...: the BFGS update (I - rho s y^T) H (I - rho y s^T) + rho s s^T applied
    to gamma I. memory=None: BFGS, every pair, gamma from the first pair (H_0 = I for the first
    step); else L-BFGS, the last ``memory`` pairs, gamma from the latest pair."""
    pairs = [(x[i + 1] - x[i], grad(x[i + 1], b) - grad(x[i], b)) for i in range(len(x) - 1)]
    yield np.eye(2)
    for k in range(1, len(x)):
        used = pairs[:k] if memory is None else pairs[max(0, k - memory):k]
        s, y = pairs[0] if memory is None else pairs[k - 1]
        H = (s @ y) / (y @ y) * np.eye(2)
        for s, y in used:
            rho = 1 / (s @ y)
            V = np.eye(2) - rho * np.outer(y, s)
            H = V.T @ H @ V + rho * np.outer(s, s)
        yield H


@pytest.mark.parametrize("b_i", [0, 1])
@pytest.mark.parametrize("m_i", [None, 0, 1, 2, 3, 5])
def test_quasi_newton_steps_follow_the_inverse_hessian_update(explorer, race_tables, b_i, m_i):
    """Is each of the first ten steps of BFGS (m_i None) and of L-BFGS with the slider's memory
    m along -H_k grad f(x_k), H_k built from the iterates' pairs (s, y)? At b = 1 and 10, up to
    the first step shorter than 0.01: longer steps rounded to 4 digits still give the pairs.
    (A memory of 1, 2, 3 or 5 in place of another fails here.)"""
    b = _b(explorer, b_i)
    if m_i is None:
        k, x = _path(race_tables, b_i, BFGS)
        memory = None
    else:
        k, x = _path(race_tables, b_i, LBFGS, m_i)
        memory = int(explorer.controls["m"].values[m_i])
    lengths = np.linalg.norm(np.diff(x[:11], axis=0), axis=1)
    n = int(np.argmax(lengths < 0.01)) if np.any(lengths < 0.01) else len(lengths)
    assert n >= 6
    for i, H in zip(range(n), _inverse_hessians(x[: n + 1], b, memory)):
        assert cosine(x[i + 1] - x[i], -H @ grad(x[i], b)) > 0.95, f"step {i}"


@pytest.mark.parametrize("b_i", [0, 1, 2, 3])
def test_costs_match_the_runs(explorer, race_tables, b_i):
    """Does the cost table give each run's number of steps (its last iterate), success exactly
    when it stopped before the limit at an iterate near x* (error below 1e-7)?"""
    max_steps = 400
    for c in (r for r in race_tables["costs"] if r["b"] == b_i):
        k, x = _path(race_tables, b_i, c["method"], c["memory"])
        error = [r["error"] for r in race_tables["runs"] if r["b"] == b_i and r["method"] == c["method"]
                 and r["memory"] == c["memory"]]
        assert c["nit"] == k[-1]
        assert bool(c["success"]) == (c["nit"] < max_steps)
        if c["success"]:
            assert error[-1] < 1e-7
        assert c["njev"] >= c["nit"] and c["nfev"] >= c["nit"]
        assert (c["nhev"] > 0) == (c["method"] == NEWTON)


@pytest.mark.parametrize("b_i", [0, 1, 2, 3])
def test_contours_are_level_sets(explorer, race_tables, b_i):
    """Is f constant along each drawn contour, up to the rounding of the coordinates?"""
    b = _b(explorer, b_i)
    pieces = {}
    for r in race_tables["contours"]:
        if r["b"] == b_i:
            pieces.setdefault(r["piece"], []).append((r["x"], r["y"]))
    assert len(pieces) >= 8
    for points in pieces.values():
        p = np.array(points).T
        values = f(p, b)
        g = np.abs(grad(p, b))
        slack = 2 * (g[0] * rounding(p[0]) + g[1] * rounding(p[1]))
        level = np.median(values)
        assert np.all(np.abs(values - level) <= slack + np.max(slack) + 1e-9 * level)


def test_chapter_claims_hold(explorer):
    """Does the race show what chapter 8 says: m = 1 costs L-BFGS up to twice BFGS's gradient
    evaluations, from m = 2 on it is close to BFGS; gradient descent converges within 400 steps
    only at b = 1; Newton and the quasi-Newton methods take about six times as many steps at
    b = 1000 as at b = 1, fewer than a hundred?"""
    def cost(b, method, memory=-1):
        return next(r for r in table_rows(explorer.table("costs")) if r["b"] == b and r["method"] == method and r["memory"] == memory)

    ratios = [cost(b, LBFGS, 0)["njev"] / cost(b, BFGS)["njev"] for b in range(4)]
    assert 1.5 < max(ratios) <= 2.0
    for b in range(4):
        for m_i in range(1, 6):
            assert cost(b, LBFGS, m_i)["njev"] <= 1.25 * cost(b, BFGS)["njev"]
        assert bool(cost(b, GD)["success"]) == (b == 0)
    for method, memory in ((NEWTON, -1), (BFGS, -1), (LBFGS, 3)):
        growth = cost(3, method, memory)["nit"] / cost(0, method, memory)["nit"]
        assert 4.5 < growth < 7.5 and cost(3, method, memory)["nit"] < 100
