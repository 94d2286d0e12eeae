"""Hidden tests, task 3: the unrolled recursion and the effective learning rate."""

import numpy as np
import pytest


@pytest.mark.points(1)
def test_weights_reproduce_the_recursion(student):
    """sum_k w_k g_k equals the velocity of the recursion for random gradients (t = 1, 7, 30; several mu)"""
    rng = np.random.default_rng(61)
    for lr, mu, t in ((0.3, 0.2, 1), (0.05, 0.9, 7), (0.01, 0.99, 30)):
        g = rng.normal(size=(t, 3))
        v = np.zeros(3)
        for k in range(t):
            v = mu * v - lr * g[k]
        w = np.asarray(student.velocity_weights(lr, mu, t), dtype=float)
        assert w.shape == (t,), f"velocity_weights(lr, mu, {t}) should have {t} entries, got shape {w.shape}"
        if np.allclose(w, -lr * mu ** (t - np.arange(t))):
            pytest.fail("the powers are off by one: the newest gradient g_(t-1) has weight -lr (power 0)")
        if t > 1 and np.allclose(w[::-1], -lr * mu ** (t - 1 - np.arange(t))):
            pytest.fail("the weights are reversed: the OLDEST gradient g_0 gets the smallest weight")
        assert np.allclose(w @ g, v, rtol=1e-10, atol=1e-14), "sum_k w_k g_k differs from the recursion's v_t"


@pytest.mark.points(1)
def test_measured_rate_of_short_runs(student):
    """after T steps the measured step is lr (1 - mu^T) / (1 - mu), for T = 1, 5, 20"""
    for lr, mu, T in ((0.2, 0.5, 1), (0.01, 0.9, 5), (0.003, 0.7, 20)):
        got = float(student.effective_learning_rate(lr, mu, T))
        want = lr * (1 - mu**T) / (1 - mu)
        if np.isclose(got, lr / (1 + mu)):
            pytest.fail("lr / (1 + mu) is not the effective rate: the steps grow towards lr / (1 - mu)")
        assert np.isclose(got, want, rtol=1e-9), f"after {T} steps the last step should be {want:.6g}, got {got:.6g}"


@pytest.mark.points(1)
def test_measured_rate_tends_to_lr_over_one_minus_mu(student):
    """long runs approach lr / (1 - mu): 0.05 / 0.05 = 1 with mu = 0.95 and 1000 steps"""
    got = float(student.effective_learning_rate(0.05, 0.95, 1000))
    assert abs(got - 1.0) < 1e-9, f"the step should approach lr / (1 - mu) = 1, got {got}"
    small = float(student.effective_learning_rate(0.05, 0.0, 10))
    assert abs(small - 0.05) < 1e-12, "without momentum the step under a unit gradient is lr"
