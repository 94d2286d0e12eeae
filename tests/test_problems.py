"""Do the test problems' hand-written derivatives match independent oracles?"""

import numpy as np
import pytest
import scipy.optimize

from course_lib import problems
from conftest import central_gradient, central_jacobian

RNG = np.random.default_rng(1)
TWO_D = [problems.rosenbrock(), problems.rosenbrock(a=2.0, b=10.0), problems.monkey_saddle(), problems.strict_saddle(),
         problems.quadratic(problems.spd_matrix([3.0, -1.0], seed=4), [1.0, 2.0])]


@pytest.mark.parametrize("p", TWO_D, ids=lambda p: p.name)
@pytest.mark.parametrize("x", [RNG.normal(size=2) for _ in range(3)])
def test_gradient_and_hessian_match_finite_differences(p, x):
    """Are grad and hess the derivatives of fun (central differences, 1e-6 relative)?"""
    np.testing.assert_allclose(p.grad(x), central_gradient(p.fun, x), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(p.hess(x), central_jacobian(p.grad, x), rtol=1e-6, atol=1e-5)


@pytest.mark.parametrize("p", [problems.overshoot_cubic(), problems.oscillating_quartic(), problems.sharp_and_flat()],
                         ids=lambda p: p.name)
def test_univariate_derivatives(p):
    """Do the univariate examples' C' and C'' match finite differences on a grid?"""
    t = np.linspace(-4, 6, 41)
    h = 1e-5
    np.testing.assert_allclose(p.grad(t), (p.fun(t + h) - p.fun(t - h)) / (2 * h), atol=1e-5)
    np.testing.assert_allclose(p.hess(t), (p.grad(t + h) - p.grad(t - h)) / (2 * h), atol=1e-5)


def test_rosenbrock_agrees_with_scipy():
    """Is our Rosenbrock scipy's (a=1, b=100), value, gradient and Hessian?"""
    p = problems.rosenbrock()
    for x in RNG.normal(size=(5, 2)):
        assert p.fun(x) == pytest.approx(scipy.optimize.rosen(x))
        np.testing.assert_allclose(p.grad(x), scipy.optimize.rosen_der(x))
        np.testing.assert_allclose(p.hess(x), scipy.optimize.rosen_hess(x))


def test_known_minimisers_are_stationary():
    """Is each stated minimiser a point where the gradient vanishes?"""
    for p in [problems.rosenbrock(), problems.rosenbrock(a=2.0, b=10.0),
              problems.overshoot_cubic(), problems.oscillating_quartic()]:
        np.testing.assert_allclose(p.grad(p.x_min), 0.0, atol=1e-12)


def test_spd_matrix_has_the_requested_spectrum():
    """Does spd_matrix produce a symmetric matrix with exactly the eigenvalues asked for?"""
    lam = np.array([10.0, 3.0, 0.5, -2.0])
    A = problems.spd_matrix(lam, seed=7)
    np.testing.assert_array_equal(A, A.T)
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(A)), np.sort(lam), atol=1e-12)


def test_quadratic_rejects_bad_input():
    """Does a malformed quadratic fail with a message that says what is wrong?"""
    with pytest.raises(ValueError, match="square"):
        problems.quadratic(np.ones((2, 3)))
    with pytest.raises(ValueError, match="symmetric"):
        problems.quadratic([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        problems.quadratic(np.eye(2), [1.0, 2.0, 3.0])


def test_strict_saddle_has_a_saddle_and_two_minima():
    """Is the origin a strict saddle (eigenvalues 1 and -1) and (0, +-1) minima at -1/4?"""
    p = problems.strict_saddle()
    np.testing.assert_array_equal(p.grad(np.zeros(2)), 0.0)
    np.testing.assert_allclose(np.linalg.eigvalsh(p.hess(np.zeros(2))), [-1.0, 1.0])
    for m in ([0.0, 1.0], [0.0, -1.0]):
        np.testing.assert_allclose(p.grad(np.array(m)), 0.0, atol=1e-15)
        assert np.all(np.linalg.eigvalsh(p.hess(np.array(m))) > 0) and p.fun(np.array(m)) == -0.25


def test_sharp_and_flat_curvatures():
    """Does the narrow well have curvature about 1/s^2 and the wide one about 1/w^2 (+ the bowl)?"""
    p = problems.sharp_and_flat()
    mins = []
    for t in (-1.5, 1.5):                     # refine each minimum with scipy as an oracle
        res = scipy.optimize.minimize_scalar(p.fun, bounds=(t - 0.3, t + 0.3), method="bounded", options={"xatol": 1e-10})
        mins.append(res.x)
    sharp, flat = (float(p.hess(t)) for t in mins)
    assert sharp == pytest.approx(1 / 0.1**2 + 0.1, rel=1e-2) and flat == pytest.approx(1 / 0.75**2 + 0.1, rel=5e-2)
    assert abs(p.fun(mins[0]) - p.fun(mins[1])) < 0.01, "the two minima should be about equally deep"
    with pytest.raises(ValueError, match="sharp_width"):
        problems.sharp_and_flat(sharp_width=0.0)
