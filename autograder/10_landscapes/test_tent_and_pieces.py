"""Hidden tests, task 4: the composed tent map and the count of linear pieces.

tent_power is compared with the reference to 1e-9 at points away from the kinks' preimages where
possible; on dyadic points (k <= 12, grid spacing 2^-14) every correct formula is exact in
floating point. count_linear_pieces is judged on sampled functions whose breakpoints are grid
points: slope jumps are at least 1e-2 relative to the largest slope, rounding noise in the slopes
(a line on a non-dyadic grid) at most 1e-14 relative, so rtol = 1e-9 separates them by 10^5 either way; a
function scaled by 1e-12 (slopes about 1e-12) has the same count under the relative tolerance, and
a single piece under an absolute one.
"""

import numpy as np
import pytest

from autograder.plain import StudentError
from course_lib.landscapes import count_linear_pieces as reference_count


def tent(x, k):
    x = np.asarray(x, dtype=float)
    for _ in range(k):
        x = np.minimum(2 * x, 2 - 2 * x)
    return x


def call(student, name, *args):
    try:
        return getattr(student, name)(*args)
    except StudentError as err:
        if err.kind is None:
            raise
        pytest.fail(f"{name} raised {err.kind} on valid input")


@pytest.mark.points(1)
def test_tent_power(student):
    """k = 0, 1, 2, 5, 12 on dyadic grids and random points, as arrays"""
    dyadic = np.linspace(0, 1, 2**14 + 1)
    rng = np.random.default_rng(5)
    points = rng.uniform(0, 1, 50)
    for k in (0, 1, 2, 5, 12):
        got = np.asarray(call(student, "tent_power", dyadic.copy(), k), dtype=float)
        assert got.shape == dyadic.shape, "tent_power should return an array of the shape of x"
        want = tent(dyadic, k)
        if k > 0 and np.allclose(got, tent(dyadic, k - 1)) and not np.allclose(got, want):
            pytest.fail("the map is applied k - 1 times: apply it exactly k times (k = 0 returns x)")
        if np.allclose(got, tent(dyadic, k + 1)) and not np.allclose(got, want):
            pytest.fail("the map is applied k + 1 times: apply it exactly k times (k = 0 returns x)")
        assert np.allclose(got, want, rtol=0, atol=1e-9), f"tent_power is wrong for k = {k}"
    for k in (1, 3):
        got = np.asarray(call(student, "tent_power", points.copy(), k), dtype=float)
        assert np.allclose(got, tent(points, k), rtol=0, atol=1e-9), "tent_power is wrong at random points of [0, 1]"


@pytest.mark.points(1)
def test_count_linear_pieces(student):
    """tent maps up to k = 9, lines with rounding noise in their slopes, interpolants with knots on the grid,
    a function scaled by 1e-12 (the tolerance is relative)"""
    dyadic = np.linspace(0, 1, 2**11 + 1)
    fine = np.linspace(0, 1, 1001)                       # spacing 0.001: slopes of lines carry rounding noise
    knots = [0.0, 0.125, 0.3, 0.5, 0.75, 1.0]
    cases = [(dyadic, tent(dyadic, k), f"the tent map composed {k} times") for k in (1, 4, 9)]
    cases += [(fine, 0.3 * fine + 0.1, "a line on a grid with rounding noise in the slopes"),
              (fine, np.interp(fine, knots, [0.0, 1.0, 0.2, 0.9, 0.85, 0.1]), "a piecewise-linear interpolant"),
              (dyadic, 1e-12 * np.abs(dyadic - 0.25) + 1e-12 * np.abs(dyadic - 0.75), "a function of size 1e-12")]
    for x, y, what in cases:
        want = reference_count(x, y)
        got = call(student, "count_linear_pieces", x.copy(), y.copy())
        try:
            got = int(got)
        except (TypeError, ValueError):
            pytest.fail("count_linear_pieces should return an integer")
        if got == want - 1:
            pytest.fail("that is the number of breakpoints: the number of pieces is one more")
        if what == "a function of size 1e-12" and got == 1:
            pytest.fail("the tolerance is relative: compare slope changes with rtol * max |s|, not with rtol alone")
        if what.startswith("a line") and got > 1:
            pytest.fail("a line was cut into several pieces by rounding: compare slope changes with the tolerance, "
                        "not exactly")
        assert got == want, f"the count is wrong on {what}"
