"""Hidden tests, task 1: Adam with bias correction.

Tests 1 and 2 use an eps (1e-12 and 1e-14) far below the roots of the averaged squares (0.02 and
more on these runs), so every placement of eps gives the same iterates to 1e-10: they judge the
averages, the bias correction and the step counter, and a misplaced eps passes them with a wide
margin. Test 3 (eps = 0.1 against gradients of 0.02 or less) judges the placement of eps.
"""

import numpy as np
import pytest

from course_lib import problems
from course_lib.optim import adam, run

RTOL, ATOL = 1e-8, 1e-12    # correct variants (loops, other orders of the operations) agree to 1e-15 here


def variant(grad, x0, lr, b1, b2, eps, n, correct=True, frozen=False, eps_inside=False, eps_before_correction=False,
            no_eps=False, shift=0):
    """Adam and its classic mistakes, written out (the diagnosis of a failed comparison)."""
    x, m, v, xs = np.array(x0, dtype=float), np.zeros(len(x0)), np.zeros(len(x0)), [np.array(x0, dtype=float)]
    for t in range(1, n + 1):
        g = grad(x)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        k = 1 if frozen else t + shift
        mh, vh = (m / (1 - b1**k), v / (1 - b2**k)) if correct else (m, v)
        if eps_before_correction:      # Kingma and Ba's "efficient" form: eps added to sqrt(v), not to sqrt(v_hat)
            x = x - lr * np.sqrt(1 - b2**t) / (1 - b1**t) * m / (np.sqrt(v) + eps)
        elif no_eps:
            x = x - lr * mh / np.sqrt(vh)
        else:
            x = x - lr * mh / (np.sqrt(vh + eps) if eps_inside else np.sqrt(vh) + eps)
        xs.append(x)
    return np.array(xs)


MISTAKES = [
    (dict(correct=False), "there is no bias correction: divide m_t by 1 - b1^t and v_t by 1 - b2^t"),
    (dict(frozen=True), "the bias correction uses t = 1 at every step: the step counter never advances"),
    (dict(eps_inside=True), "eps is inside the square root: the task puts it outside, sqrt(v_hat) + eps"),
    (dict(eps_before_correction=True), "eps is added to sqrt(v_t) and the correction folded into the learning rate "
                                       "(Kingma and Ba's efficient form): this task adds eps to sqrt(v_hat_t)"),
    (dict(no_eps=True), "eps is missing from the denominator: sqrt(v_hat) + eps"),
    (dict(shift=1), "the bias correction is one step ahead: step t divides by 1 - b^t (1 - b^1 for the first step), "
                    "not by 1 - b^(t+1)"),
]


def diagnose(got, grad, x0, lr, b1, b2, eps, n):
    if not np.all(np.isfinite(got)):
        pytest.fail("some iterates are not finite: if the counter starts at t = 0, the correction divides by "
                    "1 - b^0 = 0; it starts at t = 1")
    for kwargs, hint in MISTAKES:
        if np.allclose(got, variant(grad, x0, lr, b1, b2, eps, n, **kwargs), rtol=RTOL, atol=ATOL):
            pytest.fail(hint)
    if np.allclose(got, variant(grad, x0, lr, b2, b1, eps, n), rtol=RTOL, atol=ATOL):
        pytest.fail("b1 and b2 are swapped: b1 averages the gradients, b2 their squares")


def trajectory(got, x0, n):
    """The student's result as an array of shape (n + 1, d), or a hint about its shape."""
    got = np.asarray(got, dtype=float)
    d = len(x0)
    if got.ndim != 2:
        pytest.fail("return every iterate as a 2-D array of shape (num_steps + 1, d), x0 first, "
                    "not only the last one")
    if got.shape == (n, d):
        pytest.fail("a row is missing: the result has num_steps + 1 rows, x0 first")
    assert got.shape == (n + 1, d), "the result should have shape (num_steps + 1, d): one row per iterate, x0 first"
    if n > 1 and np.all(got == got[-1]) and not np.array_equal(got[0], x0):
        pytest.fail("every row of the result is the last iterate: the list holds the same array num_steps + 1 "
                    "times, changed in place (theta -= ...); store a copy, or write theta = theta - ...")
    assert np.array_equal(got[0], x0), "the first row of the result should be x0 itself"
    return got


@pytest.mark.points(1)
def test_matches_adam_on_new_problems(student):
    """iterates equal Adam's (course_lib) on a rotated 4-D quadratic and on Rosenbrock, several hyperparameters"""
    cases = [(problems.quadratic(problems.spd_matrix([9.0, 3.0, 1.0, 0.1], seed=81), np.ones(4)),
              np.array([1.0, -1.0, 2.0, 0.0]), 0.05, 0.9, 0.999, 60),
             (problems.rosenbrock(), np.array([-1.2, 1.0]), 0.02, 0.8, 0.99, 120)]
    eps = 1e-12
    for p, x0, lr, b1, b2, n in cases:
        got = trajectory(student.adam(p.grad, x0, lr, b1, b2, eps, n), x0, n)
        want = run(adam(lr, b1, b2, eps), p.grad, x0, n)
        if not np.allclose(got, want, rtol=RTOL, atol=ATOL):
            diagnose(got, p.grad, x0, lr, b1, b2, eps, n)
            pytest.fail("the iterates differ from Adam's update m/(1-b1^t) / (sqrt(v/(1-b2^t)) + eps)")


@pytest.mark.points(1)
def test_constant_gradient_gives_steps_of_length_lr(student):
    """under a constant gradient every corrected step is exactly -lr g / (|g| + eps), for 40 steps: the
    correction must use the current t (a frozen counter or no correction makes the steps wrong)"""
    g0 = np.array([4.0, -0.5, 0.02])
    lr, b1, b2, eps, n = 0.01, 0.8, 0.99, 1e-14, 40     # 1 - b1 != sqrt(1 - b2): frozen != uncorrected
    got = trajectory(student.adam(lambda x: g0.copy(), np.zeros(3), lr, b1, b2, eps, n), np.zeros(3), n)
    want = -lr * g0 / (np.abs(g0) + eps)
    if not np.allclose(np.diff(got, axis=0), want, rtol=RTOL, atol=ATOL):
        diagnose(got, lambda x: g0.copy(), np.zeros(3), lr, b1, b2, eps, n)
        pytest.fail("with a constant gradient the bias-corrected averages are exactly g and g^2, so every step "
                    "should be -lr g / (|g| + eps); the correction must divide by 1 - b^t with the current t")


@pytest.mark.points(1)
def test_eps_placement_and_betas(student):
    """with a large eps (0.1) and small gradients, eps outside the root; b1 and b2 in their places"""
    p = problems.quadratic(np.diag([0.02, 0.005]))
    x0 = np.array([1.0, -2.0])
    got = trajectory(student.adam(p.grad, x0, 0.1, 0.5, 0.9, 0.1, 30), x0, 30)
    want = run(adam(0.1, 0.5, 0.9, 0.1), p.grad, x0, 30)
    if not np.allclose(got, want, rtol=RTOL, atol=ATOL):
        diagnose(got, p.grad, x0, 0.1, 0.5, 0.9, 0.1, 30)
        pytest.fail("with a large eps the iterates differ from theta - lr m_hat / (sqrt(v_hat) + eps)")
