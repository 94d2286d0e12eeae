"""Tests of course_lib.convexity against independent oracles (finite differences, sympy, scipy,
closed forms) and of the convergence theorems' bounds on measured runs."""

import math

import numpy as np
import pytest
import scipy.linalg
import sympy

from conftest import central_gradient, central_jacobian
from course_lib import convexity as cx
from course_lib.optim import gradient_descent, run
from course_lib.problems import quadratic, spd_matrix
from course_lib.stochastic import least_squares, logistic_regression

RNG = np.random.default_rng(7)


def test_fd_hessian_matches_sympy():
    """Is the central-difference Hessian within 1e-6 of sympy's exact one on a smooth function?"""
    a, b = sympy.symbols("a b")
    expr = sympy.sin(a) * b**2 + sympy.exp(a - b)
    exact = sympy.lambdify((a, b), sympy.hessian(expr, (a, b)))
    f = sympy.lambdify((a, b), expr)
    for x in RNG.normal(size=(3, 2)):
        np.testing.assert_allclose(cx.fd_hessian(lambda t: f(*t), x), np.array(exact(*x), float), atol=1e-6)


def test_min_hessian_eigenvalue_finds_the_worst_point():
    """Does the scan return the smallest eigenvalue over all points, and the point where it is?"""
    pts = RNG.normal(size=(20, 3))
    hess = lambda t: np.diag(t) + np.ones((3, 3))
    scan = cx.min_hessian_eigenvalue(hess, pts)
    each = [scipy.linalg.eigh(hess(p), eigvals_only=True)[0] for p in pts]
    assert scan.value == pytest.approx(min(each), abs=1e-12)
    np.testing.assert_allclose(scan.eigenvalues, each, atol=1e-12)
    np.testing.assert_array_equal(scan.point, pts[int(np.argmin(each))])


@pytest.mark.parametrize("n,d", [(30, 3), (8, 5)])
def test_least_squares_hessian_is_the_jacobian_of_the_gradient(n, d):
    """Is X^T X / n the finite-difference Jacobian of least squares' gradient (chapter 2's loss)?"""
    X, y = RNG.normal(size=(n, d)), RNG.normal(size=n)
    p = least_squares(X, y)
    np.testing.assert_allclose(cx.least_squares_hessian(X), central_jacobian(p.grad, RNG.normal(size=d)), atol=1e-6)


def test_logistic_hessian_is_the_jacobian_of_the_gradient():
    """Is X^T S X / n the finite-difference Jacobian of the logistic gradient, at several points?"""
    X = RNG.normal(size=(40, 3))
    y = (RNG.random(40) < 0.5).astype(float)
    p = logistic_regression(X, y)
    for theta in RNG.normal(size=(3, 3)):
        np.testing.assert_allclose(cx.logistic_hessian(X, theta), central_jacobian(p.grad, theta), atol=1e-7)


def test_log_sum_exp_derivatives_and_psd():
    """Are softmax and diag(p) - p p^T the derivatives of log-sum-exp, and the Hessian PSD with 1 in its kernel?"""
    p = cx.log_sum_exp()
    for z in RNG.normal(size=(4, 5)) * 3:
        np.testing.assert_allclose(p.grad(z), central_gradient(p.fun, z), atol=1e-7)
        H = p.hess(z)
        np.testing.assert_allclose(H, central_jacobian(p.grad, z), atol=1e-7)
        assert np.linalg.eigvalsh(H)[0] > -1e-14
        np.testing.assert_allclose(H @ np.ones(5), 0, atol=1e-14)
    assert p.fun(np.array([1000.0, 1000.0])) == pytest.approx(1000 + math.log(2))


def test_softmax_regression_derivatives():
    """Do the gradient and the Kronecker-sum Hessian of softmax regression match finite differences?"""
    X = RNG.normal(size=(12, 3))
    Y = np.eye(4)[RNG.integers(0, 4, size=12)]
    p = cx.softmax_regression(X, Y)
    theta = RNG.normal(size=12)
    np.testing.assert_allclose(p.grad(theta), central_gradient(p.fun, theta), atol=1e-7)
    np.testing.assert_allclose(p.hess(theta), central_jacobian(p.grad, theta), atol=1e-6)
    lam = np.linalg.eigvalsh(p.hess(theta))
    assert lam[0] > -1e-12 and abs(lam[0]) < 1e-12   # PSD, singular (shift invariance)


def test_bilinear_loss_matches_sympy_and_is_indefinite():
    """Are (1 - w1 w2)^2's derivatives sympy's, and is its Hessian PSD exactly where 1/3 <= w1 w2 <= 1?"""
    a, b = sympy.symbols("a b")
    expr = (1 - a * b) ** 2
    g = sympy.lambdify((a, b), [sympy.diff(expr, v) for v in (a, b)])
    h = sympy.lambdify((a, b), sympy.hessian(expr, (a, b)))
    p = cx.bilinear_loss()
    for w in RNG.normal(size=(5, 2)):
        np.testing.assert_allclose(p.grad(w), g(*w), atol=1e-12)
        np.testing.assert_allclose(p.hess(w), np.array(h(*w), float), atol=1e-12)
    for prod, psd in ((0.0, False), (0.5, True), (0.9, True), (1.5, False), (-1.0, False)):
        w = np.array([2.0, prod / 2.0])
        assert (np.linalg.eigvalsh(p.hess(w))[0] >= -1e-12) == psd


def test_peaks_gradient_and_formula():
    """Is peaks MATLAB's formula (value at the origin) with a gradient matching finite differences?"""
    p = cx.peaks()
    assert p.fun(np.zeros(2)) == pytest.approx(3 * math.exp(-1) - math.exp(-1) / 3)
    for x in RNG.normal(size=(4, 2)):
        np.testing.assert_allclose(p.grad(x), central_gradient(p.fun, x), atol=1e-6)
        np.testing.assert_allclose(p.hess(x), central_jacobian(p.grad, x), atol=1e-5)
    grid = np.stack(np.meshgrid(np.linspace(-3, 3, 4), np.linspace(-3, 3, 5)))
    assert p.fun(grid).shape == (5, 4)
    H_grid = p.hess(grid)
    assert H_grid.shape == (2, 2, 5, 4)
    np.testing.assert_allclose(H_grid[:, :, 2, 3], p.hess(grid[:, 2, 3]), atol=1e-12)


def test_least_squares_constants_against_eigenvalues():
    """Are L, m, kappa the extreme eigenvalues of X^T X / n and their ratio (= cond(X)^2)?"""
    X = RNG.normal(size=(50, 4))
    c = cx.least_squares_constants(X)
    lam = np.linalg.eigvalsh(X.T @ X / 50)
    assert c.L == pytest.approx(lam[-1], rel=1e-10) and c.m == pytest.approx(lam[0], rel=1e-10)
    assert c.kappa == pytest.approx(np.linalg.cond(X) ** 2, rel=1e-10)
    assert cx.least_squares_constants(RNG.normal(size=(2, 4))).m == 0.0


def test_descent_lemma_holds_on_random_steps():
    """Does C(theta - eta g) stay below the descent lemma's bound for eta in (0, 2/L), on an L-smooth function?"""
    A = spd_matrix([4.0, 1.0, -0.5])   # non-convex quadratic, L = 4
    p = quadratic(A)
    for theta in RNG.normal(size=(10, 3)):
        for eta in (0.05, 0.25, 0.45):
            g = p.grad(theta)
            assert p.fun(theta - eta * g) <= cx.descent_lemma_bound(p.fun(theta), g, eta, 4.0) + 1e-12


def test_gd_bounds_hold_on_measured_runs():
    """Do the non-convex, convex and strongly convex rates of GD with eta = 1/L bound measured runs?"""
    # strongly convex quadratic
    m, L = 0.1, 2.0
    p = quadratic(spd_matrix(np.linspace(L, m, 6), seed=3), RNG.normal(size=6))
    path = run(gradient_descent(1 / L), p.grad, np.zeros(6), 200)
    gaps = np.array([p.fun(x) for x in path]) - p.fun(p.x_min)
    assert np.all(gaps <= cx.gd_strongly_convex_bound(m, L, gaps[0], np.arange(201)) * (1 + 1e-9) + 1e-15)
    dist = np.linalg.norm(path - p.x_min, axis=1)
    q = cx.gd_linear_rate(m, L, 1 / L)
    assert np.all(dist <= dist[0] * q ** np.arange(201) * (1 + 1e-9))
    # convex, singular quadratic (minimiser: least-norm solution)
    A = spd_matrix([1.0, 0.3, 0.01, 0.0], seed=5)
    b = A @ RNG.normal(size=4)
    theta_star = np.linalg.lstsq(A, b, rcond=None)[0]
    f = lambda x: 0.5 * x @ A @ x - b @ x
    path = run(gradient_descent(1.0), lambda x: A @ x - b, np.zeros(4), 100)
    gaps = np.array([f(x) for x in path[1:]]) - f(theta_star)
    assert np.all(gaps <= cx.gd_convex_bound(1.0, theta_star @ theta_star, np.arange(1, 101)) + 1e-12)
    # non-convex: min gradient norm
    A = spd_matrix([1.0, -0.5], seed=1)
    f = lambda x: 0.5 * x @ A @ x + 0.25 * np.sum(x**4)     # bounded below by -1/4 per eig... use grid min
    grid = np.stack(np.meshgrid(np.linspace(-3, 3, 601), np.linspace(-3, 3, 601)), -1).reshape(-1, 2)
    c_star = np.min(0.5 * np.einsum("ij,jk,ik->i", grid, A, grid) + 0.25 * np.sum(grid**4, 1)) - 1e-3
    L = 1.0 + 3 * 1.5**2                                   # valid on |x_i| <= 1.5, where the run stays
    x0 = np.array([1.2, -1.0])
    path = run(gradient_descent(1 / L), lambda x: A @ x + x**3, x0, 60)
    assert np.abs(path).max() <= 1.5
    norms = np.linalg.norm([A @ x + x**3 for x in path[:-1]], axis=1)
    assert norms.min() <= cx.gd_nonconvex_bound(L, f(x0) - c_star, 60)


def test_sgd_strongly_convex_bound_formula():
    """Is nu the max of the noise term and the start term (BCN Theorem 4.7), divided by gamma + t?"""
    m, L, s2, g1, beta, gamma = 0.5, 2.0, 0.3, 0.4, 4.0, 7.0
    nu = max(beta**2 * L * s2 / (2 * (beta * m - 1)), (gamma + 1) * g1)
    np.testing.assert_allclose(cx.sgd_strongly_convex_bound(m, L, s2, g1, beta, gamma, np.array([1, 10])),
                               nu / (gamma + np.array([1, 10])))


def test_sgd_convex_bound_holds_in_expectation():
    """Does the averaged-SGD bound hold for the Monte Carlo mean (600 runs) on a noisy quadratic?"""
    rng = np.random.default_rng(0)
    A = spd_matrix([1.0, 0.5, 0.05], seed=2)
    theta_star = np.array([1.0, -1.0, 2.0])
    sigma, R, T, eta = 1.0, 600, 400, 0.05
    theta = np.zeros((R, 3))
    total = np.zeros((R, 3))
    for _ in range(T):
        theta = theta - eta * ((theta - theta_star) @ A + sigma / math.sqrt(3) * rng.standard_normal((R, 3)))
        total += theta
    avg = total / T
    gap = 0.5 * np.einsum("ri,ij,rj->r", avg - theta_star, A, avg - theta_star)
    bound = cx.sgd_convex_bound(theta_star @ theta_star, sigma**2, eta, 1.0, T)
    assert gap.mean() + 6 * gap.std() / math.sqrt(R) < bound


def test_nesterov_quadratic_spectrum_and_minimiser():
    """Is the worst quadratic's spectrum inside (m, L), its minimiser close to q^i, and CG no better than the bound?"""
    from course_lib.cg import conjugate_gradient

    m, L, D = 1.0, 100.0, 200
    A, b = cx.nesterov_worst_quadratic(D, m, L)
    lam = np.linalg.eigvalsh(A)
    assert lam[0] > m and lam[-1] < L
    x_star = np.linalg.solve(A, b)
    q = (math.sqrt(L / m) - 1) / (math.sqrt(L / m) + 1)
    np.testing.assert_allclose(x_star[:30], q ** np.arange(1, 31), rtol=1e-6)
    hist = conjugate_gradient(A, b, tol=1e-14, maxiter=25).history
    for t, x in enumerate(hist[:25]):
        assert np.sum((x - x_star) ** 2) >= cx.krylov_lower_bound(x_star, t) * (1 - 1e-9)


def test_gd_linear_rate_best_step():
    """Is 2/(L+m) the best constant step, with rate (kappa-1)/(kappa+1)?"""
    m, L = 0.5, 10.0
    etas = np.linspace(0.01, 0.199, 400)
    best = min(etas, key=lambda e: cx.gd_linear_rate(m, L, e))
    assert best == pytest.approx(2 / (L + m), abs=1e-3)
    assert cx.gd_linear_rate(m, L) == pytest.approx((L / m - 1) / (L / m + 1))


@pytest.mark.parametrize("call, match", [
    (lambda: cx.min_hessian_eigenvalue(np.eye, np.zeros(3)), "points must be a non-empty"),
    (lambda: cx.min_hessian_eigenvalue(lambda t: np.eye(3), np.zeros((2, 2))), "hess returned shape"),
    (lambda: cx.min_hessian_eigenvalue(np.eye, np.array([[np.nan, 0.0]])), "non-finite"),
    (lambda: cx.fd_hessian(np.sum, np.zeros(2), h=0.0), "h must be a positive"),
    (lambda: cx.least_squares_constants(np.zeros(3)), r"Invalid X: it has shape \(3,\)"),
    (lambda: cx.gd_linear_rate(2.0, 1.0), "did you swap them"),
    (lambda: cx.gd_nonconvex_bound(1.0, 1.0, 0), "Invalid num_steps: 0"),
    (lambda: cx.sgd_convex_bound(1.0, 1.0, 2.0, 1.0, 10), "learning_rate <= 1/L"),
    (lambda: cx.sgd_strongly_convex_bound(1.0, 1.0, 1.0, 1.0, 0.5, 1.0, 1), "beta must exceed 1/m"),
    (lambda: cx.descent_lemma_bound(1.0, [1.0], -0.1, 1.0), "Invalid learning_rate: -0.1"),
    (lambda: cx.softmax_regression(np.ones((2, 2)), np.ones((2, 2))), "one-hot"),
    (lambda: cx.logistic_hessian(np.ones((2, 2)), np.ones(3)), "theta has 3 entries"),
])
def test_bad_inputs_raise_clear_errors(call, match):
    """Do bad inputs raise ValueError naming the parameter and what to do?"""
    with pytest.raises(ValueError, match=match):
        call()


def test_sigmoid_squared_loss_derivatives_and_smoothness():
    """Are the squared-loss sigmoid's gradient and Hessian right, its Hessian indefinite somewhere,
    and its norm below sigmoid_squared_smoothness on random points?"""
    X = RNG.normal(size=(30, 2))
    y = (RNG.random(30) < 0.5).astype(float)
    p = cx.sigmoid_squared_loss(X, y)
    L = cx.sigmoid_squared_smoothness(X)
    worst = 0.0
    for theta in RNG.normal(size=(200, 2)) * 4:
        H = p.hess(theta)
        worst = max(worst, np.abs(np.linalg.eigvalsh(H)).max())
    for theta in RNG.normal(size=(3, 2)) * 2:
        np.testing.assert_allclose(p.grad(theta), central_gradient(p.fun, theta), atol=1e-8)
        np.testing.assert_allclose(p.hess(theta), central_jacobian(p.grad, theta), atol=1e-7)
    assert worst <= L
    scan = cx.min_hessian_eigenvalue(p.hess, RNG.normal(size=(200, 2)) * 4)
    assert scan.value < 0
    # the constant c: a dense grid agrees with the roots of the derivative
    s = np.linspace(0, 1, 200001)
    c = np.abs(s**2 * (1 - s) * (2 - 3 * s)).max()
    assert cx.sigmoid_squared_smoothness(np.eye(1)) == pytest.approx(c, rel=1e-8)


def test_nesterov_convex_case_minimiser_is_all_ones():
    """With m = 0, is the worst quadratic's minimiser exactly the vector of ones?"""
    A, b = cx.nesterov_worst_quadratic(50, 0.0, 4.0)
    np.testing.assert_allclose(np.linalg.solve(A, b), np.ones(50), rtol=1e-8)
