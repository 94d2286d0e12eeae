"""Newton's method and the first-order optimizer interface."""

import numpy as np
import pytest

from course_lib import problems
from course_lib.newton import newton, newton_step
from course_lib.optim import gradient_descent, run


def test_newton_solves_a_quadratic_in_one_step():
    """Does one Newton step land on A^{-1} b for any positive definite quadratic?"""
    for d, seed in [(1, 0), (3, 1), (8, 2)]:
        rng = np.random.default_rng(seed)
        A = problems.spd_matrix(rng.uniform(0.1, 10, d), seed=seed)
        b = rng.normal(size=d)
        p = problems.quadratic(A, b)
        res = newton(p.grad, p.hess, rng.normal(size=d), tol=1e-9)
        assert res.nit == 1 and res.success
        np.testing.assert_allclose(res.x, np.linalg.solve(A, b), rtol=1e-10, atol=1e-12)


def test_newton_step_solves_the_system_and_refuses_singular_hessians():
    """Is the step the solution of H p = -g, and is a singular H reported as such?"""
    H = problems.spd_matrix([3.0, -1.0, 0.5], seed=9)
    g = np.array([1.0, 2.0, -1.0])
    np.testing.assert_allclose(H @ newton_step(g, H), -g, atol=1e-12)
    with pytest.raises(np.linalg.LinAlgError, match="singular"):
        newton_step(g, np.diag([1.0, 0.0, 2.0]))
    with pytest.raises(ValueError, match=r"\(3, 3\)"):
        newton_step(g, np.eye(2))


def test_overshoot_example_of_the_source():
    """Do the iterates from 1.5 on (t-3)^2 (t+3) match 004's worked numbers?"""
    p = problems.overshoot_cubic()
    res = newton(p.grad, p.hess, 1.5, fun=p.fun)
    t = res.history[:, 0]
    assert t[1] - t[0] == pytest.approx(3.75)
    assert p.fun(t[0]) == pytest.approx(10.125)
    assert p.fun(t[1]) == pytest.approx(41.77, abs=5e-3)
    np.testing.assert_allclose(t[2:5], [3.5956, 3.0683, 3.0011], atol=5e-5)
    assert abs(t[6] - 3.0) < 1e-13
    assert res.success and res.x == pytest.approx([3.0])


def test_left_of_the_inflection_point_newton_finds_the_maximum():
    """Does every start left of t = 1 converge to the local maximum at -1?"""
    p = problems.overshoot_cubic()
    for t0 in [-10.0, -3.0, 0.0, 0.9]:
        assert newton(p.grad, p.hess, t0).x == pytest.approx([-1.0])


def test_oscillation_and_singular_start():
    """Does the quartic cycle 1 -> -1 -> 1, and is a start on C'' = 0 reported, not crashed?"""
    q = problems.oscillating_quartic()
    res = newton(q.grad, q.hess, 1.0, maxiter=8)
    np.testing.assert_allclose(res.history[:, 0], [1, -1] * 4 + [1])
    assert res.status == 1 and not res.success
    stuck = newton(q.grad, q.hess, np.sqrt(5 / 3))
    assert stuck.status == 2 and "singular" in stuck.message


def test_quadratic_convergence_rate():
    """Is e_{k+1}/e_k^2 close to |C'''/(2 C'')| at the root, the quadratic rate?"""
    p = problems.overshoot_cubic()
    e = np.abs(newton(p.grad, p.hess, 3.5).history[:, 0] - 3.0)
    ratios = e[1:4] / e[:3] ** 2
    # C''' = 6, C''(3) = 12: the limit is 1/4
    assert ratios[-1] == pytest.approx(0.25, rel=1e-3)


def test_newton_on_rosenbrock_and_bad_arguments():
    """Does Newton reach (1, 1) from (-1.2, 1) quickly, and are bad settings refused?"""
    p = problems.rosenbrock()
    res = newton(p.grad, p.hess, [-1.2, 1.0], fun=p.fun)
    assert res.success and res.nit < 10
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-12)
    assert res.history.shape == (res.nit + 1, 2)
    with pytest.raises(ValueError, match="tol"):
        newton(p.grad, p.hess, [0.0, 0.0], tol=0)
    with pytest.raises(ValueError, match="maxiter"):
        newton(p.grad, p.hess, [0.0, 0.0], maxiter=-1)


@pytest.mark.parametrize("bad, error, match", [(-0.1, ValueError, "Invalid learning_rate: -0.1"),
                                               (float("nan"), ValueError, "positive finite"),
                                               ("0.1", TypeError, "expected a number")])
def test_learning_rate_is_validated(bad, error, match):
    """Is a bad learning rate refused where it enters, with a message naming it?"""
    with pytest.raises(error, match=match):
        gradient_descent(bad)


def test_run_returns_the_trajectory_and_mutates_nothing():
    """Does run() return every iterate, x0 first, leaving x0 untouched?"""
    p = problems.quadratic(np.diag([2.0, 1.0]))
    x0 = np.array([1.0, 1.0])
    xs = run(gradient_descent(0.25), p.grad, x0, 3)
    np.testing.assert_allclose(xs, [[1, 1], [0.5, 0.75], [0.25, 0.5625], [0.125, 0.421875]])
    np.testing.assert_array_equal(x0, [1.0, 1.0])


def test_run_stops_a_divergent_trajectory_at_its_last_finite_iterate():
    """Does a divergent run end cleanly (no overflow warning, no inf in the trajectory)?"""
    p = problems.quadratic(np.diag([2.0, 1.0]))
    xs = run(gradient_descent(5.0), p.grad, np.array([1.0, 1.0]), 10_000)
    assert len(xs) < 10_000 and np.all(np.isfinite(xs))
