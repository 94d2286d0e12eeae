"""Tests of course_lib.explorers.momentum (chapter 3): the heavy-ball explorer.

The numbers in the built page are checked against an independent computation: heavy ball as
the two-term recursion theta_{k+1} = theta_k + mu (theta_k - theta_{k-1}) - eta H theta_k in a
plain numpy loop, and its rate as the largest eigenvalue modulus of the 2x2 matrices T_lambda
(numpy.linalg.eigvals), not course_lib.optim or the explorer's closed form.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib.explorers.momentum import momentum_explorer
from conftest import rows_at

KAPPA = 100.0
R = np.array([[np.cos(np.pi / 6), -np.sin(np.pi / 6)], [np.sin(np.pi / 6), np.cos(np.pi / 6)]])
H = R @ np.diag([1.0, 1.0 / KAPPA]) @ R.T
THETA0 = R @ np.array([1.5, -3.0])


def heavy_ball_iterates(eta, mu, num_steps=80):
    """theta_0, ..., theta_n of the two-term recursion (theta_{-1} = theta_0, i.e. v_0 = 0)."""
    previous, theta = THETA0.copy(), THETA0.copy()
    out = [theta]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(num_steps):
            previous, theta = theta, theta + mu * (theta - previous) - eta * H @ theta
            out.append(theta)
    return np.array(out)


def rate(eta, mu):
    """max over lambda of the spectral radius of [[1 + mu - eta lambda, -mu], [1, 0]]."""
    return max(np.abs(np.linalg.eigvals(np.array([[1 + mu - eta * lam, -mu], [1.0, 0.0]]))).max()
               for lam in (1.0, 1.0 / KAPPA))


@pytest.fixture(scope="module")
def explorer():
    return momentum_explorer()


@pytest.fixture(scope="module")
def book_tables(explorer_tables):
    return explorer_tables("03_momentum.html", "hb_path", what="heavy-ball explorer")


SAMPLES = [(0.7, 1.0), ("tuned", "tuned"), (0.95, 1.0), (0.5, 3.5), (0.0, 0.1), (0.9, 3.5), (0.3, 2.5)]


@pytest.mark.parametrize("mu, step", SAMPLES)
def test_explorer_in_the_book_follows_the_recursion(explorer, book_tables, mu, step):
    """Are the paths and errors drawn in chapter 3 those of the two-term recursion (gradient
    descent its mu = 0 case), up to 4 significant digits; is each path drawn up to the first
    iterate after the last one inside the box, and each error up to the first outside
    [1e-10, 1e4]; are the printed rates the spectral radii of T_lambda, and the dotted lines
    rho^k ||theta_0||?"""
    momenta, steps = list(explorer.controls["momentum"].values), list(explorer.controls["step"].values)
    tuned = mu == "tuned"
    if tuned:
        mu = ((math.sqrt(KAPPA) - 1) / (math.sqrt(KAPPA) + 1)) ** 2
        step = 4 / (1 + math.sqrt(1 / KAPPA)) ** 2
        assert min(abs(m - mu) for m in momenta) < 1e-12 and min(abs(s - step) for s in steps) < 1e-12
        mu, step = min(momenta, key=lambda m: abs(m - mu)), min(steps, key=lambda s: abs(s - step))
    mi, si = momenta.index(mu), steps.index(step)
    for name, mu_run, index in (("hb", mu, {"momentum": mi, "step": si}), ("gd", 0.0, {"step": si})):
        exact = heavy_ball_iterates(step, mu_run)
        path = rows_at(book_tables[f"{name}_path"], **index)
        assert [r["k"] for r in path] == list(range(len(path)))
        inside = np.flatnonzero(np.all(np.abs(exact) <= 4.5, axis=1))
        assert len(path) == min(inside[-1] + 2, len(exact))
        for row in path:
            np.testing.assert_allclose([row["theta1"], row["theta2"]], exact[int(row["k"])], rtol=1e-3, atol=1e-9)
        errors = rows_at(book_tables[f"{name}_error"], **index)
        norms = np.linalg.norm(exact, axis=1)
        outside = np.flatnonzero((norms < 1e-10) | (norms > 1e4))
        assert len(errors) == (outside[0] + 1 if len(outside) else len(exact))
        for row in errors:
            norm = norms[int(row["k"])]
            if 1e-10 <= norm <= 1e4:
                assert row["error"] == pytest.approx(norm, rel=1e-3)
            else:   # the one point drawn outside the panel, clipped to a decade beyond it
                assert row["error"] == pytest.approx(np.clip(norm, 1e-11, 1e5), rel=1e-3)
    rates = rows_at(book_tables["rates"], momentum=mi, step=si)
    assert len(rates) == 2
    rho_hb, rho_gd = rate(step, mu), rate(step, 0.0)
    e0 = np.linalg.norm(THETA0)
    for row in rates:
        assert row["rho_hb"] == pytest.approx(rho_hb, rel=1e-3)
        assert row["rho_gd"] == pytest.approx(rho_gd, rel=1e-3)
        assert row["hb_status"] == np.sign(2 * (1 + mu) - step)
        assert row["gd_status"] == np.sign(2 - step)
        for name, rho in (("hb", rho_hb), ("gd", rho_gd)):
            # both columns hold 4 significant digits: k's rounding moves rho^k by |k ln rho| 5e-4
            slack = 1e-3 + abs(row[f"k_{name}"] * math.log(rho)) * 5e-4
            assert abs(math.log(row[name]) - math.log(e0 * rho ** row[f"k_{name}"])) <= slack
            assert 0 <= row[f"k_{name}"] <= 80
    if tuned:
        # rho* = (sqrt(kappa) - 1) / (sqrt(kappa) + 1); a double root, so eigvals is exact to ~sqrt(eps)
        assert rho_hb == pytest.approx(9 / 11, rel=1e-6)


def test_reports_divergence_truthfully(explorer):
    """Does the error panel say 'converges' exactly when 0 < eta lambda_1 < 2 (1 + mu), 'diverges'
    when eta lambda_1 > 2 (1 + mu), and neither on the boundary; does a divergent run's error
    leave the panel at the top, and one on the boundary stay bounded?"""
    for mu in explorer.controls["momentum"].values:
        for step in explorer.controls["step"].values:
            status = explorer.frame("rates", momentum=mu, step=step)["hb_status"][0]
            assert status == np.sign(2 * (1 + mu) - step), (mu, step)
            errors = explorer.frame("hb_error", momentum=mu, step=step)["error"]
            if status < 0:
                assert errors[-1] > 1e4
            elif status == 0:
                assert errors.max() < 10 * errors[0]


def test_path_rows_stay_few(explorer):
    """Does the explorer stay light: every heavy-ball path at most 81 rows, and the page share
    under 300 kB (tests/test_explorers_live.py checks the size for every explorer)?"""
    for mu in explorer.controls["momentum"].values:
        assert len(explorer.frame("hb_path", momentum=mu, step=1.0)["k"]) <= 81
