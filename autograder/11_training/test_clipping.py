"""Hidden tests, task 1: clipping by norm and by value.

Every gradient has its norm more than 15% away from the threshold (no tie at ||g|| = tau) and its
entries at least 0.05 tau away from +-tau; the results are a division and a product, or a
comparison, so every correct way of writing them agrees with the reference to a few ulps, and
the tolerance 1e-12 (relative) leaves a margin of about 1e3 on every machine.
"""

import numpy as np
import pytest

from course_lib.training import clip_by_norm, clip_by_value


def away_from_ties(g, tau):
    return np.all(np.abs(np.abs(g) - tau) > 0.05 * tau) and abs(np.linalg.norm(g) / tau - 1) > 0.15


def gradients():
    """(g, tau) pairs: dimension 1 to 9, norms from 0.2 to 50 times the threshold, mixed signs."""
    rng = np.random.default_rng(1101)
    cases = []
    for d, ratio in ((1, 3.0), (3, 0.5), (4, 12.0), (6, 0.8), (9, 1.25), (5, 50.0), (2, 0.2)):
        g = rng.normal(size=d)
        g[0] = -abs(g[0]) - 0.5                          # at least one large negative entry
        tau = float(rng.uniform(0.3, 3.0))
        g = g * (ratio * tau / np.linalg.norm(g))
        assert away_from_ties(g, tau), "a test input too close to a tie"
        cases.append((g, tau))
    return cases


@pytest.mark.points(1)
def test_clip_by_norm(student):
    """norm clipping on random gradients below and above the threshold: the value, the direction
    (a positive multiple of g), the norm min(||g||, tau), and g left unchanged"""
    for g, tau in gradients():
        result, args_after, _ = student.keeping_arguments("clip_by_norm")(g.copy(), tau)
        got = np.asarray(result, dtype=float)
        assert got.shape == g.shape, "clip_by_norm should return an array of the shape of g"
        g_after = np.asarray(args_after[0], dtype=float)
        assert np.array_equal(g_after, g), (
            "clip_by_norm changed the g it was given (g *= ..., g[:] = ... or an in-place numpy operation): "
            "the task says not to modify g; return a new array")
        want = clip_by_norm(g, tau)
        if np.allclose(got, want, rtol=1e-12, atol=1e-15):
            continue
        norm = np.linalg.norm(g)
        if norm <= tau:
            pytest.fail("a gradient whose norm is below the threshold must be returned unchanged")
        if np.allclose(got, clip_by_value(g, tau), rtol=1e-12, atol=1e-15):
            pytest.fail("this is clipping by value; clip_by_norm rescales the whole vector to norm tau")
        if np.allclose(got, g / norm, rtol=1e-12, atol=1e-15):
            pytest.fail("the result has norm 1: multiply the unit vector g / ||g|| by the threshold")
        cos = got @ g / (np.linalg.norm(got) * norm) if np.linalg.norm(got) > 0 else 0.0
        if cos < 1 - 1e-12:
            pytest.fail("the clipped gradient does not point in the direction of g: scale the whole vector by "
                        "one positive factor")
        pytest.fail("the clipped gradient should have the norm of the threshold when ||g|| > tau")


@pytest.mark.points(1)
def test_clip_by_value(student):
    """value clipping on random gradients: positive and negative entries clipped to [-tau, tau],
    entries inside kept, and g left unchanged"""
    for g, tau in gradients():
        result, args_after, _ = student.keeping_arguments("clip_by_value")(g.copy(), tau)
        got = np.asarray(result, dtype=float)
        assert got.shape == g.shape, "clip_by_value should return an array of the shape of g"
        assert np.array_equal(np.asarray(args_after[0], dtype=float), g), (
            "clip_by_value changed the g it was given (g[g > tau] = ... or an in-place numpy operation): "
            "the task says not to modify g; return a new array")
        want = clip_by_value(g, tau)
        if np.allclose(got, want, rtol=1e-12, atol=1e-15):
            continue
        if np.allclose(got, np.minimum(g, tau), rtol=1e-12, atol=1e-15):
            pytest.fail("large negative entries are not clipped: min(g, tau) clips only from above; clip to "
                        "[-tau, tau] (np.clip(g, -tau, tau))")
        if np.allclose(got, clip_by_norm(g, tau), rtol=1e-12, atol=1e-15):
            pytest.fail("this is clipping by norm; clip_by_value clips each entry separately")
        pytest.fail("each entry should be clipped to the interval [-tau, tau], entries inside it kept")
