"""Hidden tests, task 3: the size of Adam's first step."""

import numpy as np
import pytest


@pytest.mark.points(1)
def test_first_step_is_lr_per_coordinate_at_any_scale(student):
    """for gradients from 1e-6 to 1e6 (and 0) the first step is -lr g / (|g| + eps), several betas"""
    g = np.array([1e6, -3e3, 2.0, -1e-2, 5e-5, -1e-6, 0.0])
    for lr, b1, b2, eps in ((0.1, 0.9, 0.999, 1e-8), (0.003, 0.5, 0.9, 1e-8), (1.0, 0.99, 0.9999, 1e-4)):
        got = np.asarray(student.adam_first_step(g, lr, b1, b2, eps), dtype=float)
        assert got.shape == g.shape, f"the step should have the shape of g {g.shape}, got {got.shape}"
        want = -lr * g / (np.abs(g) + eps)
        uncorrected = -lr * (1 - b1) * g / (np.sqrt(1 - b2) * np.abs(g) + eps)
        if np.allclose(got, uncorrected, rtol=1e-6, atol=1e-15):
            pytest.fail(f"without bias correction the step is lr (1 - b1)/sqrt(1 - b2) = "
                        f"{lr * (1 - b1) / np.sqrt(1 - b2):.3g} per coordinate; with it, lr")
        assert np.allclose(got, want, rtol=1e-9, atol=1e-15), \
            "the first corrected step is -lr g / (|g| + eps): m_hat = g and v_hat = g^2 after one step"


@pytest.mark.points(1)
def test_first_step_agrees_with_your_adam(student):
    """adam_first_step(g) equals the first step of your adam on a function whose gradient at x0 is g"""
    g = np.array([0.7, -20.0, 1e-3])
    x0 = np.array([1.0, 2.0, 3.0])
    path = np.asarray(student.adam(lambda x: g.copy(), x0, 0.05, 0.9, 0.999, 1e-8, 1), dtype=float)
    got = np.asarray(student.adam_first_step(g, 0.05, 0.9, 0.999, 1e-8), dtype=float)
    assert np.allclose(path[1] - path[0], got, rtol=1e-9), "your adam's first step and adam_first_step disagree"
    assert np.allclose(got, -0.05 * np.sign(g), rtol=1e-4), "and both should be about -lr sign(g)"
