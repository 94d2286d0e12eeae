"""Tests of the functions added to course_lib for chapter 1:
taylor.linear_model_error_ratios, curvature.best_gradient_step, curvature.probe_stationary_point.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.curvature import (
    INCONCLUSIVE, MAXIMUM, MINIMUM, NEITHER, best_gradient_step, classify_stationary_point,
    probe_stationary_point, spectrum,
)
from course_lib.problems import monkey_saddle, quadratic, rosenbrock, spd_matrix
from course_lib.taylor import linear_model_error_ratios, taylor_error_ratios

# --------------------------------------------------------------------------------------------
# linear_model_error_ratios
# --------------------------------------------------------------------------------------------


def test_linear_model_ratio_tends_to_half_the_directional_curvature():
    """Does the first-order ratio converge to |u^T H u| / (2 |u|^2), the term the tangent
    model misses (here on Rosenbrock, whose Hessian is known exactly)?"""
    p = rosenbrock()
    x = np.array([-0.5, 0.8])
    u = np.array([0.6, -0.8])
    ratios = linear_model_error_ratios(p.fun, p.grad, x, u, [1e-3, 1e-4])
    limit = 0.5 * abs(u @ p.hess(x) @ u) / (u @ u)
    np.testing.assert_allclose(ratios, limit, rtol=1e-2)


def test_linear_and_quadratic_ratios_differ_by_the_curvature_term():
    """On a quadratic the second-order model is exact, so its ratio is zero and the
    first-order ratio equals the curvature term exactly, for every step length."""
    A = spd_matrix([5.0, 1.0], seed=3)
    p = quadratic(A, b=np.array([1.0, -2.0]))
    x, u, steps = np.array([0.3, 0.7]), np.array([1.0, 2.0]), np.array([2.0, 0.5, -1e-2])
    np.testing.assert_allclose(taylor_error_ratios(p.fun, p.grad, p.hess, x, u, steps), 0.0, atol=1e-10)
    np.testing.assert_allclose(linear_model_error_ratios(p.fun, p.grad, x, u, steps),
                               0.5 * abs(u @ A @ u) / (u @ u), rtol=1e-10)


@pytest.mark.parametrize(
    "direction, steps, match",
    [([1.0, 0.0, 0.0], [0.1], "shape"), ([0.0, 0.0], [0.1], "non-zero vector"), ([1.0, 0.0], [0.1, 0.0], "non-zero")],
)
def test_linear_model_ratios_reject_bad_input(direction, steps, match):
    """Are a wrong-shaped or zero direction and a zero step rejected with a clear message?"""
    p = rosenbrock()
    with pytest.raises(ValueError, match=match):
        linear_model_error_ratios(p.fun, p.grad, np.zeros(2), direction, steps)


# --------------------------------------------------------------------------------------------
# best_gradient_step
# --------------------------------------------------------------------------------------------


def test_best_gradient_step_is_the_exact_line_search_on_a_quadratic():
    """On a quadratic, is eps* the minimiser of C(x - eps g): zero slope there, and lower
    than nearby steps?"""
    A = spd_matrix([10.0, 3.0, 0.5], seed=1)
    p = quadratic(A, b=np.array([1.0, 0.0, -1.0]))
    x = np.array([2.0, -1.0, 0.5])
    g = p.grad(x)
    eps = best_gradient_step(g, A)
    slope = -p.grad(x - eps * g) @ g  # d/d eps of C(x - eps g)
    assert abs(slope) <= 1e-10 * (g @ g)
    assert p.fun(x - eps * g) < min(p.fun(x - 0.99 * eps * g), p.fun(x - 1.01 * eps * g))


def test_best_gradient_step_lies_between_the_inverse_extreme_curvatures():
    """Is 1/lambda_1 <= eps* <= 1/lambda_D for random gradients (a Rayleigh quotient)?"""
    A = spd_matrix([20.0, 4.0, 1.0, 0.25], seed=2)
    lam, _ = spectrum(A)
    rng = np.random.default_rng(0)
    for _ in range(50):
        eps = best_gradient_step(rng.standard_normal(4), A)
        assert 1 / lam[0] - 1e-12 <= eps <= 1 / lam[-1] + 1e-12


@pytest.mark.parametrize("H", [np.diag([1.0, -1.0]), np.zeros((2, 2))])
def test_best_gradient_step_is_infinite_without_positive_curvature_along_g(H):
    """When g^T H g <= 0 the model has no minimum along -g: is that reported as inf?"""
    assert best_gradient_step(np.array([0.0, 1.0]), H) == float("inf")


def test_best_gradient_step_rejects_bad_input():
    """Are a zero gradient, a shape mismatch and a non-symmetric H rejected?"""
    with pytest.raises(ValueError, match="gradient is zero"):
        best_gradient_step(np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match="shape"):
        best_gradient_step(np.ones(3), np.eye(2))
    with pytest.raises(ValueError, match="not symmetric"):
        best_gradient_step(np.ones(2), np.array([[1.0, 2.0], [0.0, 1.0]]))


# --------------------------------------------------------------------------------------------
# probe_stationary_point
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fun, x, expected",
    [
        (lambda t: t**2, 0.0, MINIMUM),
        (lambda t: t**4, 0.0, MINIMUM),
        (lambda t: -(t**4), 0.0, MAXIMUM),
        (lambda t: t**3, 0.0, NEITHER),
        (lambda x: x[0] ** 2 + x[1] ** 4, np.zeros(2), MINIMUM),
        (lambda x: x[0] ** 2 - x[1] ** 4, np.zeros(2), NEITHER),
        (monkey_saddle().fun, np.zeros(2), NEITHER),
        (lambda x: -(x @ x), np.zeros(3), MAXIMUM),
        (lambda x: x[0] ** 2 + x[1] ** 2 - x[2] ** 2, np.zeros(3), NEITHER),
        (lambda t: 0.0 * t, 0.0, INCONCLUSIVE),
    ],
)
def test_probe_sees_what_the_function_does_nearby(fun, x, expected):
    """Does the probe identify minima, maxima and non-extrema, including the degenerate
    cases where the second-derivative test is silent?"""
    assert probe_stationary_point(fun, x) == expected


def test_probe_agrees_with_the_hessian_test_when_that_test_is_conclusive():
    """At non-degenerate stationary points (quadratics of every sign pattern), do the two
    verdicts agree (with 'saddle' meaning 'neither')?"""
    for eigenvalues in ([3.0, 1.0], [-1.0, -2.0], [2.0, -0.5], [1.0, 1.0, -1.0]):
        A = spd_matrix(eigenvalues, seed=4)
        verdict = classify_stationary_point(A)
        probe = probe_stationary_point(lambda x, A=A: 0.5 * x @ A @ x, np.zeros(len(eigenvalues)))
        assert probe == {"minimum": MINIMUM, "maximum": MAXIMUM, "saddle": NEITHER}[verdict]


@pytest.mark.parametrize("kwargs, match", [({"radius": 0.0}, "radius"), ({"num_directions": 1}, "num_directions")])
def test_probe_rejects_bad_parameters(kwargs, match):
    """Are a non-positive radius and too few directions rejected?"""
    with pytest.raises(ValueError, match=match):
        probe_stationary_point(lambda t: t**2, 0.0, **kwargs)
