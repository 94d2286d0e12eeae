"""Hidden tests, task 2: AdaGrad and RMSProp.

On the general problems eps is 1e-12, far below the roots of the accumulated squares (0.05 and
more), so every placement of eps gives the same iterates to 1e-10; each method then gets one run
with a large eps (0.1 against gradients of 0.05 or less), which judges the placement of eps. The
scale test uses eps = 1e-20, negligible even for the gradient scaled by 1e-3.
"""

import numpy as np
import pytest

from course_lib import problems
from course_lib.optim import adagrad, rmsprop, run

RTOL, ATOL = 1e-8, 1e-12    # correct variants agree to 1e-15 here; the mistakes differ by 1e-4 or more


def _cases():
    return [(problems.quadratic(problems.spd_matrix([20.0, 2.0, 0.2], seed=91), np.array([1.0, 0.0, -1.0])),
             np.array([1.0, 1.0, 1.0]), 40),
            (problems.rosenbrock(), np.array([-1.0, 2.0]), 80)]


def _large_eps_case():
    return problems.quadratic(np.diag([0.05, 0.01])), np.array([1.0, -2.0]), 30


def trajectory(got, x0, n, method):
    """The student's result as an array of shape (n + 1, d), or a hint about its shape."""
    got = np.asarray(got, dtype=float)
    d = len(x0)
    if got.ndim != 2:
        pytest.fail(f"{method}: return every iterate as a 2-D array of shape (num_steps + 1, d), x0 first, "
                    "not only the last one")
    if got.shape == (n, d):
        pytest.fail(f"{method}: a row is missing: the result has num_steps + 1 rows, x0 first")
    assert got.shape == (n + 1, d), \
        f"{method}: the result should have shape (num_steps + 1, d): one row per iterate, x0 first"
    if n > 1 and np.all(got == got[-1]) and not np.array_equal(got[0], x0):
        pytest.fail(f"{method}: every row of the result is the last iterate: the list holds the same array "
                    "num_steps + 1 times, changed in place (theta -= ...); store a copy, or write theta = theta - ...")
    assert np.array_equal(got[0], x0), f"{method}: the first row of the result should be x0 itself"
    return got


def adagrad_variant(grad, x0, lr, eps, n, where):
    x, G, xs = np.array(x0, dtype=float), np.zeros(len(x0)), [np.array(x0, dtype=float)]
    for _ in range(n):
        g = grad(x)
        G = G + g * g
        x = x - lr * g / (np.sqrt(G + eps) if where == "inside" else np.sqrt(G))
        xs.append(x)
    return np.array(xs)


def rmsprop_variant(grad, x0, lr, decay, eps, n, where):
    x, s, xs = np.array(x0, dtype=float), np.zeros(len(x0)), [np.array(x0, dtype=float)]
    for _ in range(n):
        g = grad(x)
        s = decay * s + (1 - decay) * g * g
        x = x - lr * g / (np.sqrt(s + eps) if where == "inside" else np.sqrt(s))
        xs.append(x)
    return np.array(xs)


def eps_hint(got, variant, method, accumulator):
    if np.allclose(got, variant("inside"), rtol=RTOL, atol=ATOL):
        pytest.fail(f"{method}: eps is inside the square root; this task puts it outside, sqrt({accumulator}) + eps")
    if np.allclose(got, variant("none"), rtol=RTOL, atol=ATOL):
        pytest.fail(f"{method}: eps is missing from the denominator, sqrt({accumulator}) + eps")


@pytest.mark.points(1)
def test_adagrad_matches_the_accumulated_squares(student):
    """AdaGrad's iterates equal course_lib's on a rotated 3-D quadratic and on Rosenbrock, and with a large eps
    (outside the root)"""
    for (p, x0, n), lr in zip(_cases(), (0.3, 0.05)):
        got = trajectory(student.adagrad(p.grad, x0, lr, 1e-12, n), x0, n, "AdaGrad")
        want = run(adagrad(lr, 1e-12), p.grad, x0, n)
        g = p.grad(x0)
        if np.allclose(got[1], x0 - lr * g / (np.sqrt(np.abs(g)) + 1e-12), rtol=RTOL, atol=ATOL):
            pytest.fail("AdaGrad accumulates the SQUARED gradients, G = G + g * g, not the gradients")
        assert np.allclose(got, want, rtol=RTOL, atol=ATOL), \
            "AdaGrad: the iterates differ from G = G + g^2, theta = theta - lr g / (sqrt(G) + eps)"
    p, x0, n = _large_eps_case()
    got = trajectory(student.adagrad(p.grad, x0, 0.1, 0.1, n), x0, n, "AdaGrad")
    if not np.allclose(got, run(adagrad(0.1, 0.1), p.grad, x0, n), rtol=RTOL, atol=ATOL):
        eps_hint(got, lambda where: adagrad_variant(p.grad, x0, 0.1, 0.1, n, where), "AdaGrad", "G")
        pytest.fail("AdaGrad: with a large eps the iterates differ from theta - lr g / (sqrt(G) + eps)")


@pytest.mark.points(1)
def test_rmsprop_matches_the_moving_average(student):
    """RMSProp's iterates equal course_lib's for decay 0.9 and 0.99, and with a large eps (outside the root)"""
    for (p, x0, n), lr, decay in zip(_cases(), (0.01, 0.003), (0.9, 0.99)):
        got = trajectory(student.rmsprop(p.grad, x0, lr, decay, 1e-12, n), x0, n, "RMSProp")
        want = run(rmsprop(lr, decay, 1e-12), p.grad, x0, n)
        if not np.allclose(got, want, rtol=RTOL, atol=ATOL):
            g = p.grad(x0)
            if np.allclose(got[1], x0 - lr * g / (np.abs(g) + 1e-12), rtol=RTOL, atol=ATOL):
                pytest.fail("RMSProp: the average is missing its (1 - decay) factor: s = decay s + (1 - decay) g^2")
            if np.allclose(got, run(rmsprop(lr, 1 - decay, 1e-12), p.grad, x0, n), rtol=RTOL, atol=ATOL):
                pytest.fail("RMSProp: decay and 1 - decay are swapped: s = decay s + (1 - decay) g^2")
            pytest.fail("RMSProp: the iterates differ from s = decay s + (1 - decay) g^2, "
                        "theta = theta - lr g / (sqrt(s) + eps)")
    p, x0, n = _large_eps_case()
    got = trajectory(student.rmsprop(p.grad, x0, 0.05, 0.9, 0.1, n), x0, n, "RMSProp")
    if not np.allclose(got, run(rmsprop(0.05, 0.9, 0.1), p.grad, x0, n), rtol=RTOL, atol=ATOL):
        eps_hint(got, lambda where: rmsprop_variant(p.grad, x0, 0.05, 0.9, 0.1, n, where), "RMSProp", "s")
        pytest.fail("RMSProp: with a large eps the iterates differ from theta - lr g / (sqrt(s) + eps)")


@pytest.mark.points(1)
def test_steps_do_not_depend_on_the_scale_of_the_gradient(student):
    """multiplying the loss by 1000 (or by 0.001) leaves the AdaGrad and RMSProp iterates unchanged (negligible eps),
    and the first step is -lr sign(g) for AdaGrad, -lr sign(g) / sqrt(1 - decay) for RMSProp"""
    p = problems.quadratic(problems.spd_matrix([5.0, 0.5], seed=92))
    x0 = np.array([1.0, -1.0])
    g0 = p.grad(x0)
    checks = (("adagrad", "AdaGrad", (0.1, 1e-20, 30), -0.1 * np.sign(g0),
               "the first step should be -lr sign(g): G_1 = g^2, so g / sqrt(G_1) = sign(g)"),
              ("rmsprop", "RMSProp", (0.02, 0.9, 1e-20, 30), -0.02 * np.sign(g0) / np.sqrt(0.1),
               "the first step should be -lr sign(g) / sqrt(1 - decay): s_1 = (1 - decay) g^2"))
    for method, name, args, first, hint in checks:
        base = trajectory(getattr(student, method)(p.grad, x0, *args), x0, 30, name)
        assert np.allclose(base[1] - base[0], first, rtol=RTOL), f"{name}: {hint}"
        for c in (1e3, 1e-3):
            scaled = np.asarray(getattr(student, method)(lambda x, c=c: c * p.grad(x), x0, *args), dtype=float)
            assert scaled.shape == base.shape and np.allclose(base, scaled, rtol=RTOL, atol=ATOL), (
                f"{name}: scaling the gradient by a constant changed the iterates; dividing by the root of the "
                "(averaged) squared gradients should cancel any scale")
