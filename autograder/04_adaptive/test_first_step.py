"""Hidden tests, task 3: the size of Adam's first step.

Graded on its own: the expected step comes from the formula and from course_lib's Adam, never
from the student's ``adam``. Test 1 uses eps = 1e-18 against gradients of 1e-4 and more, so the
placement of eps does not matter there (it changes the step by less than 1e-10); test 2 takes
gradients comparable to eps, and zero gradients, which is where its placement matters.
"""

import numpy as np
import pytest

from course_lib.optim import adam, run


def first_step(got, g):
    got = np.asarray(got, dtype=float)
    assert got.shape == g.shape, "the step should be an array with the shape of g"
    return got


@pytest.mark.points(1)
def test_first_step_is_lr_per_coordinate_at_any_scale(student):
    """for gradients from 1e-4 to 1e8 and several betas, the first step is -lr g / (|g| + eps), about lr per
    coordinate (the bias correction)"""
    g = np.array([1e8, -3e3, 2.0, -1e-2, 5e-4, -1e-4])
    eps = 1e-18
    for lr, b1, b2 in ((0.1, 0.9, 0.999), (0.003, 0.5, 0.9), (1.0, 0.8, 0.99)):
        got = first_step(student.adam_first_step(g, lr, b1, b2, eps), g)
        want = -lr * g / (np.abs(g) + eps)
        if np.allclose(got, -want, rtol=1e-6):
            pytest.fail("the sign is wrong: the step theta_1 - theta_0 goes against the gradient")
        if np.allclose(got, -lr * (1 - b1) * g / (np.sqrt(1 - b2) * np.abs(g) + eps), rtol=1e-6):
            pytest.fail("without bias correction the step is lr (1 - b1) / sqrt(1 - b2) per coordinate; "
                        "with it, m_hat = g and v_hat = g^2, so the step is about lr")
        assert np.allclose(got, want, rtol=1e-7, atol=0), \
            "the first corrected step is -lr g / (|g| + eps): m_hat = g and v_hat = g^2 after one step"


@pytest.mark.points(1)
def test_eps_outside_the_root_and_zero_gradients(student):
    """with gradients comparable to eps, and zero gradients, the first step equals course_lib's Adam's:
    -lr g / (|g| + eps), and 0 where g = 0"""
    cases = ((np.array([1e-3, -2e-3, 5e-4, 0.0, 1.0, -1e-5, 3e-8]), 0.1, 0.9, 0.999, 1e-3),
             (np.array([0.5, -2.0, 0.1, 0.0, -1e-3]), 0.01, 0.7, 0.95, 0.5))
    for g, lr, b1, b2, eps in cases:
        got = first_step(student.adam_first_step(g, lr, b1, b2, eps), g)
        x0 = np.zeros_like(g)
        want = run(adam(lr, b1, b2, eps), lambda x: g.copy(), x0, 1)[1] - x0
        if np.allclose(got, want, rtol=1e-9, atol=1e-15):
            continue
        if not np.all(np.isfinite(got)):
            pytest.fail("a zero gradient gives a step that is not finite: with eps in the denominator, "
                        "-lr g / (|g| + eps) is 0 where g = 0")
        if np.allclose(got, -lr * np.sign(g), rtol=1e-9, atol=1e-15):
            pytest.fail("eps is ignored: the step is -lr g / (|g| + eps), shorter than lr where |g| is comparable "
                        "to eps")
        if np.allclose(got, -lr * g / np.sqrt(g * g + eps), rtol=1e-9, atol=1e-15):
            pytest.fail("eps is inside the square root: the task puts it outside, sqrt(v_hat) + eps = |g| + eps")
        if np.allclose(got, -lr * (1 - b1) * g / (np.sqrt(1 - b2) * np.abs(g) + eps), rtol=1e-9, atol=1e-15):
            pytest.fail("there is no bias correction: m_hat = m_1 / (1 - b1) = g and v_hat = v_1 / (1 - b2) = g^2")
        pytest.fail("the first step differs from -lr m_hat / (sqrt(v_hat) + eps) = -lr g / (|g| + eps)")
