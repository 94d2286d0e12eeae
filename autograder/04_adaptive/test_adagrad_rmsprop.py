"""Hidden tests, task 2: AdaGrad and RMSProp."""

import numpy as np
import pytest

from course_lib import problems
from course_lib.optim import adagrad, rmsprop, run


def _cases():
    return [(problems.quadratic(problems.spd_matrix([20.0, 2.0, 0.2], seed=91), np.array([1.0, 0.0, -1.0])),
             np.array([1.0, 1.0, 1.0]), 40),
            (problems.rosenbrock(), np.array([-1.0, 2.0]), 80)]


@pytest.mark.points(1)
def test_adagrad_matches_the_accumulated_squares(student):
    """AdaGrad's iterates equal course_lib's on a rotated 3-D quadratic and Rosenbrock (lr 0.3 and 0.05)"""
    for (p, x0, n), lr in zip(_cases(), (0.3, 0.05)):
        got = np.asarray(student.adagrad(p.grad, x0, lr, 1e-8, n), dtype=float)
        want = run(adagrad(lr, 1e-8), p.grad, x0, n)
        assert got.shape == want.shape, f"expected shape {want.shape}, got {got.shape}"
        if np.allclose(got[1], x0 - lr * p.grad(x0) / (np.sqrt(np.abs(p.grad(x0))) + 1e-8)):
            pytest.fail("AdaGrad accumulates the SQUARED gradients, G = G + g * g, not the gradients")
        assert np.allclose(got, want, rtol=1e-9, atol=1e-12), \
            "the iterates differ from G = G + g^2, theta = theta - lr g / (sqrt(G) + eps)"


@pytest.mark.points(1)
def test_rmsprop_matches_the_moving_average(student):
    """RMSProp's iterates equal course_lib's (eps outside the root) for decay 0.9 and 0.99"""
    for (p, x0, n), lr, decay in zip(_cases(), (0.01, 0.003), (0.9, 0.99)):
        got = np.asarray(student.rmsprop(p.grad, x0, lr, decay, 1e-8, n), dtype=float)
        want = run(rmsprop(lr, decay, 1e-8), p.grad, x0, n)
        assert got.shape == want.shape, f"expected shape {want.shape}, got {got.shape}"
        if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            g = p.grad(x0)
            if np.allclose(got[1], x0 - lr * g / (np.abs(g) + 1e-8)):
                pytest.fail("the average is missing its (1 - decay) factor: s = decay s + (1 - decay) g^2")
            if np.allclose(got, run(rmsprop(lr, decay, 1e-8, eps_inside=True), p.grad, x0, n), rtol=1e-9):
                pytest.fail("eps is inside the square root; this task puts it outside")
            pytest.fail("the iterates differ from s = decay s + (1 - decay) g^2, theta = theta - lr g / (sqrt(s) + eps)")


@pytest.mark.points(1)
def test_steps_do_not_depend_on_the_scale_of_the_gradient(student):
    """multiplying the loss by 1000 (or by 0.001) leaves the AdaGrad and RMSProp iterates unchanged (eps = 1e-12),
    and the first step is -lr sign(g) for AdaGrad, -lr sign(g) / sqrt(1 - decay) for RMSProp"""
    p = problems.quadratic(problems.spd_matrix([5.0, 0.5], seed=92))
    x0 = np.array([1.0, -1.0])
    g0 = p.grad(x0)
    for method, args, first in (("adagrad", (0.1, 1e-12, 30), -0.1 * np.sign(g0)),
                                ("rmsprop", (0.02, 0.9, 1e-12, 30), -0.02 * np.sign(g0) / np.sqrt(0.1))):
        base = np.asarray(getattr(student, method)(p.grad, x0, *args), dtype=float)
        assert base.shape == (31, 2), f"{method}: 30 steps in 2 dimensions should give shape (31, 2), got {base.shape}"
        assert np.allclose(base[1] - base[0], first, rtol=1e-8), (
            f"{method}: the first step should be {np.round(first, 5)}: one step divides g by the root of "
            "its own (averaged) square")
        for c in (1e3, 1e-3):
            scaled = np.asarray(getattr(student, method)(lambda x, c=c: c * p.grad(x), x0, *args), dtype=float)
            assert np.allclose(base, scaled, rtol=1e-6, atol=1e-9), (
                f"{method}: scaling the gradient by {c:g} changed the iterates; dividing by the root of the "
                "(averaged) squared gradients should cancel any scale")
