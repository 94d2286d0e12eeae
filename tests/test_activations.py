"""course_lib.activations: sigmoid, sigmoid' and tanh' against mpmath (50 digits), an oracle
independent of numpy, at small, moderate, large and huge arguments.

The bound tested, a relative error of 1e-13, is far above what the module docstring proves
(a few units of 2^-53, about 1e-15) and far below what the cancelling forms give where a unit
saturates (sigma (1 - sigma) is off by 3.6e-8 relative at x = 20 and is 0 from x = 37), so neither a
rounding tie nor the platform's exp decides a verdict.
"""

import mpmath as mp
import numpy as np
import pytest

from course_lib import activations as act

mp.mp.dps = 50
RTOL = 1e-13


def sigmoid_mp(x):
    return 1 / (1 + mp.exp(-mp.mpf(x)))


def dsigmoid_mp(x):
    """The definition sigma (1 - sigma), with enough digits that 1 - sigma does not cancel."""
    with mp.workdps(50 + int(min(abs(x), 1000.0) / 2.3) if np.isfinite(x) else 50):   # 0 beyond 1000
        s = sigmoid_mp(x)
        return +(s * (1 - s))


def dtanh_mp(x):
    return 1 / mp.cosh(mp.mpf(x)) ** 2


def arguments(largest):
    """0, tiny, moderate and large arguments of both signs, up to ``largest`` (floats, exact in mpmath)."""
    magnitudes = np.concatenate([[0.0, 5e-324, 1e-300, 1e-8], np.linspace(0.01, 40.0, 401),
                                 np.geomspace(40.0, largest, 60)])
    return np.concatenate([magnitudes, -magnitudes[1:]])


def relative_errors(fun, oracle, xs):
    got = np.asarray(fun(xs), dtype=float)
    want = [oracle(float(x)) for x in xs]
    return np.array([float(abs((mp.mpf(float(g)) - w) / w)) for g, w in zip(got, want)])


@pytest.mark.parametrize("fun,oracle,largest", [
    (act.sigmoid, sigmoid_mp, 700.0), (act.dsigmoid, dsigmoid_mp, 700.0), (act.dtanh, dtanh_mp, 350.0)],
    ids=["sigmoid", "dsigmoid", "dtanh"])
def test_relative_accuracy_over_the_normal_range(fun, oracle, largest):
    """Are sigma, sigma' and tanh' accurate to 1e-13 relative wherever their values are normal doubles
    (|x| <= 700 for sigma and sigma', |x| <= 350 for tanh'), on arrays and on scalars?"""
    xs = arguments(largest)
    errors = relative_errors(fun, oracle, xs)
    worst = int(np.argmax(errors))
    assert errors[worst] <= RTOL, f"relative error {errors[worst]:.2e} at x = {xs[worst]!r}"
    for x in (-largest, -37.0, -7.6, 0.0, 1e-8, 14.8, 37.0, largest):     # the scalar path
        assert float(abs((mp.mpf(float(fun(x))) - oracle(x)) / oracle(x))) <= RTOL


@pytest.mark.parametrize("fun,oracle,start", [(act.dsigmoid, dsigmoid_mp, 700.0), (act.dtanh, dtanh_mp, 350.0)],
                         ids=["dsigmoid", "dtanh"])
def test_subnormal_tail_and_infinities(fun, oracle, start):
    """Where the true derivative is subnormal or below the smallest double, is the computed one
    finite, non-negative and within a few subnormal spacings of it, and 0 (not nan) at +-inf?"""
    xs = np.concatenate([np.linspace(start, 800.0, 200), [1e4, 1e300]])
    for x in np.concatenate([xs, -xs]):
        got = float(fun(x))
        assert np.isfinite(got) and got >= 0.0
        want = oracle(float(x))
        assert abs(mp.mpf(got) - want) <= max(RTOL * want, 4 * 5e-324)
    assert np.all(fun(np.array([np.inf, -np.inf])) == 0.0)
    assert np.isnan(fun(np.nan))


def test_the_cancelling_forms_fail_where_the_issue_says():
    """Do the textbook forms really fail where the stable ones pass (the reason for this module)?"""
    s = float(act.sigmoid(37.0))
    assert s * (1 - s) == 0.0 or abs(s * (1 - s) / float(dsigmoid_mp(37.0)) - 1) > 0.1
    assert float(act.dsigmoid(37.0)) > 0.0
    t = np.tanh(20.0)
    assert 1 - t * t == 0.0 and float(act.dtanh(20.0)) > 0.0
