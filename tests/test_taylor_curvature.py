"""Taylor model and curvature helpers, against closed forms."""

import numpy as np
import pytest

from course_lib import curvature, problems, taylor
from course_lib.optim import gradient_descent, run


def test_model_is_exact_for_a_quadratic():
    """Is the second-order model of a quadratic the quadratic itself?"""
    A = problems.spd_matrix([4.0, 1.0, 0.2], seed=3)
    p = problems.quadratic(A, [1.0, -1.0, 0.5])
    x = np.array([0.3, -0.2, 1.0])
    m = taylor.quadratic_model(p.fun, p.grad, p.hess, x)
    for d in np.random.default_rng(0).normal(size=(5, 3)):
        assert m(d) == pytest.approx(p.fun(x + d), rel=1e-12)


def test_error_ratio_falls_linearly_for_a_smooth_function():
    """Does |C(x+d) - m(d)|/|d|^2 fall in proportion to |d| (a C^3 function)?"""
    p = problems.rosenbrock()
    steps = np.logspace(-1, -4, 7)
    r = taylor.taylor_error_ratios(p.fun, p.grad, p.hess, [-0.5, 0.8], [1.0, 2.0], steps)
    slope = np.polyfit(np.log(steps), np.log(r), 1)[0]
    assert slope == pytest.approx(1.0, abs=0.05)
    # and its limit: r(h)/h -> |phi'''(0)| / (6 |u|^2) for phi(t) = C(x + t u)
    x, u = np.array([-0.5, 0.8]), np.array([1.0, 2.0])
    phi = lambda t: p.fun(x + t * u)
    t = 1e-2  # phi is a quartic polynomial in t: this difference is exact up to O(t^2)
    third = (phi(2 * t) - 2 * phi(t) + 2 * phi(-t) - phi(-2 * t)) / (2 * t**3)
    assert r[-1] / steps[-1] == pytest.approx(abs(third) / (6 * u @ u), rel=1e-2)


def test_error_ratio_rejects_a_zero_step():
    """Is a zero step, where the ratio is undefined, refused clearly?"""
    p = problems.rosenbrock()
    with pytest.raises(ValueError, match="non-zero"):
        taylor.taylor_error_ratios(p.fun, p.grad, p.hess, [0.0, 0.0], [1.0, 0.0], [0.1, 0.0])


@pytest.mark.parametrize(
    "eigenvalues, verdict",
    [([3.0, 1.0], "minimum"), ([-1.0, -0.5, -2.0], "maximum"), ([2.0, -1.0], "saddle"),
     ([2.0, 0.0, -1.0], "saddle"), ([1.0, 0.0], "inconclusive"), ([0.0, 0.0], "inconclusive"),
     ([-1.0, 1e-12], "inconclusive"), ([5.0], "minimum")],
)
def test_classification_by_eigenvalues(eigenvalues, verdict):
    """Does the test use the spectrum (not the diagonal) and treat tiny eigenvalues as zero?"""
    H = problems.spd_matrix(eigenvalues, seed=11)
    assert curvature.classify_stationary_point(H) == verdict


def test_monkey_saddle_is_inconclusive_at_the_origin():
    """Is the monkey saddle's origin reported as inconclusive (its Hessian is zero)?"""
    p = problems.monkey_saddle()
    assert curvature.classify_stationary_point(p.hess(np.zeros(2))) == "inconclusive"


def test_classification_rejects_non_symmetric_input():
    """Is a non-symmetric 'Hessian' refused with a message?"""
    with pytest.raises(ValueError, match="not symmetric"):
        curvature.classify_stationary_point([[1.0, 2.0], [0.0, 1.0]])


def test_stability_bound_separates_convergence_from_divergence():
    """Does GD converge just below 2/lambda_1 and diverge just above, as the theory says?"""
    A = problems.spd_matrix([10.0, 2.0, 0.5], seed=5)
    p = problems.quadratic(A, [1.0, 0.0, -1.0])
    eta = curvature.max_stable_learning_rate(A)
    assert eta == pytest.approx(0.2)
    x0 = np.array([1.0, 1.0, 1.0])
    below = run(gradient_descent(0.98 * eta), p.grad, x0, 600)
    above = run(gradient_descent(1.02 * eta), p.grad, x0, 600)
    assert np.linalg.norm(below[-1] - p.x_min) < 1e-3 * np.linalg.norm(x0 - p.x_min)
    assert np.linalg.norm(above[-1] - p.x_min) > 1e3 * np.linalg.norm(x0 - p.x_min)


def test_closed_form_eigen_coordinates_match_iterates():
    """Is alpha_k = (I - eta Lambda)^k alpha_0 exactly what gradient descent does on a quadratic?"""
    lam = np.array([5.0, 1.0, 0.1])
    A = problems.spd_matrix(lam, seed=2)
    p = problems.quadratic(A, np.zeros(3))
    _, Q = curvature.spectrum(A)
    x0 = np.array([1.0, -2.0, 0.5])
    xs = run(gradient_descent(0.3), p.grad, x0, 25)
    alphas = curvature.gd_eigen_coordinates(lam, 0.3, Q.T @ x0, 25)
    np.testing.assert_allclose(xs @ Q, alphas, atol=1e-12)


def test_contraction_and_optimal_rate_closed_forms():
    """Is the best fixed step 2/(l1+lD) with contraction (kappa-1)/(kappa+1)?"""
    A = np.diag([9.0, 1.0])
    assert curvature.condition_number(A) == pytest.approx(9.0)
    eta = curvature.optimal_learning_rate(A)
    assert eta == pytest.approx(0.2)
    assert curvature.gd_contraction(A, eta) == pytest.approx(0.8)
    # any other step contracts worse
    for other in np.linspace(0.01, 0.22, 30):
        assert curvature.gd_contraction(A, other) >= 0.8 - 1e-12
    # measured: the error of a run shrinks by exactly that factor along the worst direction
    p = problems.quadratic(A)
    xs = run(gradient_descent(eta), p.grad, np.array([1.0, 1.0]), 20)
    assert np.linalg.norm(xs[-1]) / np.linalg.norm(xs[-2]) == pytest.approx(0.8)


def test_contraction_of_a_scan_is_the_contraction_rate_by_rate():
    """An array of rates gives, rate by rate, exactly the scalar call's factor; a bad rate is named."""
    A = problems.spd_matrix(np.geomspace(30.0, 1.0, 6), seed=2)
    etas = np.linspace(1e-3, 0.1, 257)
    assert np.array_equal(curvature.gd_contraction(A, etas), [curvature.gd_contraction(A, e) for e in etas])
    with pytest.raises(ValueError, match="Invalid learning_rate: -0.5 in the array"):
        curvature.gd_contraction(A, np.array([0.1, -0.5]))


def test_stability_helpers_refuse_indefinite_matrices():
    """Do the step-size helpers explain why an indefinite Hessian has no stable step?"""
    with pytest.raises(ValueError, match="positive definite"):
        curvature.max_stable_learning_rate(np.diag([1.0, -1.0]))
    with pytest.raises(ValueError, match="positive definite"):
        curvature.condition_number(np.diag([1.0, 0.0]))
