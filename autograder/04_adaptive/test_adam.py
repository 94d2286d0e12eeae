"""Hidden tests, task 1: Adam with bias correction."""

import numpy as np
import pytest

from course_lib import problems
from course_lib.optim import adam, run


def variant(grad, x0, lr, b1, b2, eps, n, correct=True, frozen=False, eps_inside=False):
    """Adam and its classic mistakes, written out (the diagnosis of a failed comparison)."""
    x, m, v, xs = np.array(x0, dtype=float), np.zeros(len(x0)), np.zeros(len(x0)), [np.array(x0, dtype=float)]
    for t in range(1, n + 1):
        g = grad(x)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        k = 1 if frozen else t
        mh, vh = (m / (1 - b1**k), v / (1 - b2**k)) if correct else (m, v)
        x = x - lr * mh / (np.sqrt(vh + eps) if eps_inside else np.sqrt(vh) + eps)
        xs.append(x)
    return np.array(xs)


MISTAKES = [
    (dict(correct=False), "there is no bias correction: divide m_t by 1 - b1^t and v_t by 1 - b2^t"),
    (dict(frozen=True), "the bias correction uses t = 1 at every step: the step counter never advances"),
    (dict(eps_inside=True), "eps is inside the square root: the task puts it outside, sqrt(v_hat) + eps"),
]


def diagnose(got, grad, x0, lr, b1, b2, eps, n):
    for kwargs, hint in MISTAKES:
        if np.allclose(got, variant(grad, x0, lr, b1, b2, eps, n, **kwargs), rtol=1e-9, atol=1e-12):
            pytest.fail(hint)
    if np.allclose(got, variant(grad, x0, lr, b2, b1, eps, n), rtol=1e-9, atol=1e-12):
        pytest.fail("b1 and b2 are swapped: b1 averages the gradients, b2 their squares")


@pytest.mark.points(1)
def test_matches_adam_on_new_problems(student):
    """iterates equal Adam's (course_lib) on a rotated 4-D quadratic and on Rosenbrock, several hyperparameters"""
    cases = [(problems.quadratic(problems.spd_matrix([9.0, 3.0, 1.0, 0.1], seed=81), np.ones(4)),
              np.array([1.0, -1.0, 2.0, 0.0]), 0.05, 0.9, 0.999, 1e-8, 60),
             (problems.rosenbrock(), np.array([-1.2, 1.0]), 0.02, 0.8, 0.99, 1e-8, 120)]
    for p, x0, lr, b1, b2, eps, n in cases:
        got = np.asarray(student.adam(p.grad, x0, lr, b1, b2, eps, n), dtype=float)
        want = run(adam(lr, b1, b2, eps), p.grad, x0, n)
        assert got.shape == want.shape, f"expected shape {want.shape}, got {got.shape}"
        if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            diagnose(got, p.grad, x0, lr, b1, b2, eps, n)
            pytest.fail("the iterates differ from Adam's update m/(1-b1^t) / (sqrt(v/(1-b2^t)) + eps)")


@pytest.mark.points(1)
def test_constant_gradient_gives_steps_of_length_lr(student):
    """under a constant gradient every corrected step is exactly lr g / (|g| + eps), for 40 steps: the
    correction must use the current t (a frozen counter or no correction makes the steps wrong)"""
    g0 = np.array([4.0, -0.5, 1e-3])
    got = np.asarray(student.adam(lambda x: g0.copy(), np.zeros(3), 0.01, 0.9, 0.99, 1e-8, 40), dtype=float)
    steps = np.diff(got, axis=0)
    want = -0.01 * g0 / (np.abs(g0) + 1e-8)
    if not np.allclose(steps, want, rtol=1e-9):
        diagnose(got, lambda x: g0.copy(), np.zeros(3), 0.01, 0.9, 0.99, 1e-8, 40)
        pytest.fail(f"with a constant gradient the bias-corrected averages are exact, so every step should be "
                    f"-lr g/(|g| + eps); your steps 1, 2 and 40 are {steps[[0, 1, -1], 0]} in the first coordinate")


@pytest.mark.points(1)
def test_eps_placement_and_betas(student):
    """with a large eps (0.1) and small gradients, eps outside the root; b1 and b2 in their places"""
    p = problems.quadratic(np.diag([0.02, 0.005]))
    x0 = np.array([1.0, -2.0])
    got = np.asarray(student.adam(p.grad, x0, 0.1, 0.5, 0.9, 0.1, 30), dtype=float)
    want = run(adam(0.1, 0.5, 0.9, 0.1), p.grad, x0, 30)
    if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
        diagnose(got, p.grad, x0, 0.1, 0.5, 0.9, 0.1, 30)
        pytest.fail("with eps = 0.1 the iterates differ from theta - lr m_hat / (sqrt(v_hat) + eps)")
