"""Tests of course_lib.linesearch, course_lib.cg, course_lib.quasi_newton and the safeguarded Newton method.

Line searches are tested by the conditions they claim (re-evaluated here from f and its
gradient), never by a particular step length; quasi-Newton updates by the secant equation and
positive definiteness; the methods against direct solves, closed forms and scipy (an oracle
used only here).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize as sopt

from course_lib import linesearch as ls
from course_lib.cg import conjugate_gradient
from course_lib.newton import modified_hessian, newton, safeguarded_newton
from course_lib.problems import quadratic, rosenbrock, spd_matrix
from course_lib.quasi_newton import bfgs, bfgs_update, convergence_order, lbfgs, secant_method, two_loop_recursion
from conftest import central_gradient


def logistic_problem(n=200, d=6, seed=0, l2=1e-2):
    """Mean logistic loss with an L2 term: smooth, strictly convex, not quadratic."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = np.where(rng.random(n) < 1 / (1 + np.exp(-X @ rng.normal(size=d))), 1.0, -1.0)
    A = X * y[:, None]

    def f(w):
        return float(np.mean(np.logaddexp(0.0, -A @ w)) + 0.5 * l2 * w @ w)

    def g(w):
        s = np.exp(-np.logaddexp(0.0, A @ w))          # sigmoid(-a.w)
        return -A.T @ s / n + l2 * w

    def h(w):
        s = np.exp(-np.logaddexp(0.0, A @ w))
        return (A * (s * (1 - s))[:, None]).T @ A / n + l2 * np.eye(d)

    return f, g, h


def assert_wolfe(f, grad, x, p, alpha, c1, c2, strong=True):
    """The conditions, recomputed from f and grad (not read from the search's result)."""
    phi0, dphi0 = f(x), float(grad(x) @ p)
    phi, dphi = f(x + alpha * p), float(grad(x + alpha * p) @ p)
    assert alpha > 0
    assert phi <= phi0 + c1 * alpha * dphi0, f"Armijo fails at alpha={alpha}"
    if strong:
        assert abs(dphi) <= c2 * abs(dphi0), f"strong curvature fails at alpha={alpha}: {dphi} vs {dphi0}"
    else:
        assert dphi >= c2 * dphi0


ROSEN = rosenbrock()
LOGISTIC = logistic_problem()
QUAD = quadratic(spd_matrix([100.0, 10.0, 1.0, 0.1], seed=3), np.array([1.0, -2.0, 0.5, 3.0]))
PROBLEMS = {
    "rosenbrock": (ROSEN.fun, ROSEN.grad, [np.array([-1.2, 1.0]), np.array([0.4, 0.2]), np.array([2.0, -1.0])]),
    "logistic": (LOGISTIC[0], LOGISTIC[1], [np.zeros(6), np.full(6, 2.0)]),
    "ill-conditioned quadratic": (QUAD.fun, QUAD.grad, [np.zeros(4), np.array([5.0, -3.0, 1.0, 2.0])]),
}


def directions(grad, x, seed=0):
    """Steepest descent and three random descent directions at x."""
    g = grad(x)
    rng = np.random.default_rng(seed)
    out = [-g]
    while len(out) < 4:
        p = rng.normal(size=x.size) * np.linalg.norm(g)
        if p @ g < -1e-3 * np.linalg.norm(p) * np.linalg.norm(g):
            out.append(p)
    return out


# --------------------------------------------------------------------------------- line searches


@pytest.mark.parametrize("name", sorted(PROBLEMS))
@pytest.mark.parametrize("c2", [0.1, 0.5, 0.9])
def test_wolfe_line_search_returns_steps_satisfying_strong_wolfe(name, c2):
    """Does every step the Wolfe search accepts satisfy the strong Wolfe conditions it claims,
    on Rosenbrock, a logistic loss and an ill-conditioned quadratic, along several directions?"""
    f, grad, starts = PROBLEMS[name]
    for x in starts:
        for p in directions(grad, x):
            res = ls.wolfe_line_search(f, grad, x, p, c1=1e-4, c2=c2)
            assert res.success, res.message
            assert_wolfe(f, grad, x, p, res.alpha, 1e-4, c2)
            assert res.trials[-1] == res.alpha
            if res.gnew is not None:
                np.testing.assert_allclose(res.gnew, grad(x + res.alpha * p))


@pytest.mark.parametrize("name", sorted(PROBLEMS))
@pytest.mark.parametrize("rho", [0.1, 0.5, 0.8])
def test_backtracking_accepts_armijo_and_not_a_needlessly_short_step(name, rho):
    """Does backtracking return a step satisfying Armijo, whose predecessor alpha / rho failed it?"""
    f, grad, starts = PROBLEMS[name]
    for x in starts:
        for p in directions(grad, x, seed=1):
            res = ls.backtracking(f, grad, x, p, rho=rho)
            assert res.success
            phi0, dphi0 = f(x), grad(x) @ p
            assert f(x + res.alpha * p) <= phi0 + 1e-4 * res.alpha * dphi0
            if len(res.trials) > 1:
                prev = res.trials[-2]
                assert np.isclose(prev * rho, res.alpha)
                assert f(x + prev * p) > phi0 + 1e-4 * prev * dphi0
            assert res.nfev == len(res.trials) + 1 and res.njev == 1


def test_scipy_and_our_wolfe_search_satisfy_the_same_conditions():
    """Is our search at least as good as scipy's: both steps satisfy strong Wolfe, with a
    comparable number of function evaluations?"""
    f, grad, starts = PROBLEMS["rosenbrock"]
    for x in starts:
        p = -grad(x)
        ours = ls.wolfe_line_search(f, grad, x, p, c1=1e-4, c2=0.9)
        theirs = sopt.line_search(f, grad, x, p, c1=1e-4, c2=0.9)
        assert theirs[0] is not None
        assert_wolfe(f, grad, x, p, ours.alpha, 1e-4, 0.9)
        assert_wolfe(f, grad, x, p, theirs[0], 1e-4, 0.9)
        assert ours.nfev <= theirs[1] + 5


def test_exact_line_search_matches_the_closed_form_on_quadratics():
    """Does the numerical exact search find -g.p / p.A.p on quadratics, with phi'(alpha) = 0?"""
    A = QUAD.hess(None)
    for x in PROBLEMS["ill-conditioned quadratic"][2]:
        for p in directions(QUAD.grad, x, seed=2):
            res = ls.exact_line_search(QUAD.fun, QUAD.grad, x, p)
            want = ls.exact_step_quadratic(A, QUAD.grad(x), p)
            assert res.success
            assert np.isclose(res.alpha, want, rtol=1e-9)
            assert abs(QUAD.grad(x + res.alpha * p) @ p) <= 1e-10 * abs(QUAD.grad(x) @ p)


def test_exact_line_search_makes_successive_gradients_orthogonal_on_rosenbrock():
    """004's zig-zag: with exact steps from (0.4, 0.2), is each new gradient orthogonal to the
    previous one (so the path turns by a right angle at every step)?"""
    res = ls.line_search_descent(ROSEN.fun, ROSEN.grad, [0.4, 0.2], step="exact", maxiter=60)
    grads = np.array([ROSEN.grad(x) for x in res.history])
    cosines = [a @ b / (np.linalg.norm(a) * np.linalg.norm(b)) for a, b in zip(grads[:-1], grads[1:])]
    assert len(cosines) == 60
    assert max(abs(c) for c in cosines) < 1e-8
    assert ROSEN.fun(res.history[-1]) < ROSEN.fun(res.history[0])


def test_exact_line_search_never_evaluates_a_point_twice():
    """Near the minimiser of the zig-zag, the steps along p fall below the rounding of x: does the
    search stop there (successful, phi' as small as before) instead of evaluating the gradient
    again and again at the same point x + alpha p for ever finer alphas?"""
    res = ls.line_search_descent(ROSEN.fun, ROSEN.grad, [0.4, 0.2], step="exact", tol=1e-6, maxiter=20000)
    assert res.success and res.nit > 1000
    repeats, worst = 0, 0.0
    for x, g in zip(res.history[-300:-1], np.diff(res.history[-300:], axis=0)):
        seen = []

        def grad(z):
            nonlocal repeats
            repeats += any(np.array_equal(z, s) for s in seen)
            seen.append(z.copy())
            return ROSEN.grad(z)

        p = -ROSEN.grad(x)
        step = ls.exact_line_search(ROSEN.fun, grad, x, p)
        assert step.success, step.message
        worst = max(worst, abs(ROSEN.grad(x + step.alpha * p) @ p) / abs(ROSEN.grad(x) @ p))
    assert repeats == 0
    assert worst < 1e-7          # successive gradients still orthogonal to about the rounding of x


@pytest.mark.parametrize("step", sorted(ls.SEARCHES))
def test_line_search_descent_converges_with_every_rule(step):
    """Does steepest descent converge on a well-conditioned quadratic and the logistic loss with
    every step rule, and record every iterate?"""
    for fun, grad, x0, x_star in [(quadratic(np.diag([1.0, 3.0])).fun, quadratic(np.diag([1.0, 3.0])).grad,
                                   np.array([3.0, -2.0]), np.zeros(2)),
                                  (LOGISTIC[0], LOGISTIC[1], np.zeros(6), None)]:
        res = ls.line_search_descent(fun, grad, x0, step=step, tol=1e-7, maxiter=2000)
        assert res.success, res.message
        assert res.history.shape == (res.nit + 1, x0.size)
        assert np.linalg.norm(grad(res.x)) <= 1e-7
        if x_star is not None:
            np.testing.assert_allclose(res.x, x_star, atol=1e-6)


@pytest.mark.parametrize("kwargs, match", [
    (dict(c1=0.9, c2=0.5), "0 < c1 < c2 < 1"), (dict(c1=1e-4, c2=1.0), "0 < c1 < c2 < 1"),
    (dict(c1=0.0, c2=0.9), "Invalid c1"), (dict(c1=1e-4, c2=0.9, alpha0=-1.0), "alpha0"),
])
def test_wolfe_search_rejects_bad_constants(kwargs, match):
    x = np.array([-1.2, 1.0])
    with pytest.raises(ValueError, match=match):
        ls.wolfe_line_search(ROSEN.fun, ROSEN.grad, x, -ROSEN.grad(x), **kwargs)


@pytest.mark.parametrize("kwargs, match", [(dict(rho=1.0), "rho"), (dict(rho=0.0), "rho"), (dict(c1=1.5), "c1"),
                                           (dict(alpha0=0.0), "alpha0")])
def test_backtracking_rejects_bad_parameters(kwargs, match):
    x = np.array([-1.2, 1.0])
    with pytest.raises(ValueError, match=match):
        ls.backtracking(ROSEN.fun, ROSEN.grad, x, -ROSEN.grad(x), **kwargs)


@pytest.mark.parametrize("search", [ls.backtracking, ls.wolfe_line_search, ls.exact_line_search])
def test_an_ascent_direction_is_refused_with_an_explanation(search):
    """Does every search refuse a direction with g.p >= 0, or of the wrong shape, saying why?"""
    x = np.array([-1.2, 1.0])
    with pytest.raises(ValueError, match="not a descent direction"):
        search(ROSEN.fun, ROSEN.grad, x, ROSEN.grad(x))
    with pytest.raises(ValueError, match="shape"):
        search(ROSEN.fun, ROSEN.grad, x, np.ones(3))


def test_exact_step_refuses_negative_curvature():
    with pytest.raises(ValueError, match="not bounded below"):
        ls.exact_step_quadratic(np.diag([1.0, -1.0]), np.array([0.0, 1.0]), np.array([0.0, -1.0]))


def test_a_search_that_cannot_succeed_says_so():
    """On a function unbounded below along p, does the Wolfe search report failure rather than a
    step that does not satisfy its conditions?"""
    f, g = (lambda x: -float(x[0])), (lambda x: np.array([-1.0]))
    res = ls.wolfe_line_search(f, g, np.array([0.0]), np.array([1.0]), alpha_max=64.0)
    assert not res.success and "bounded below" in res.message
    with pytest.raises(ValueError, match="unbounded below"):
        ls.exact_line_search(f, g, np.array([0.0]), np.array([1.0]))


def test_condition_helpers():
    """Do the helpers implement the inequalities (boundary cases included)?"""
    assert ls.armijo(1.0, -1.0, 1.0 - 1e-4 * 0.5, 0.5, 1e-4)
    assert not ls.armijo(1.0, -1.0, 1.0, 0.5, 1e-4)
    assert ls.curvature(-1.0, -0.9, 0.9) and not ls.curvature(-1.0, -0.95, 0.9)
    assert ls.strong_curvature(-1.0, 0.9, 0.9) and not ls.strong_curvature(-1.0, 0.95, 0.9)
    assert ls.wolfe(1.0, -1.0, 0.5, 0.5, 0.5) and not ls.wolfe(1.0, -1.0, 0.5, 0.95, 0.5, strong=True)


# --------------------------------------------------------------------------- conjugate gradient


@pytest.mark.parametrize("d", [2, 5, 20, 50])
def test_cg_matches_a_direct_solve_in_at_most_d_steps(d):
    """On a well-conditioned SPD matrix, does CG reach np.linalg.solve's answer in at most d
    steps, with A-conjugate directions?"""
    A = spd_matrix(np.linspace(1.0, 10.0, d), seed=d)
    b = np.random.default_rng(d).normal(size=d)
    res = conjugate_gradient(A, b, tol=1e-10)
    assert res.success and res.nit <= d
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), rtol=1e-8, atol=1e-10)
    steps = np.diff(res.history, axis=0)
    P = steps / np.linalg.norm(steps, axis=1, keepdims=True)
    G = P @ A @ P.T
    off = G - np.diag(np.diag(G))
    assert np.max(np.abs(off)) < 1e-6 * np.max(np.diag(G))


def test_cg_needs_more_than_d_steps_when_ill_conditioned():
    """Does rounding show on an ill-conditioned matrix (kappa = 1e6): more than d steps, but the
    solve still succeeds and reports its residual truthfully?"""
    d = 30
    A = spd_matrix(np.logspace(0, 6, d), seed=1)
    b = np.ones(d)
    res = conjugate_gradient(A, b, tol=1e-9, maxiter=20 * d)
    assert res.success and res.nit > d
    assert np.linalg.norm(A @ res.x - b) <= 1e-8 * np.linalg.norm(b)


def test_cg_equals_exact_line_search_along_its_directions():
    """Is each CG step the exact minimiser of the quadratic along its direction?"""
    A = spd_matrix([5.0, 2.0, 1.0, 0.5], seed=2)
    b = np.array([1.0, 0.0, -1.0, 2.0])
    res = conjugate_gradient(A, b)
    for x, x_next in zip(res.history[:-1], res.history[1:]):
        p = x_next - x
        alpha = ls.exact_step_quadratic(A, A @ x - b, p)
        assert np.isclose(alpha, 1.0, rtol=1e-9)


@pytest.mark.parametrize("A, b, match", [
    (np.array([[1.0, 2.0], [0.0, 1.0]]), np.ones(2), "symmetric"),
    (np.diag([1.0, -1.0]), np.ones(2), "not positive definite"),
    (np.eye(2), np.ones(3), "shape"),
    (np.ones(3), np.ones(3), "square"),
])
def test_cg_rejects_bad_input(A, b, match):
    with pytest.raises(ValueError, match=match):
        conjugate_gradient(A, b)


# ------------------------------------------------------------------------------- BFGS and L-BFGS


def random_spd(d, seed):
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(d, d))
    return M @ M.T + 0.1 * np.eye(d)


@pytest.mark.parametrize("seed", range(10))
def test_bfgs_update_keeps_h_spd_and_satisfies_the_secant_equation(seed):
    """For any SPD H and any pair with s.y > 0, is H+ symmetric positive definite with H+ y = s?"""
    rng = np.random.default_rng(seed)
    d = 2 + seed % 5
    H = random_spd(d, seed)
    s = rng.normal(size=d)
    y = rng.normal(size=d)
    if s @ y <= 0:
        y = -y
    H_new = bfgs_update(H, s, y)
    np.testing.assert_allclose(H_new, H_new.T, atol=1e-12)
    assert np.linalg.eigvalsh(H_new).min() > 0
    np.testing.assert_allclose(H_new @ y, s, rtol=1e-9, atol=1e-9)
    rho = 1 / (s @ y)
    I = np.eye(d)
    np.testing.assert_allclose(H_new, (I - rho * np.outer(s, y)) @ H @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s),
                               rtol=1e-9, atol=1e-9)


def test_bfgs_update_refuses_a_pair_without_curvature():
    with pytest.raises(ValueError, match="curvature condition"):
        bfgs_update(np.eye(2), np.array([1.0, 0.0]), np.array([-1.0, 0.0]))


@pytest.mark.parametrize("pairs", [1, 3, 7])
def test_two_loop_recursion_applies_the_bfgs_matrix(pairs):
    """Is the two-loop product the BFGS matrix (updated from gamma I with the same pairs, oldest
    first) times g?"""
    rng = np.random.default_rng(pairs)
    d, gamma = 6, 0.37
    A = random_spd(d, 100 + pairs)
    s_list = [rng.normal(size=d) for _ in range(pairs)]
    y_list = [A @ s for s in s_list]                              # curvature pairs of a quadratic
    H = gamma * np.eye(d)
    for s, y in zip(s_list, y_list):
        H = bfgs_update(H, s, y)
    g = rng.normal(size=d)
    np.testing.assert_allclose(two_loop_recursion(g, s_list, y_list, gamma), H @ g, rtol=1e-9)


def test_every_bfgs_step_satisfies_wolfe_and_its_matrix_stays_spd():
    """Along a BFGS run on Rosenbrock, do the pairs satisfy the curvature condition (so every
    matrix is positive definite), and does the last matrix satisfy the last secant equation?"""
    res = bfgs(ROSEN.fun, ROSEN.grad, [-1.2, 1.0])
    assert res.success
    steps = np.diff(res.history, axis=0)
    grads = np.array([ROSEN.grad(x) for x in res.history])
    ys = np.diff(grads, axis=0)
    assert np.all(np.einsum("ij,ij->i", steps, ys) > 0)
    for x, s in zip(res.history[:-1], steps):
        g = ROSEN.grad(x)
        if np.linalg.norm(g) > 1e-6:        # the last steps are at the level of rounding
            assert_wolfe(ROSEN.fun, ROSEN.grad, x, s, 1.0, 1e-4, 0.9)
    assert np.linalg.eigvalsh(res.hess_inv).min() > 0
    np.testing.assert_allclose(res.hess_inv @ ys[-1], steps[-1], rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("name, x0", [("rosenbrock", [-1.2, 1.0]), ("logistic", np.full(6, 1.0))])
@pytest.mark.parametrize("scale, h0", [(True, "first"), (False, "identity")])
def test_lbfgs_with_enough_memory_is_bfgs(name, x0, scale, h0):
    """With memory at least the number of steps and the same H0, does L-BFGS take exactly the
    iterates of BFGS?"""
    f, grad, _ = PROBLEMS[name]
    full = bfgs(f, grad, x0, scale_H0=scale)
    limited = lbfgs(f, grad, x0, m=full.nit + 5, h0=h0)
    assert full.success and limited.success
    assert limited.nit == full.nit
    np.testing.assert_allclose(limited.history, full.history, rtol=1e-7, atol=1e-10)


# ------------------------------------------------- quasi-Newton: steps, evaluation counts, minimisers


class Counted:
    """f and its gradient with the number of calls of each, counted here (not by the method)."""

    def __init__(self, fun, grad):
        self._fun, self._grad, self.nfev, self.njev = fun, grad, 0, 0

    def fun(self, x):
        self.nfev += 1
        return self._fun(x)

    def grad(self, x):
        self.njev += 1
        return self._grad(x)


def scaled_quadratic(low, high, seed, d=10):
    """1/2 x^T A x with eigenvalues spread over [low, high] (minimiser 0), a random start, and lambda_min."""
    A = spd_matrix(np.logspace(np.log10(low), np.log10(high), d), seed=seed)
    return quadratic(A), np.random.default_rng(seed).standard_normal(d), low


QN_CASES = {
    **{f"rosenbrock from {x0}": (ROSEN, np.array(x0), np.linalg.eigvalsh(ROSEN.hess(ROSEN.x_min)).min())
       for x0 in ([-1.2, 1.0], [2.0, 2.0], [-1.0, -1.0])},
    **{f"quadratic in [{lo}, {hi}], seed {s}": scaled_quadratic(lo, hi, s) for lo, hi in ((1, 100), (0.01, 1))
       for s in range(3)},
}


@pytest.mark.parametrize("method", [bfgs, lbfgs], ids=["bfgs", "lbfgs"])
@pytest.mark.parametrize("case", sorted(QN_CASES))
def test_quasi_newton_steps_are_strong_wolfe_counts_are_honest_and_the_minimiser_is_reached(method, case):
    """On Rosenbrock from three starts and on random quadratics at two scales: does every accepted
    step satisfy the strong Wolfe conditions (recomputed here from f and its gradient), do nfev
    and njev equal the calls a wrapper counted, and does the run end within tol / lambda_min of
    the known minimiser (||x - x*|| <= ||g|| / lambda_min for a quadratic; near it for Rosenbrock)?"""
    problem, x0, lambda_min = QN_CASES[case]
    calls = Counted(problem.fun, problem.grad)
    tol = 1e-8
    res = method(calls.fun, calls.grad, x0, tol=tol)
    assert res.success, res.message
    assert (res.nfev, res.njev) == (calls.nfev, calls.njev)
    for x, s in zip(res.history[:-1], np.diff(res.history, axis=0)):
        # a step s = alpha p satisfies the conditions for p with alpha exactly when it does for s with alpha = 1
        assert_wolfe(problem.fun, problem.grad, x, s, 1.0, 1e-4, 0.9)
    assert np.linalg.norm(problem.grad(res.x)) <= tol
    assert np.linalg.norm(res.x - problem.x_min) <= 2 * tol / lambda_min


@pytest.mark.parametrize("step", ["exact", "backtracking", "wolfe"])
def test_line_search_counts_are_the_calls_made(step):
    """Do a line search and the descent loop report exactly the evaluations a wrapper counts,
    whether or not f(x_k) and g_k are handed to the search?"""
    x = np.array([-1.2, 1.0])
    p = -ROSEN.grad(x)
    search = ls.SEARCHES[step]
    for given in (False, True):
        calls = Counted(ROSEN.fun, ROSEN.grad)
        known = dict(fk=ROSEN.fun(x), gk=ROSEN.grad(x)) if given else {}
        res = search(calls.fun, calls.grad, x, p, **known)
        assert res.success and (res.nfev, res.njev) == (calls.nfev, calls.njev)
    calls = Counted(ROSEN.fun, ROSEN.grad)
    run = ls.line_search_descent(calls.fun, calls.grad, x, step=step, tol=1e-3, maxiter=5000)
    assert (run.nfev, run.njev) == (calls.nfev, calls.njev)


def test_zoom_uses_the_fitted_minimiser_and_keeps_off_the_ends():
    """After an overlong first trial, does the zoom try the fitted minimiser (moved to 10% of the
    bracket from its end) rather than bisecting towards it? On a quadratic the fit is exact, so
    the search ends at the exact step as soon as that step lies inside the band."""
    A = np.diag([1.0, 20.0])
    q = quadratic(A)
    x = np.array([1.0, 1.0])
    p = -q.grad(x)
    exact = ls.exact_step_quadratic(A, q.grad(x), p)                 # about 0.05, far below the trial 1
    res = ls.wolfe_line_search(q.fun, q.grad, x, p, alpha0=1.0)
    assert res.success
    assert res.trials[:2] == (1.0, pytest.approx(0.1))                # the fit (0.05) moved to 10% of [0, 1]
    assert res.trials[2] == pytest.approx(exact, rel=1e-12) == res.alpha
    # from Rosenbrock's start, where alpha = 1 is a step of length 233, the search needs few trials
    x = np.array([-1.2, 1.0])
    res = ls.wolfe_line_search(ROSEN.fun, ROSEN.grad, x, -ROSEN.grad(x))
    assert res.success and len(res.trials) <= 6
    assert_wolfe(ROSEN.fun, ROSEN.grad, x, -ROSEN.grad(x), res.alpha, 1e-4, 0.9)


def test_bfgs_evaluations_against_scipy_on_rosenbrock():
    """Do course_lib's BFGS evaluation counts from Rosenbrock's standard start stay near scipy's
    (measured with the same wrapper and the same stopping rule)? The zoom used to bisect towards
    a fitted minimiser it had already located, which cost 63 function values against scipy's 41."""
    x0 = np.array([-1.2, 1.0])
    ours, theirs = Counted(ROSEN.fun, ROSEN.grad), Counted(ROSEN.fun, ROSEN.grad)
    assert bfgs(ours.fun, ours.grad, x0, tol=1e-8).success
    assert sopt.minimize(theirs.fun, x0, jac=theirs.grad, method="BFGS", options={"gtol": 1e-8, "norm": 2}).success
    assert ours.nfev + ours.njev <= 1.25 * (theirs.nfev + theirs.njev)
    assert ours.nfev <= 1.4 * theirs.nfev


@pytest.mark.parametrize("m", [1, 3, 10])
def test_lbfgs_converges_with_any_memory(m):
    """Does L-BFGS reach the logistic loss's minimiser (scipy's L-BFGS-B as the oracle) for small
    and large memories?

    The tolerance stays well above rounding level: near ||g|| = 4e-9 the decrease the Armijo test
    asks for is below the resolution of f (about 0.46), so a machine whose exp rounds differently
    (numpy's SIMD kernels depend on the CPU) could see the line search fail. The loss is
    l2-strongly convex, so ||x - x*|| <= ||g(x)|| / l2 bounds each point's distance to x*."""
    f, grad, _ = PROBLEMS["logistic"]
    l2 = 1e-2                                           # logistic_problem's ridge: Hessian >= l2 I
    res = lbfgs(f, grad, np.zeros(6), m=m, tol=1e-7)
    ref = sopt.minimize(f, np.zeros(6), jac=grad, method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15})
    assert res.success and np.linalg.norm(res.jac) <= 1e-7
    bound = (np.linalg.norm(res.jac) + np.linalg.norm(grad(ref.x))) / l2
    assert np.linalg.norm(res.x - ref.x) <= bound


def test_bfgs_matches_scipy_and_the_inverse_hessian():
    """Does BFGS reach scipy's BFGS minimiser on the logistic loss, and does its final matrix
    approximate the inverse Hessian there?"""
    f, grad, hess = LOGISTIC
    res = bfgs(f, grad, np.zeros(6), tol=1e-10)
    ref = sopt.minimize(f, np.zeros(6), jac=grad, method="BFGS", options={"gtol": 1e-11})
    np.testing.assert_allclose(res.x, ref.x, atol=1e-7)
    H_true = np.linalg.inv(hess(res.x))
    assert np.linalg.norm(res.hess_inv - H_true) <= 0.2 * np.linalg.norm(H_true)
    np.testing.assert_allclose(central_gradient(f, res.x), 0.0, atol=1e-7)


@pytest.mark.parametrize("call, match", [
    (lambda: lbfgs(ROSEN.fun, ROSEN.grad, [0.0, 0.0], m=0), "memory"),
    (lambda: lbfgs(ROSEN.fun, ROSEN.grad, [0.0, 0.0], h0="diag"), "h0"),
    (lambda: bfgs(ROSEN.fun, ROSEN.grad, [0.0, 0.0], c1=0.5, c2=0.4), "0 < c1 < c2 < 1"),
    (lambda: bfgs(ROSEN.fun, ROSEN.grad, [0.0, 0.0], H0=np.eye(3)), "H0"),
    (lambda: two_loop_recursion(np.ones(2), [np.ones(2)], [], 1.0), "same length"),
    (lambda: secant_method(np.sin, 1.0, 1.0), "must differ"),
])
def test_quasi_newton_rejects_bad_parameters(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# -------------------------------------------------------------------------- orders of convergence


def test_convergence_order_on_synthetic_sequences():
    """Does the estimator return 1, 2 and 3 for e_k = c r^k, e_{k+1} = e_k^2 and e_{k+1} = e_k^3,
    ignoring errors at the rounding floor?"""
    assert np.isclose(convergence_order(0.3 * 0.8 ** np.arange(60)), 1.0)
    quad = [0.5]
    while quad[-1] > 1e-200:
        quad.append(quad[-1] ** 2)
    assert np.isclose(convergence_order(quad + [1e-16, 1e-16], floor=1e-15), 2.0)       # the floor drops the 1e-16s
    assert np.isclose(convergence_order([0.5, 0.125, 0.5 ** 9, 0.5 ** 27], floor=0.0, tail=3), 3.0)
    with pytest.raises(ValueError, match="three decreasing errors"):
        convergence_order([1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="tail"):
        convergence_order([1.0, 0.5, 0.25], tail=1)


def test_secant_method_converges_with_the_golden_ratio():
    """Is the secant method's measured order close to (1 + sqrt 5) / 2 on f'(x) = e^x - 2?"""
    res = secant_method(lambda x: np.exp(x) - 2.0, 0.0, 1.0, tol=1e-15)
    errors = np.abs(res.history[:, 0] - np.log(2.0))
    assert abs(convergence_order(errors, floor=1e-14, tail=3) - (1 + np.sqrt(5)) / 2) < 0.15


def test_measured_orders_separate_gd_bfgs_and_newton():
    """Gradient descent with exact steps converges linearly on the logistic loss (order ~1, a
    steady error ratio), Newton quadratically (~2), and BFGS superlinearly on Rosenbrock (error
    ratios falling towards 0 at the end)."""
    f, grad, hess = LOGISTIC
    x_star = newton(grad, hess, np.zeros(6), tol=1e-14).x
    err = lambda hist: np.linalg.norm(hist - x_star, axis=1)
    gd = ls.line_search_descent(f, grad, np.zeros(6), step="exact", tol=1e-10, maxiter=3000)
    nt = newton(grad, hess, np.zeros(6), tol=1e-13)
    assert abs(convergence_order(err(gd.history), floor=1e-9) - 1.0) < 0.1
    e_gd = err(gd.history)
    assert 0.1 < np.median(e_gd[1:] / e_gd[:-1]) < 0.9
    assert abs(convergence_order(err(nt.history), floor=1e-12, tail=2) - 2.0) < 0.25
    qn = bfgs(ROSEN.fun, ROSEN.grad, [-1.2, 1.0], tol=1e-13)
    e = np.linalg.norm(qn.history - 1.0, axis=1)
    e = e[e > 1e-13]                                     # errors near 1e-16 are rounding
    ratios = e[1:] / e[:-1]
    assert ratios[-2:].max() < 0.05 and np.median(ratios) > 0.1


# ---------------------------------------------------------------------------- safeguarded Newton


def test_modified_hessian_is_positive_definite_and_untouched_when_already_so():
    A = random_spd(4, 7)
    L, tau = modified_hessian(A)
    assert tau == 0.0 and np.allclose(L @ L.T, A)
    for H in (np.diag([1.0, -3.0]), np.array([[0.0, 1.0], [1.0, 0.0]]), -np.eye(3)):
        L, tau = modified_hessian(H)
        assert tau > 0 and np.linalg.eigvalsh(L @ L.T).min() > 0


def test_safeguarded_newton_escapes_where_pure_newton_fails():
    """From a point of Rosenbrock where the Hessian is indefinite, does the safeguarded method
    still descend to (1, 1), ending with full Newton steps (quadratic convergence)?"""
    x0 = np.array([0.0, 1.0])
    assert np.linalg.eigvalsh(ROSEN.hess(x0)).min() < 0
    res = safeguarded_newton(ROSEN.fun, ROSEN.grad, ROSEN.hess, x0, tol=1e-12)
    assert res.success
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-10)
    values = [ROSEN.fun(x) for x in res.history]
    assert all(b <= a for a, b in zip(values, values[1:]))
    errors = np.linalg.norm(res.history - 1.0, axis=1)
    # quadratic at the end: e_(k+1) <= C e_k^2, with C of the order of |H^-1| |third derivatives| ~ 1e3 here
    assert errors[-1] <= 1e3 * errors[-2] ** 2 and errors[-2] <= 1e3 * errors[-3] ** 2
