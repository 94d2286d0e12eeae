"""Hidden tests, task 3: the unrolled recursion and the effective learning rate.

The text of task 3(b) makes ``effective_learning_rate`` a composition of task 1 ("run your
``heavy_ball`` for ``num_steps`` steps"), so a wrong ``heavy_ball`` may cost points here too.

Margins (checked by hand): weights computed as powers, by repeated multiplication or by
unrolling the recursion on unit gradients stay within 1e-5 of the rtol = 1e-10 tolerance; the
measured rates are exact to about 1e-13 (tolerances 1e-9 and 1e-12); a mistake is named in a
hint only where its value is more than 0.1 % from the right one (it fails the check either way).
"""

import numpy as np
import pytest


@pytest.mark.points(1)
def test_weights_reproduce_the_recursion(student):
    """sum_k w_k g_k equals the velocity of the recursion for random gradients, several t and mu (t = 1 too)"""
    rng = np.random.default_rng(61)
    for lr, mu, t in ((0.3, 0.2, 1), (0.05, 0.9, 7), (0.01, 0.99, 30)):
        g = rng.normal(size=(t, 3))
        v = np.zeros(3)
        for k in range(t):
            v = mu * v - lr * g[k]
        w = np.asarray(student.velocity_weights(lr, mu, t), dtype=float)
        assert w.shape == (t,), "velocity_weights(lr, momentum, t) should return the t weights (w_0, ..., w_(t-1)), shape (t,)"
        k = np.arange(t)
        if np.allclose(w, -lr * mu ** (t - k)) or np.allclose(w, -lr * mu ** (t - 2 - k)):
            pytest.fail("the powers are off by one: the newest gradient g_(t-1) has weight -lr (power 0), "
                        "the oldest g_0 has -lr mu^(t-1)")
        if t > 1 and np.allclose(w[::-1], -lr * mu ** (t - 1 - k)):
            pytest.fail("the weights are reversed: the OLDEST gradient g_0 gets the smallest weight")
        if np.allclose(-w, -lr * mu ** (t - 1 - k)):
            pytest.fail("the weights have the wrong sign: v = mu v - lr g makes every weight negative")
        assert np.allclose(w @ g, v, rtol=1e-10, atol=1e-14), "sum_k w_k g_k differs from the recursion's v_t"


def rate_mistake(got, lr, mu, T):
    """The hint for a wrong measured rate after T steps, or None if no known mistake matches.

    A mistake is named only where its value is at least 0.1 % away from the right one."""
    def after(n):
        return lr * (1 - mu**n) / (1 - mu)

    candidates = [
        (-after(T), "the step is negative: return its length |theta_T - theta_(T-1)|"),
        (lr / (1 - mu), "this is the limit lr / (1 - mu), not a measurement: return the length of the last step "
                        "of a heavy-ball run of exactly num_steps steps"),
        (lr / (1 + mu), "lr / (1 + mu) is not the effective rate: the steps grow towards lr / (1 - mu)"),
        (after(T - 1), "the run has one step too few: take exactly num_steps steps and return |theta_T - theta_(T-1)|"),
        (after(T + 1), "the last step is the one after num_steps + 1 steps: take exactly num_steps steps from "
                       "rest (v_0 = 0 in heavy_ball) and return |theta_T - theta_(T-1)|"),
        (sum(after(k) for k in range(1, T + 1)) / T, "this is the average step |theta_T - theta_0| / T: return the "
                                                     "length of the last step, |theta_T - theta_(T-1)|"),
        (lr * (1 - mu**T), "the steps tend to lr, not lr / (1 - mu): that is the averaged convention "
                           "u = mu u + (1 - mu) g, theta -= lr u; heavy_ball should use the velocity form (task 1)"),
        (lr, "the step did not grow: with momentum the steps under a constant gradient grow towards lr / (1 - mu) "
             "(check heavy_ball's velocity update, and that effective_learning_rate runs it with this momentum)"),
    ]
    for value, hint in candidates:
        if not np.isclose(value, after(T), rtol=1e-3) and np.isclose(got, value, rtol=1e-6):
            return hint
    return None


@pytest.mark.points(1)
def test_measured_rate_of_short_runs(student):
    """after T steps the measured step is lr (1 - mu^T) / (1 - mu), for a few short runs (T = 1 too)"""
    for lr, mu, T in ((0.2, 0.5, 1), (0.01, 0.9, 5), (0.003, 0.7, 20)):
        got = float(student.effective_learning_rate(lr, mu, T))
        want = lr * (1 - mu**T) / (1 - mu)
        if not np.isclose(got, want, rtol=1e-9):
            pytest.fail(rate_mistake(got, lr, mu, T) or "the measured step after T steps should be "
                        "lr (1 - mu^T) / (1 - mu): run heavy_ball for num_steps steps on C(theta) = theta and "
                        "return |theta_T - theta_(T-1)|")


@pytest.mark.points(1)
def test_measured_rate_tends_to_lr_over_one_minus_mu(student):
    """long runs approach lr / (1 - mu); without momentum the step under a unit gradient is lr"""
    lr, mu, T = 0.05, 0.95, 1000
    got = float(student.effective_learning_rate(lr, mu, T))
    if abs(got - lr / (1 - mu)) > 1e-9:
        pytest.fail(rate_mistake(got, lr, mu, T) or "after many steps the measured step should approach lr / (1 - mu)")
    small = float(student.effective_learning_rate(0.05, 0.0, 10))
    assert abs(small - 0.05) < 1e-12, "without momentum the step under a unit gradient is lr"
