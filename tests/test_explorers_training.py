"""Tests of course_lib.explorers.training.depth_explorer (chapter 11).

The generic checks (valid chart, weight, labelled controls) run for it in test_explorers_live.py,
its refusals in test_explorers_arguments.py; here: the phenomena it shows, and the numbers of the built chapter against a
forward and backward pass written out again below in numpy (not course_lib.training).
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.explorers.training import depth_explorer


@pytest.fixture(scope="module")
def explorer():
    return depth_explorer()


def _curve(frame, act):
    return frame["std"][frame["act"] == act]


def test_relu_curve_is_flat_at_he_gain_and_vanishes_below(explorer):
    """Does the ReLU forward curve stay within a factor 2 over 30 layers at gain sqrt(2), and
    fall by more than 1e3 at gain 0.5?"""
    he = _curve(explorer.frame("forward", gain=1.4142), 1)
    assert 0.5 < he[29] / he[0] < 2
    small = _curve(explorer.frame("forward", gain=0.5), 1)
    assert small[29] / small[0] < 1e-3


def test_depth_cuts_the_same_network(explorer):
    """Is the forward curve one for all depths (drawn up to the depth), and does each depth's
    backward curve have one value per layer, ending at the same output cotangent?"""
    for depth in explorer.controls["depth"].values:
        back = explorer.frame("backward", gain=1.0, depth=depth)
        assert len(_curve(back, 0)) == len(_curve(back, 1)) == depth
        np.testing.assert_array_equal(np.unique(back["layer"]), np.arange(1, depth + 1))
    forward = explorer.frame("forward", gain=1.0)
    assert len(_curve(forward, 0)) == max(explorer.controls["depth"].values)


def test_drawn_values_stay_just_outside_the_panel(explorer):
    """Are vanishing and exploding spreads (gain 0.5 and 2 at depth 100) finite, kept true for
    the read-out and drawn at most a decade beyond the panel's range?"""
    for gain in (0.5, 2.0):
        rows = explorer.frame("backward", gain=gain, depth=100)
        assert np.all(np.isfinite(rows["std"])) and np.all(np.isfinite(rows["shown"]))
        assert np.all((rows["shown"] >= 1e-16) & (rows["shown"] <= 1e7))
        inside = (rows["std"] >= 1e-16) & (rows["std"] <= 1e7)
        np.testing.assert_array_equal(rows["shown"][inside], rows["std"][inside])
    assert _curve(explorer.frame("forward", gain=0.5), 1)[-1] < 1e-16      # really beyond the panel


# --------------------------------------------------------------------------------------------
# The numbers in the built book
# --------------------------------------------------------------------------------------------


def _spreads(gain, depth, activation, width=64, batch=64, seed=0):
    """Standard deviations per layer of x^(l) and of delta^(l) = dL/du^(l) in an MLP without
    biases: inputs and unit normal weights drawn in that order from default_rng(seed), weights
    scaled by gain / sqrt(width), the output cotangent from default_rng(seed + 1)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, width))
    Ws = [rng.normal(size=(width, width)) * gain / np.sqrt(width) for _ in range(depth)]
    if activation == "tanh":
        f, df = np.tanh, lambda u: 1 - np.tanh(u) ** 2
    else:
        f, df = lambda u: np.maximum(u, 0), lambda u: (u > 0).astype(float)
    us, xs = [], [x]
    for W in Ws:
        us.append(xs[-1] @ W.T)
        xs.append(f(us[-1]))
    delta = df(us[-1]) * np.random.default_rng(seed + 1).normal(size=(batch, width))
    back = [0.0] * depth
    for l in range(depth - 1, -1, -1):
        back[l] = delta.std()
        if l > 0:
            delta = (delta @ Ws[l]) * df(us[l - 1])
    return np.array([a.std() for a in xs[1:]]), np.array(back)


@pytest.fixture(scope="module")
def book_tables(explorer_tables):
    return explorer_tables("11_training.html", "backward", what="depth explorer")


@pytest.mark.parametrize("gain_i, depth_i", [(0, 4), (4, 2), (7, 2), (7, 4), (9, 3), (2, 0), (5, 1)])
def test_depth_explorer_in_the_book_follows_a_numpy_network(explorer, book_tables, gain_i, depth_i):
    """Are the spreads drawn in chapter 11 (forward up to the deepest network, backward for the
    depth chosen) those of a forward and backward pass through the network written out here?"""
    gain = explorer.controls["gain"].values[gain_i]
    depth = explorer.controls["depth"].values[depth_i]
    deepest = max(explorer.controls["depth"].values)
    for act, name in enumerate(("tanh", "relu")):
        forward, _ = _spreads(gain, deepest, name)
        _, backward = _spreads(gain, depth, name)
        rows_f = sorted((r for r in book_tables["forward"] if (r["gain"], r["act"]) == (gain_i, act)),
                        key=lambda r: r["layer"])
        rows_b = sorted((r for r in book_tables["backward"]
                         if (r["gain"], r["depth"], r["act"]) == (gain_i, depth_i, act)), key=lambda r: r["layer"])
        assert [r["layer"] for r in rows_f] == list(range(1, deepest + 1))
        assert [r["layer"] for r in rows_b] == list(range(1, depth + 1))
        for rows, exact in ((rows_f, forward), (rows_b, backward)):
            got = np.array([r["std"] for r in rows])
            np.testing.assert_allclose(got, exact, rtol=1e-3, atol=1e-300)   # 4 significant digits
            shown = np.array([r["shown"] for r in rows])
            np.testing.assert_allclose(shown, np.clip(exact, 1e-16, 1e7), rtol=1e-3)
