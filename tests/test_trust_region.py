"""Tests of course_lib.trust_region (trust regions, dogleg, Levenberg-Marquardt) and course_lib.descent
(the descent-direction loop with its stopping rules).

Oracles: scipy.optimize.minimize(method="dogleg" | "trust-exact") and
scipy.optimize.least_squares(method="lm") (MINPACK), used only here; closed forms for the
Cauchy point and the limits of the dogleg and Levenberg-Marquardt steps; a brute-force search
of the ball for the subproblem; the optimality conditions of NW Theorem 4.1; hand-computed
stopping measures.

The tests of course_lib.descent are at the end; they move with that module (see its docstring:
it extends course_lib.linesearch.descent).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize as sopt

from course_lib import descent as dm
from course_lib import trust_region as tr
from course_lib.problems import quadratic, rosenbrock, spd_matrix

ROSEN = rosenbrock()


def exp_fit_problem(seed=0, n=20, a=2.0, b=0.7, noise=0.05):
    """Fit a exp(-b t) to noisy data: a small nonlinear least-squares problem with nonzero residual."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, 4.0, n)
    y = a * np.exp(-b * t) + noise * rng.standard_normal(n)

    def residual(x):
        return x[0] * np.exp(-x[1] * t) - y

    def jac(x):
        e = np.exp(-x[1] * t)
        return np.column_stack([e, -x[0] * t * e])

    return residual, jac


def brute_force_subproblem(g, B, delta, n=400):
    """The model's minimum over a polar grid of the disc (2-d only): an oracle independent of any solver."""
    r = delta * np.sqrt(np.linspace(0.0, 1.0, n))
    th = np.linspace(0.0, 2 * np.pi, 4 * n, endpoint=False)
    R, T = np.meshgrid(r, th)
    P = np.stack([R * np.cos(T), R * np.sin(T)], axis=-1).reshape(-1, 2)
    m = P @ g + 0.5 * np.einsum("ij,jk,ik->i", P, B, P)
    return float(m.min())


# --------------------------------------------------------------------------------- Cauchy point


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("delta", [0.01, 0.3, 5.0])
def test_cauchy_point_minimises_the_model_along_minus_g(seed, delta):
    """Is the Cauchy point the minimiser of m along -g within the ball (checked on a fine grid of the
    segment), and does it give NW Lemma 4.3's decrease 1/2 ||g|| min(delta, ||g||/||B||)?"""
    rng = np.random.default_rng(seed)
    d = 4
    B = spd_matrix(rng.uniform(-1.0, 5.0, d), seed=seed)          # indefinite for some seeds
    g = rng.normal(size=d)
    p = tr.cauchy_point(g, B, delta)
    assert np.linalg.norm(p) <= delta * (1 + 1e-12)
    ts = np.linspace(0.0, delta / np.linalg.norm(g), 20001)
    grid = [tr.model_decrease(g, B, -t * g) for t in ts]
    assert tr.model_decrease(g, B, p) >= max(grid) - 1e-12 * max(1.0, max(grid))
    bound = 0.5 * np.linalg.norm(g) * min(delta, np.linalg.norm(g) / np.linalg.norm(B, 2))
    assert tr.model_decrease(g, B, p) >= bound * (1 - 1e-12)


def test_cauchy_point_negative_curvature_goes_to_the_boundary():
    """With g^T B g <= 0 the model decreases all the way along -g: tau = 1, the full radius."""
    g, B = np.array([1.0, 0.0]), np.diag([-1.0, 2.0])
    np.testing.assert_allclose(tr.cauchy_point(g, B, 0.7), [-0.7, 0.0])


# ------------------------------------------------------------------------------------- dogleg


@pytest.mark.parametrize("seed", range(5))
def test_dogleg_limits(seed):
    """Large radius: the dogleg step is the Newton step -B^{-1} g (solved independently). Small radius:
    the steepest-descent direction cut at the radius, -delta g/||g||, which is also the Cauchy point."""
    rng = np.random.default_rng(seed)
    B = spd_matrix(rng.uniform(0.5, 20.0, 5), seed=seed)
    g = rng.normal(size=5)
    newton = -np.linalg.solve(B, g)
    np.testing.assert_allclose(tr.dogleg_step(g, B, 10 * np.linalg.norm(newton)), newton, rtol=1e-12)
    small = 1e-3 * np.linalg.norm(g) ** 3 / (g @ B @ g)          # well inside the first leg
    np.testing.assert_allclose(tr.dogleg_step(g, B, small), -small * g / np.linalg.norm(g), rtol=1e-12)
    np.testing.assert_allclose(tr.dogleg_step(g, B, small), tr.cauchy_point(g, B, small), rtol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_dogleg_between_cauchy_and_exact(seed):
    """On the second leg the dogleg step lies on the boundary and its model decrease is between the
    Cauchy point's and the exact solution's (NW Section 4.1); the exact solution matches a
    brute-force minimisation over the disc."""
    rng = np.random.default_rng(seed)
    B = spd_matrix(rng.uniform(0.5, 10.0, 2), seed=seed)
    g = rng.normal(size=2)
    p_u = -(g @ g) / (g @ B @ g) * g
    p_b = -np.linalg.solve(B, g)
    delta = 0.5 * (np.linalg.norm(p_u) + np.linalg.norm(p_b))
    if not np.linalg.norm(p_u) < delta < np.linalg.norm(p_b):
        pytest.skip("radius not on the second leg for this draw")
    p = tr.dogleg_step(g, B, delta)
    assert np.linalg.norm(p) == pytest.approx(delta, rel=1e-12)
    exact, lam = tr.solve_subproblem(g, B, delta)
    dec = [tr.model_decrease(g, B, q) for q in (tr.cauchy_point(g, B, delta), p, exact)]
    assert dec[0] <= dec[1] + 1e-14 and dec[1] <= dec[2] + 1e-14
    assert -dec[2] <= brute_force_subproblem(g, B, delta) + 1e-12
    assert -dec[2] >= brute_force_subproblem(g, B, delta) - 1e-3 * abs(dec[2])


def test_dogleg_rejects_indefinite_model():
    """Does an indefinite B raise a ValueError that names Bk and points to the exact solver?"""
    with pytest.raises(ValueError, match="Bk.*positive definite.*solve_subproblem"):
        tr.dogleg_step(np.array([1.0, 1.0]), np.diag([1.0, -1.0]), 1.0)


# --------------------------------------------------------------------------- exact subproblem


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("delta", [0.05, 0.5, 5.0])
def test_exact_subproblem_satisfies_theorem_4_1(seed, delta):
    """Does the solution satisfy NW Theorem 4.1: (B + lam I) p = -g, lam (delta - ||p||) = 0,
    B + lam I positive semidefinite, lam >= 0, ||p|| <= delta, for definite and indefinite B?"""
    rng = np.random.default_rng(seed)
    d = 5
    B = spd_matrix(rng.uniform(-3.0, 6.0, d), seed=seed)
    g = rng.normal(size=d)
    p, lam = tr.solve_subproblem(g, B, delta)
    assert lam >= 0 and np.linalg.norm(p) <= delta * (1 + 1e-9)
    np.testing.assert_allclose((B + lam * np.eye(d)) @ p, -g, atol=1e-8 * (1 + np.linalg.norm(g)))
    assert lam * (delta - np.linalg.norm(p)) == pytest.approx(0.0, abs=1e-8 * (1 + lam))
    assert np.linalg.eigvalsh(B + lam * np.eye(d))[0] >= -1e-10


def test_exact_subproblem_hard_case():
    """The hard case (NW eq. 4.45): g orthogonal to the eigenvector of the negative eigenvalue and
    ||p(-lambda_1)|| < delta. The solution must be on the boundary with lam = -lambda_1 and beat
    a brute-force search of the disc."""
    B, g, delta = np.diag([-1.0, 2.0]), np.array([0.0, 1.0]), 2.0
    p, lam = tr.solve_subproblem(g, B, delta)
    assert lam == pytest.approx(1.0)
    assert np.linalg.norm(p) == pytest.approx(delta)
    np.testing.assert_allclose(p[1], -1.0 / 3.0)                # -g_2 / (2 + 1)
    assert tr.model_decrease(g, B, p) >= -brute_force_subproblem(g, B, delta) - 1e-12


# ------------------------------------------------------------------------------ trust region


def test_dogleg_trust_region_takes_scipys_iterates():
    """Does trust_region(subproblem="dogleg") with scipy's defaults take exactly the iterates of
    scipy.optimize.minimize(method="dogleg") on Rosenbrock from (-1.2, 1): same count, same points?"""
    ref = sopt.minimize(sopt.rosen, [-1.2, 1.0], jac=sopt.rosen_der, hess=sopt.rosen_hess, method="dogleg",
                        options={"gtol": 1e-8, "return_all": True})
    res = tr.trust_region(ROSEN.fun, ROSEN.grad, ROSEN.hess, [-1.2, 1.0], subproblem="dogleg", gtol=1e-8)
    assert res.success and ref.success
    assert res.nit == ref.nit
    np.testing.assert_allclose(res.history, np.array(ref.allvecs), atol=1e-10)


@pytest.mark.parametrize("x0", [[-1.2, 1.0], [2.0, -1.0], [-0.5, 2.5]])
def test_exact_trust_region_against_trust_exact(x0):
    """With the exact subproblem, the method reaches scipy's trust-exact solution (1, 1) in about as many
    iterations (scipy solves the subproblem only approximately, so counts may differ by a few)."""
    ref = sopt.minimize(sopt.rosen, x0, jac=sopt.rosen_der, hess=sopt.rosen_hess, method="trust-exact",
                        options={"gtol": 1e-8})
    res = tr.trust_region(ROSEN.fun, ROSEN.grad, ROSEN.hess, x0, subproblem="exact", gtol=1e-8)
    assert res.success and ref.success
    np.testing.assert_allclose(res.x, ref.x, atol=1e-8)
    assert abs(res.nit - ref.nit) <= max(3, ref.nit // 5)


def test_trust_region_bookkeeping():
    """Are the radius updates those of NW Algorithm 4.1: rho < 1/4 shrinks by 4, steps with rho <= eta are
    rejected (the iterate repeats), and rho is actual over predicted reduction?"""
    res = tr.trust_region(ROSEN.fun, ROSEN.grad, ROSEN.hess, [-1.2, 1.0], subproblem="dogleg")
    for k in range(res.nit - 1):
        if res.rho[k] < 0.25:
            assert res.radius[k + 1] == pytest.approx(0.25 * res.radius[k])
        x0, x1 = res.history[k], res.history[k + 1]
        assert res.accepted[k] == (res.rho[k] > 0.15)
        if not res.accepted[k]:
            np.testing.assert_array_equal(x0, x1)
        else:
            p = x1 - x0
            predicted = tr.model_decrease(ROSEN.grad(x0), ROSEN.hess(x0), p)
            assert res.rho[k] == pytest.approx((ROSEN.fun(x0) - ROSEN.fun(x1)) / predicted, rel=1e-9)
    assert not res.accepted.all()                                   # Rosenbrock does reject steps


def test_cauchy_trust_region_is_slow_but_descends():
    """Steepest descent in a trust region: every accepted step decreases f (rho > eta > 0), yet after
    200 iterations it is far from the 24 of the dogleg."""
    res = tr.trust_region(ROSEN.fun, ROSEN.grad, ROSEN.hess, [-1.2, 1.0], subproblem="cauchy", maxiter=200)
    f = [ROSEN.fun(x) for x in res.history]
    assert np.all(np.diff(f) <= 0)
    assert res.status == 1 and np.linalg.norm(res.jac) > 1e-3


def test_quadratic_one_newton_step():
    """On a positive definite quadratic whose Newton step fits in the first radius, one step solves it."""
    A = spd_matrix([1.0, 3.0, 10.0], seed=4)
    b = np.array([0.1, -0.2, 0.05])
    q = quadratic(A, b)
    for sub in ("dogleg", "exact"):
        res = tr.trust_region(q.fun, q.grad, q.hess, np.zeros(3), subproblem=sub, gtol=1e-12)
        assert res.nit == 1
        np.testing.assert_allclose(res.x, np.linalg.solve(A, b), rtol=1e-12)


# ----------------------------------------------------------------------- Levenberg-Marquardt


def test_lm_step_limits():
    """lam = 0 gives the Gauss-Newton step (numpy's least squares of J p = -r); as lam grows,
    lam p tends to -J^T r (a short gradient step); for any lam, (J^T J + lam I) p = -J^T r."""
    rng = np.random.default_rng(0)
    J, r = rng.normal(size=(8, 3)), rng.normal(size=8)
    np.testing.assert_allclose(tr.lm_step(J, r, 0.0), np.linalg.lstsq(J, -r, rcond=None)[0], rtol=1e-10)
    lam = 1e8
    np.testing.assert_allclose(lam * tr.lm_step(J, r, lam), -J.T @ r, rtol=1e-6)
    for lam in (0.1, 3.0):
        np.testing.assert_allclose((J.T @ J + lam * np.eye(3)) @ tr.lm_step(J, r, lam), -J.T @ r, rtol=1e-10)


@pytest.mark.parametrize("x0", [[1.0, 2.0], [0.5, 5.0], [5.0, 0.01], [1.0, -1.0], [0.1, 10.0]])
@pytest.mark.parametrize("scale", [False, True])
def test_levenberg_marquardt_against_minpack(x0, scale):
    """Does levenberg_marquardt reach the solution of scipy's least_squares(method="lm") (MINPACK) on the
    exponential fit, from starts near and far, with and without Moré's scaling? Tolerance 1e-7: the
    solution is determined to about sqrt(eps) times the conditioning of this fit."""
    residual, jac = exp_fit_problem()
    with np.errstate(over="ignore"):                # MINPACK's trial points overflow exp from (0.1, 10)
        ref = sopt.least_squares(residual, x0, jac=jac, method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15)
    res = tr.levenberg_marquardt(residual, jac, x0, scale=scale)
    assert res.success, res.message
    np.testing.assert_allclose(res.x, ref.x, rtol=1e-7)
    assert res.fun == pytest.approx(0.5 * float(ref.fun @ ref.fun), rel=1e-10)


def test_levenberg_marquardt_damping_is_the_multiplier():
    """Is each recorded damping lam_k the multiplier of the step: p_k = lm_step(J_k, r_k, lam_k) with
    lam_k = 0 exactly when the Gauss-Newton step fits in the radius?"""
    residual, jac = exp_fit_problem()
    res = tr.levenberg_marquardt(residual, jac, [0.1, 10.0], gtol=1e-8)
    assert np.any(res.damping > 0) and np.any(res.damping == 0)
    x = res.history[0]
    for k in range(res.nit):
        if res.accepted[k]:
            p = res.history[k + 1] - x
            np.testing.assert_allclose(p, tr.lm_step(jac(x), residual(x), res.damping[k]), rtol=1e-6, atol=1e-12)
            gn = tr.lm_step(jac(x), residual(x), 0.0)
            assert (res.damping[k] == 0) == (np.linalg.norm(gn) <= res.radius[k] * (1 + 1e-9))
            x = res.history[k + 1]


def test_levenberg_marquardt_zero_residual_is_fast():
    """On exact data (zero residual) Gauss-Newton converges quadratically: from a nearby start a handful
    of iterations reach the parameters to 1e-10."""
    t = np.linspace(0.0, 4.0, 9)

    def residual(x):
        return x[0] * np.exp(-x[1] * t) - 2.0 * np.exp(-0.5 * t)

    def jac(x):
        return np.column_stack([np.exp(-x[1] * t), -x[0] * t * np.exp(-x[1] * t)])

    res = tr.levenberg_marquardt(residual, jac, [1.8, 0.6])
    assert res.success and res.nit <= 8
    np.testing.assert_allclose(res.x, [2.0, 0.5], rtol=1e-10)


# -------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("call, match", [
    (lambda: tr.cauchy_point([1.0, np.nan], np.eye(2), 1.0), "gk.*non-finite"),
    (lambda: tr.cauchy_point([1.0, 2.0], np.eye(3), 1.0), r"Bk.*shape \(3, 3\).*\(2, 2\)"),
    (lambda: tr.cauchy_point([1.0, 2.0], [[1.0, 2.0], [0.0, 1.0]], 1.0), "Bk.*symmetric"),
    (lambda: tr.dogleg_step([1.0, 2.0], np.eye(2), 0.0), "delta=0.0.*positive"),
    (lambda: tr.solve_subproblem([1.0, 2.0], np.eye(2), -1.0), "delta=-1.0"),
    (lambda: tr.trust_region(ROSEN.fun, ROSEN.grad, ROSEN.hess, [0.0, 0.0], subproblem="newton"),
     "subproblem='newton'.*cauchy"),
    (lambda: tr.trust_region(ROSEN.fun, ROSEN.grad, ROSEN.hess, [0.0, 0.0], eta=0.5), r"eta=0.5.*\[0, 1/4\)"),
    (lambda: tr.trust_region(ROSEN.fun, ROSEN.grad, ROSEN.hess, [0.0, 0.0], delta0=10.0, delta_max=1.0),
     "delta0=10.0.*delta_max=1.0"),
    (lambda: tr.trust_region(ROSEN.fun, ROSEN.grad, ROSEN.hess, [0.0, np.inf]), "x0.*non-finite"),
    (lambda: tr.trust_region(ROSEN.fun, ROSEN.grad, ROSEN.hess, [0.0, 0.0], maxiter=-1), "maxiter=-1"),
    (lambda: tr.trust_region(ROSEN.fun, ROSEN.grad, ROSEN.hess, [0.0, 0.0], gtol=0.0), "gtol=0.0"),
    (lambda: tr.lm_step(np.ones((3, 2)), np.ones(4), 1.0), r"J.*\(3, 2\).*4 entries"),
    (lambda: tr.lm_step(np.ones((3, 2)), np.ones(3), -1.0), "lam=-1.0.*>= 0"),
    (lambda: tr.levenberg_marquardt(lambda x: x, lambda x: np.eye(2), [1.0, 1.0], delta0=-2.0), "delta0=-2.0"),
    (lambda: dm.descent_method(lambda x: 0.0, lambda x: x, [1.0], dm.fixed_step(0.1), frtol=-1e-6), "frtol=-1e-06"),
    (lambda: dm.descent_method(lambda x: 0.0, lambda x: x, [1.0], dm.fixed_step(0.1), maxiter=2.5), "Invalid maxiter: 2.5"),
    (lambda: dm.descent_method(lambda x: 0.0, lambda x: x, [np.nan], dm.fixed_step(0.1)), "Invalid x0: entry 0 is nan"),
    (lambda: dm.fixed_step(0.0), "learning_rate=0.0"),
    (lambda: dm.line_search_step(search="golden"), "search='golden'"),
])
def test_bad_input_messages(call, match):
    """Does each bad input raise a ValueError naming the parameter and saying what is wrong?"""
    with pytest.raises(ValueError, match=match):
        call()


def test_levenberg_marquardt_bad_jacobian_shape():
    """A Jacobian with the wrong shape is reported with the expected shape."""
    with pytest.raises(ValueError, match=r"jac returned shape \(2, 3\); expected \(2, 2\)"):
        tr.levenberg_marquardt(lambda x: x, lambda x: np.ones((2, 3)), [1.0, 1.0])


# ----------------------------------------------------------------------------- descent loop


def test_descent_measures_by_hand():
    """Gradient descent with rate 1/4 on C = theta^2 + 1 halves theta each step, so the measures are known
    in closed form: ||g_(t+1)|| = 2^(-t), |C_t - C_(t+1)| = 3/4 4^(-t), ||s_t|| = 2^(-t-1)."""
    res = dm.descent_method(lambda x: float(x @ x) + 1.0, lambda x: 2 * x, [1.0], dm.fixed_step(0.25),
                            gtol=0.0, maxiter=6)
    t = np.arange(6)
    np.testing.assert_allclose(res.measures["gtol"], 2.0 ** (-t), rtol=1e-15)
    np.testing.assert_allclose(res.measures["ftol"], 0.75 * 4.0 ** (-t), rtol=1e-12)
    np.testing.assert_allclose(res.measures["frtol"], 0.75 * 4.0 ** (-t) / (1 + 4.0 ** (-t)), rtol=1e-12)
    np.testing.assert_allclose(res.measures["xtol"], 2.0 ** (-t - 1), rtol=1e-15)
    np.testing.assert_allclose(res.measures["xrtol"], np.ones(6), rtol=1e-15)
    assert res.status == 1 and res.criterion == "maxiter" and res.nit == 6


@pytest.mark.parametrize("name", dm.CRITERIA)
def test_descent_stops_at_first_firing(name):
    """Does a run with one test on stop exactly where first_firing says that test first holds in a run
    with every test off, and does the message name that test?"""
    A = np.diag([1.0, 30.0])
    q = quadratic(A, np.array([1.0, 1.0]))
    free = dm.descent_method(q.fun, q.grad, [3.0, -2.0], dm.fixed_step(1 / 30), gtol=0.0, maxiter=400)
    tol = float(np.quantile(free.measures[name], 0.3))
    k = dm.first_firing(free, **{name: tol})[name]
    kwargs = {"gtol": 0.0, name: tol} if name != "gtol" else {"gtol": tol}
    res = dm.descent_method(q.fun, q.grad, [3.0, -2.0], dm.fixed_step(1 / 30), maxiter=400, **kwargs)
    assert res.nit == k and res.criterion == name and res.status == 0
    assert f"{name}=" in res.message
    np.testing.assert_array_equal(res.x, free.history[k])


def test_descent_with_line_search_matches_linesearch_descent():
    """With a Wolfe line search and the gradient test alone, descent_method takes the iterates of
    course_lib.linesearch.descent (the loop it extends)."""
    from course_lib.linesearch import line_search_descent

    q = quadratic(spd_matrix([1.0, 4.0, 25.0], seed=2), np.array([1.0, -1.0, 0.5]))
    ref = line_search_descent(q.fun, q.grad, [2.0, 1.0, -1.0], step="wolfe", tol=1e-6)
    res = dm.descent_method(q.fun, q.grad, [2.0, 1.0, -1.0], dm.line_search_step(search="wolfe"), gtol=1e-6)
    assert res.success and ref.success and res.nit == ref.nit
    np.testing.assert_allclose(res.history, ref.history, rtol=0, atol=1e-12)
    assert res.nfev == ref.nfev and res.njev == ref.njev        # the accepted point is not evaluated twice


def test_descent_nonfinite_stops():
    """A step whose objective overflows stops the run with status 3 and keeps the last finite iterate."""
    res = dm.descent_method(lambda x: float(x @ x), lambda x: 2 * x, [1.0], dm.fixed_step(1e200), maxiter=5)
    assert res.status == 3 and res.criterion == "nonfinite" and not res.success
    np.testing.assert_array_equal(res.x, [1.0])
