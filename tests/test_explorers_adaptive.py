"""Tests of course_lib.explorers.adaptive (chapter 4): the optimizer race on Rosenbrock's function.

The numbers in the built page are checked against an independent computation: the four methods
written out in the test as plain numpy loops (the update rules of PyTorch's documentation, with
RMSProp's and Adam's eps outside the square root), on Rosenbrock's function and gradient written
out here, not course_lib.optim or course_lib.problems.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib.explorers.adaptive import loss_times, optimizer_race_explorer, thin_path
from conftest import rows_at

NAMES = ("GD", "momentum", "RMSProp", "Adam")
BASE = (1e-3, 1e-3, 5e-3, 5e-2)


def rosen(x, y):
    with np.errstate(all="ignore"):
        return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def rosen_grad(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def race(method: str, eta: float, theta0, num_steps: int = 1000) -> np.ndarray:
    """The iterates of one method, stopped before the first non-finite one."""
    theta = np.array(theta0, dtype=float)
    v = np.zeros(2)
    m = np.zeros(2)
    out = [theta]
    with np.errstate(all="ignore"):
        for t in range(1, num_steps + 1):
            g = rosen_grad(theta)
            if method == "GD":
                new = theta - eta * g
            elif method == "momentum":                      # v = 0.9 v - eta g, theta += v
                v = 0.9 * v - eta * g
                new = theta + v
            elif method == "RMSProp":                       # s = 0.9 s + 0.1 g^2
                v = 0.9 * v + 0.1 * g * g
                new = theta - eta * g / (np.sqrt(v) + 1e-8)
            else:                                           # Adam, beta = (0.9, 0.999)
                m = 0.9 * m + 0.1 * g
                v = 0.999 * v + 0.001 * g * g
                new = theta - eta * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
            if not np.all(np.isfinite(new)):
                break
            theta = new
            out.append(theta)
    return np.array(out)


def horizon(method: str, eta: float, theta0) -> int:
    """The steps up to which a run is determined to the figure's precision: the first t at which
    changing eta by one part in 1e12 moves the iterate by more than 1e-4. RMSProp with a constant
    rate jitters chaotically near the minimum, so beyond about t = 100 to 300 any implementation's
    rounding decides its path; a divergent run amplifies rounding as it escapes."""
    a, b = race(method, eta, theta0), race(method, eta * (1 + 1e-12), theta0)
    n = min(len(a), len(b))
    with np.errstate(all="ignore"):
        apart = np.flatnonzero(~(np.abs(a[:n] - b[:n]).max(axis=1) <= 1e-4))
    return int(apart[0]) if len(apart) else n


@pytest.fixture(scope="module")
def explorer():
    return optimizer_race_explorer()


@pytest.fixture(scope="module")
def book_tables(explorer_tables):
    return explorer_tables("04_adaptive.html", "path", "final", what="optimizer race")


def _inside(p):
    return -2 <= p[0] <= 2 and -1 <= p[1] <= 3


# (learning-rate multiplier, first coordinate of the start): the default, divergence of GD and
# momentum, a slow start, steep starts on both sides, momentum overflowing while GD converges.
SAMPLES = [(1.0, -1.2), (10.0, -1.2), (0.3, 0.5), (3.0, 1.5), (2.0, -1.5), (0.1, 0.0), (2.0, 1.5)]


@pytest.mark.parametrize("scale, start", SAMPLES)
def test_race_in_the_book_follows_the_update_rules(explorer, book_tables, scale, start):
    """Are the paths, losses and final values drawn in chapter 4 those of GD, momentum, RMSProp
    and Adam written out in plain numpy, to the figure's precision: each drawn path point an
    iterate (coordinates to 0.001) in increasing order from theta_0; the loss at the drawn
    iterations (4 significant digits, clipped to a decade beyond the panel, off the top after a
    run overflowed); the final loss, or the step at which a run overflowed?"""
    si = list(explorer.controls["lr_scale"].values).index(scale)
    xi = list(explorer.controls["start"].values).index(start)
    index = {"lr_scale": si, "start": xi}
    loss_rows = rows_at(book_tables["loss"], **index)
    assert [r["t"] for r in loss_rows] == loss_times(1000).tolist()
    for m, (name, base) in enumerate(zip(NAMES, BASE)):
        exact = race(name, base * scale, (start, 1.0))
        path = rows_at(book_tables["path"], m=m, **index)
        ts = [int(r["t"]) for r in path]
        assert ts[0] == 0 and ts == sorted(set(ts)) and len(ts) <= 60
        known = horizon(name, base * scale, (start, 1.0))
        for row in path:
            t = int(row["t"])
            if t < known and _inside(exact[t]):
                np.testing.assert_allclose([row["x"], row["y"]], exact[t], atol=6e-4, err_msg=f"{name}, t = {t}")
        final = rows_at(book_tables["final"], m=m, **index)[0]
        assert final["eta"] == pytest.approx(base * scale, rel=1e-3)
        if len(exact) < 1001:                           # the run overflowed
            assert abs(final["overflow"] - len(exact)) <= 1, name
            assert all(r[name] > 1e4 for r in loss_rows if r["t"] >= len(exact))
            assert ts[-1] <= len(exact) - 1
        else:
            assert final["overflow"] == -1, name
            if known == 1001:
                assert final["final"] == pytest.approx(max(rosen(*exact[-1]), 1e-13), rel=1e-2), name
        for r in loss_rows:
            t = int(r["t"])
            if t < min(known, len(exact)):
                c = rosen(*exact[t])
                if 1e-12 <= c <= 1e4:
                    assert r[name] == pytest.approx(c, rel=2e-3), (name, t)
                elif c > 1e4 or not math.isfinite(c):
                    assert r[name] > 1e4


def test_thin_path_keeps_the_shape():
    """Does the thinning keep the first and last iterates and every iterate that moved at least
    delta from the last one kept, and never more than max_drawn points?"""
    rng = np.random.default_rng(0)
    walk = np.cumsum(rng.normal(scale=0.01, size=(1001, 2)), axis=0)
    keep = thin_path(walk, delta=0.03, max_drawn=1000)
    assert keep[0] == 0 and keep[-1] == 1000
    gaps = np.linalg.norm(np.diff(walk[keep[:-1]], axis=0), axis=1)
    assert np.all(gaps > 0.03)
    for a, b in zip(keep[:-2], keep[1:-1]):         # nothing skipped that was farther than delta
        assert np.all(np.linalg.norm(walk[a + 1:b] - walk[a], axis=1) <= 0.03)
    assert len(thin_path(walk, delta=1e-6, max_drawn=60)) <= 60


def test_loss_times_are_log_spaced():
    """Are the loss panel's iterations 1..10 and then about evenly spaced in log t up to the end?"""
    t = loss_times(1000)
    assert t[0] == 1 and t[-1] == 1000 and list(t[:10]) == list(range(1, 11))
    ratios = t[11:] / t[10:-1]
    assert ratios.max() < 1.25 and len(t) <= 50
