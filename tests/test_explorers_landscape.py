"""Tests of course_lib.explorers.landscape (chapter 10): the saddle-escape explorer.

The generic checks (valid chart, weight, labelled controls) run for it in test_explorers_live.py,
its refusals in test_explorers_arguments.py; here: what it reports, and the numbers of the built chapter against perturbed
gradient descent written out again below (numpy and the same seeded draws, not
course_lib.landscapes).
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.explorers import landscape


@pytest.fixture(scope="module")
def explorer():
    return landscape.saddle_escape_explorer()


def _perturbed_gd(eta, radius, seed, num_steps=120, start=0.8):
    """Jin et al.'s perturbed gradient descent on (1 - w1 w2)^2: a kick uniform in the ball of
    radius r when ||g|| <= 1e-3 and no kick in the last 10 steps (a standard normal direction,
    normalised, times r U^(1/2)), then a gradient step. Returns the iterates and the kick steps."""
    rng = np.random.default_rng(seed)
    w = np.array([start, -start])
    path, kicks, last = [w.copy()], [], -11

    def grad(w):
        r = 1.0 - w[0] * w[1]
        return np.array([-2.0 * w[1] * r, -2.0 * w[0] * r])

    for t in range(num_steps):
        g = grad(w)
        if radius > 0 and np.hypot(*g) <= 1e-3 and t - last > 10:
            d = rng.standard_normal(2)
            w = w + radius * np.sqrt(rng.uniform()) * d / np.hypot(*d)
            kicks.append(t)
            last = t
            g = grad(w)
        w = w - eta * g
        path.append(w.copy())
    return np.array(path), kicks


def test_escape_is_reported_truthfully(explorer):
    """Does gradient descent (r = 0) stay at the saddle, do kicks of 0.01 at eta = 0.1 let every
    run escape, and does eta = 0.02 report that no kick came (the gradient never gets small)?"""
    assert explorer.frame("summary", radius=0.0, eta=0.1)["escaped"][0] == 0
    assert explorer.frame("summary", radius=0.0, eta=0.1)["kicked"][0] == 0
    assert explorer.frame("summary", radius=0.01, eta=0.1)["escaped"][0] == 5
    assert explorer.frame("summary", radius=0.5, eta=0.02)["kicked"][0] == 0
    path = explorer.frame("path", radius=0.0, eta=0.1)
    np.testing.assert_allclose(path["w1"], -path["w2"])      # on the stable line throughout
    assert path["loss"][-1] == pytest.approx(1.0, abs=1e-3)   # at the saddle's level


def test_contours_lie_on_their_level_sets(explorer):
    """Is every contour point a point where (1 - w1 w2)^2 is one of the levels drawn, inside the box,
    and is every point of the valley on w1 w2 = 1?"""
    rows = explorer.frame("contours")
    loss = (1 - rows["w1"] * rows["w2"]) ** 2
    levels = np.array([0.05, 0.25, 0.6, 1.0, 2.0, 4.0])
    gap = np.min(np.abs(loss[:, None] - levels[None, :]) / levels, axis=1)
    assert np.all(gap < 0.03)
    assert np.all(np.abs(rows["w1"]) <= 1.8) and np.all(np.abs(rows["w2"]) <= 1.8)
    valley = explorer.frame("minima")
    np.testing.assert_allclose(valley["w1"] * valley["w2"], 1.0, rtol=1e-12)


# --------------------------------------------------------------------------------------------
# The numbers in the built book
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book_tables(explorer_tables):
    return explorer_tables("10_landscapes.html", "kicks", what="saddle-escape explorer")


@pytest.mark.parametrize("radius_i, eta_i", [(0, 2), (1, 2), (3, 2), (5, 4), (2, 1), (4, 5), (3, 0)])
def test_saddle_explorer_in_the_book_follows_perturbed_gd(explorer, book_tables, radius_i, eta_i):
    """Are the runs drawn in chapter 10 (every point, its loss, the kicks and the escape count)
    those of perturbed gradient descent with seeds 0-4, written out again here?"""
    radius = explorer.controls["radius"].values[radius_i]
    eta = explorer.controls["eta"].values[eta_i]
    here = lambda name: [r for r in book_tables[name] if (r["radius"], r["eta"]) == (radius_i, eta_i)]
    path, kicks, summary = here("path"), here("kicks"), here("summary")
    escaped = []
    for seed in range(5):
        w, kick_steps = _perturbed_gd(eta, radius, seed)
        loss = (1 - w[:, 0] * w[:, 1]) ** 2
        rows = [r for r in path if r["run"] == seed]
        assert rows[0]["t"] == 0 and len(rows) >= 10
        inside = np.all(np.abs(w) <= 1.8, axis=1)
        last = len(w) - 1 if inside.all() else int(np.argmin(inside))
        assert rows[-1]["t"] == last, "a run stops before its last iterate inside the box"
        for row in rows:
            t = int(row["t"])
            # three decimals stored: half a unit of the third decimal, plus rounding of the run
            np.testing.assert_allclose([row["w1"], row["w2"]], w[t], atol=6e-4)
            assert row["loss"] == pytest.approx(min(loss[t], 3.8), abs=6e-4)
        drawn = sorted(int(r["t"]) for r in kicks if r["run"] == seed)
        assert drawn == kick_steps
        below = np.flatnonzero(loss < 0.5)
        if below.size:
            escaped.append(below[0])
    assert summary[0]["escaped"] == len(escaped)
    if escaped:
        assert summary[0]["median"] == pytest.approx(np.median(escaped))
