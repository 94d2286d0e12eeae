"""Learning-rate schedules (course_lib.schedules).

Oracles: the closed forms written out independently in each test, and for the inverse-time
schedule the digamma/trigamma identities sum_{t<N} 1/(t0+t) = psi(t0+N) - psi(t0) and
sum_{t<N} 1/(t0+t)^2 = psi_1(t0) - psi_1(t0+N) (scipy.special).
"""

import math

import numpy as np
import pytest
from scipy import special

from course_lib import schedules as sc

ALL = {
    "constant": sc.constant(0.3),
    "exponential": sc.exponential_decay(0.3, 0.99),
    "linear": sc.linear_decay_to_floor(0.3, 0.003, 50),
    "step": sc.step_decay(0.3, 0.5, 7),
    "inverse_time": sc.inverse_time(0.3, 20.0),
}


@pytest.mark.parametrize("name", ALL)
def test_schedules_are_vectorised_and_start_at_step_zero(name):
    """Does an integer array give the same rates as a loop over ints, with schedule(0) the initial rate?"""
    sched = ALL[name]
    steps = np.arange(200)
    rates = sched(steps)
    assert isinstance(rates, np.ndarray) and rates.shape == (200,)
    loop = [sched(int(t)) for t in steps]
    assert all(isinstance(r, float) for r in loop)
    np.testing.assert_allclose(rates, loop, rtol=1e-15)
    assert rates[0] == pytest.approx(0.3)
    assert sched(steps.reshape(20, 10)).shape == (20, 10)
    assert np.all(np.diff(rates) <= 0) and np.all(rates > 0)  # none of them increases


def test_closed_forms():
    """Are the rates the documented formulas at chosen steps?"""
    t = np.array([0, 1, 5, 100, 1000])
    np.testing.assert_allclose(sc.constant(0.1)(t), 0.1)
    np.testing.assert_allclose(sc.exponential_decay(0.1, 0.99)(t), [0.1 * 0.99**k for k in t.tolist()], rtol=1e-13)
    np.testing.assert_allclose(sc.step_decay(2.0, 0.5, every=5)(t), [2.0, 2.0, 1.0, 2.0 * 0.5**20, 2.0 * 0.5**200])
    expected = [0.5 * 10 / (10 + k) for k in t.tolist()]
    np.testing.assert_allclose(sc.inverse_time(0.5, 10.0)(t), expected, rtol=1e-15)
    assert sc.exponential_decay(0.1, 1.0)(10**6) == 0.1


def test_linear_decay_to_floor_follows_source_003():
    """Is alpha_i = (1 - i/tau) alpha_0 + (i/tau) alpha_tau before tau, alpha_tau from tau on, continuous?"""
    lr0, tau = 1.0, 40
    floor = lr0 / 100  # 003's rule of thumb
    sched = sc.linear_decay_to_floor(lr0, floor, tau)
    for i in [0, 1, 13, 39]:
        assert sched(i) == pytest.approx((1 - i / tau) * lr0 + (i / tau) * floor, rel=1e-14)
    assert sched(tau // 2) == pytest.approx((lr0 + floor) / 2)
    np.testing.assert_array_equal(sched(np.array([tau, tau + 1, 10**6])), floor)
    assert sched(tau - 1) - sched(tau) == pytest.approx((lr0 - floor) / tau)  # no jump at tau
    assert sc.linear_decay_to_floor(1.0, 0.0, 10)(10) == 0.0


def test_inverse_time_partial_sums_match_digamma():
    """Are the partial sums of eta t0/(t0+t) and of its square the digamma/trigamma closed forms?"""
    lr, t0, N = 0.4, 7.5, 5000
    sums = sc.robbins_monro_partial_sums(sc.inverse_time(lr, t0), N)
    n = np.array([1, 10, 100, N])
    digamma_form = lr * t0 * (special.digamma(t0 + n) - special.digamma(t0))
    trigamma_form = (lr * t0) ** 2 * (special.polygamma(1, t0) - special.polygamma(1, t0 + n))
    np.testing.assert_allclose(sums.lr[n - 1], digamma_form, rtol=1e-12)
    np.testing.assert_allclose(sums.lr_squared[n - 1], trigamma_form, rtol=1e-10)


def test_geometric_partial_sums():
    """Do exponential and step decay sum to eta (1 - r^N)/(1 - r) and eta k (1 - f^m)/(1 - f)?"""
    lr, r, N = 0.2, 0.9, 300
    sums = sc.robbins_monro_partial_sums(sc.exponential_decay(lr, r), N)
    np.testing.assert_allclose(sums.lr[-1], lr * (1 - r**N) / (1 - r), rtol=1e-13)
    np.testing.assert_allclose(sums.lr_squared[-1], lr**2 * (1 - r ** (2 * N)) / (1 - r**2), rtol=1e-13)
    k, f, m = 4, 0.5, 30
    step = sc.robbins_monro_partial_sums(sc.step_decay(lr, f, k), k * m)
    np.testing.assert_allclose(step.lr[-1], lr * k * (1 - f**m) / (1 - f), rtol=1e-13)


def _last_decade_increase(partial):
    """How much a partial sum grows from N/10 to N: ~0 if it converges."""
    N = partial.size
    return partial[-1] - partial[N // 10 - 1]


def test_robbins_monro_conditions_numerically():
    """Does only the inverse-time schedule keep sum eta growing while sum eta^2 stops growing?

    Over the last decade of steps (N/10 to N): sum eta grows by ~ eta t0 ln 10 for inverse time
    (divergent, like a logarithm) and by ~0 for exponential and step decay (convergent);
    sum eta^2 grows linearly in N for a constant rate or a positive floor, and like 1/N (towards
    0) for inverse time.
    """
    N = 200_000
    growth = {
        name: [_last_decade_increase(s) for s in sc.robbins_monro_partial_sums(sched, N)]
        for name, sched in ALL.items()
    }
    lr, t0 = 0.3, 20.0
    assert growth["inverse_time"][0] == pytest.approx(lr * t0 * math.log(10), rel=1e-3)
    # sum eta^2 grows by ~ (eta t0)^2 (10/N - 1/N): it shrinks like 1/N, the series converges
    assert growth["inverse_time"][1] == pytest.approx((lr * t0) ** 2 * 9 / N, rel=1e-2)
    assert growth["exponential"][0] < 1e-12 and growth["step"][0] < 1e-12
    assert growth["constant"][1] == pytest.approx(0.09 * 0.9 * N)
    assert growth["linear"][1] == pytest.approx(0.003**2 * 0.9 * N)  # 003's floor: sum eta^2 = infinity


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: sc.constant(0.0), ValueError, "Invalid lr: 0.0 .*positive"),
        (lambda: sc.constant(-1), ValueError, "Invalid lr: -1"),
        (lambda: sc.constant(float("nan")), ValueError, "finite"),
        (lambda: sc.constant("0.1"), TypeError, "expected a number"),
        (lambda: sc.constant(True), TypeError, "expected a number"),
        (lambda: sc.exponential_decay(0.1, 1.5), ValueError, r"Invalid rate: 1.5 .*\(0, 1\]"),
        (lambda: sc.exponential_decay(0.1, 0.0), ValueError, "Invalid rate: 0.0"),
        (lambda: sc.linear_decay_to_floor(0.1, 0.2, 10), ValueError, "lr_final <= lr0"),
        (lambda: sc.linear_decay_to_floor(0.1, -0.01, 10), ValueError, "lr_final"),
        (lambda: sc.linear_decay_to_floor(0.1, 0.01, 0), ValueError, "num_steps: 0 .*positive integer"),
        (lambda: sc.linear_decay_to_floor(0.1, 0.01, 2.5), ValueError, "num_steps"),
        (lambda: sc.step_decay(0.1, 0.0, 10), ValueError, "Invalid factor: 0.0"),
        (lambda: sc.step_decay(0.1, 0.5, 0), ValueError, "every"),
        (lambda: sc.inverse_time(0.1, 0.0), ValueError, "Invalid t0: 0.0"),
        (lambda: sc.inverse_time(-0.1, 10.0), ValueError, "Invalid lr: -0.1"),
    ],
)
def test_hyperparameters_are_validated(make, error, match):
    """Is every bad hyperparameter refused where it enters, with a message naming it?"""
    with pytest.raises(error, match=match):
        make()


@pytest.mark.parametrize(
    "steps, error, match",
    [
        (-1, ValueError, "non-negative"),
        (np.array([0, 3, -2]), ValueError, "non-negative"),
        (1.5, TypeError, "integers"),
        (np.arange(3.0), TypeError, "dtype float64"),
        (True, TypeError, "integers"),
    ],
)
def test_steps_are_validated(steps, error, match):
    """Are negative or non-integer step numbers refused rather than silently extrapolated?"""
    with pytest.raises(error, match=match):
        sc.inverse_time(0.1, 10.0)(steps)


def test_partial_sums_require_a_vectorised_schedule():
    """Is a schedule that ignores its array argument reported, not summed wrongly?"""
    with pytest.raises(ValueError, match="element-wise"):
        sc.robbins_monro_partial_sums(lambda t: 0.1, 10)
    with pytest.raises(ValueError, match="num_steps"):
        sc.robbins_monro_partial_sums(sc.constant(0.1), 0)
