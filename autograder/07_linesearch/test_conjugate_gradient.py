"""Hidden tests, task 4: linear conjugate gradients.

Margins (checked by hand, default and Prescott kernels, residuals updated recursively or
recomputed as A x - b): in every run whose stopping point matters, the residual norm at the
stopping iterate and at the one before is at least 190 times away from its threshold. In
dimensions 2 to 20 with eigenvalues in [1, 10] the residual falls from more than 1900 tol to
less than 1e-4 tol at step d; in dimension 40, with five distinct eigenvalues, from more than
1e10 tol to less than 1e-3 tol at step 5. The tolerance cases use a matrix with eigenvalues in
[1, 1 + 1e-5], where each step divides the residual by about 2e5: with |b| = 1e6 (1e-6) the
absolute rule stops at step 2 (1) and the relative rule |r| <= tol |b| at step 1 (2), each
with a margin of at least 380.
"""

import numpy as np
import pytest

from course_lib.cg import conjugate_gradient
from course_lib.problems import spd_matrix


def diagnose(got, A, b, x0):
    """Name the classic mistakes by running them."""
    def run(beta_rule):
        x, r = x0.copy(), A @ x0 - b
        p, xs = -r, [x0.copy()]
        for _ in range(len(got) - 1):
            Ap = A @ p
            alpha = (r @ r) / (p @ Ap)
            x = x + alpha * p
            r_new = r + alpha * Ap
            p = -r_new + beta_rule(r, r_new, p, Ap) * p
            r = r_new
            xs.append(x.copy())
        return np.array(xs)

    for rule, hint in ((lambda r, rn, p, Ap: 0.0, "beta = 0: this is steepest descent with exact steps, not conjugate gradients"),
                       (lambda r, rn, p, Ap: (r @ r) / (rn @ rn), "beta is inverted: beta = r_(k+1)^T r_(k+1) / r_k^T r_k"),
                       (lambda r, rn, p, Ap: -(rn @ rn) / (r @ r), "the direction update has the wrong sign: p_(k+1) = -r_(k+1) + beta p_k")):
        wrong = run(rule)
        if wrong.shape == got.shape and np.allclose(wrong, got, rtol=1e-8, atol=1e-10):
            pytest.fail(hint)


def iterates(student, A, b, x0, tol, maxiter):
    got = np.asarray(student.conjugate_gradient(A, b, x0, tol, maxiter), dtype=float)
    assert got.ndim == 2 and got.shape[1] == len(b), "return the iterates x0, x1, ... as an array of shape (k + 1, d)"
    assert np.allclose(got[0], x0), "the first iterate is x0"
    return got


@pytest.mark.points(0.5)
def test_solves_in_at_most_d_steps(student):
    """dimensions 2 to 40, eigenvalues in [1, 10]: the last iterate solves A x = b and there are at
    most d steps"""
    for d in (2, 7, 15, 20, 40):
        # d = 40: five distinct eigenvalues, eight times each (d distinct ones would take the residual
        # past tol gradually, by a factor of about 3 a step, before step d)
        eigenvalues = np.repeat([1.0, 3.0, 5.0, 8.0, 10.0], 8) if d == 40 else np.linspace(1.0, 10.0, d)
        A = spd_matrix(eigenvalues, seed=d)
        b = np.random.default_rng(d).normal(size=d)
        x0 = np.random.default_rng(d + 1).normal(size=d)
        got = iterates(student, A, b, x0, 1e-10, 10 * d)
        if got.shape[0] - 1 > d or not np.allclose(got[-1], np.linalg.solve(A, b), atol=1e-8):
            diagnose(got, A, b, x0)
            assert np.allclose(got[-1], np.linalg.solve(A, b), atol=1e-8), "the last iterate does not solve A x = b"
            pytest.fail("more than d steps: conjugate gradients needs at most d steps in dimension d")


@pytest.mark.points(0.5)
def test_iterates_and_conjugate_directions(student):
    """every iterate equals the reference (NW Algorithm 5.2) and the steps are A-conjugate"""
    d = 12
    A = spd_matrix(np.geomspace(1.0, 50.0, d), seed=5)
    b = np.ones(d)
    got = iterates(student, A, b, np.zeros(d), 1e-12, 100)
    want = conjugate_gradient(A, b, np.zeros(d), tol=1e-12 / np.linalg.norm(b), maxiter=100).history
    n = 8                                            # the reference takes more than 8 steps here
    assert len(want) > n
    if len(got) < n or not np.allclose(got[:n], want[:n], rtol=1e-7, atol=1e-9):
        diagnose(got[:n], A, b, np.zeros(d))
        if len(got) < n:
            pytest.fail("the run stopped long before the residual norm reached tol")
        pytest.fail("the iterates differ from conjugate gradients (NW Algorithm 5.2)")
    steps = np.diff(got[:n], axis=0)
    steps = steps / np.sqrt(np.einsum("ij,jk,ik->i", steps, A, steps))[:, None]
    G = steps @ A @ steps.T
    assert np.max(np.abs(G - np.diag(np.diag(G)))) < 1e-6, "the directions should be A-conjugate"


# Eigenvalues in [1, 1 + 1e-5]: each step divides the residual by about 2e5 (see the module's docstring).
A_FLAT = spd_matrix(np.linspace(1.0, 1.0 + 1e-5, 5), seed=7)
U = np.random.default_rng(7).normal(size=5)
U = U / np.linalg.norm(U)
# integers: x0 = A^{-1} b exactly, so r_0 = A x0 - b = 0 exactly
A_INT = np.array([[5.0, 2.0, 0.0], [2.0, 4.0, 1.0], [0.0, 1.0, 3.0]])
X_INT = np.array([1.0, -2.0, 3.0])


@pytest.mark.points(0.5)
def test_stops_on_the_absolute_tolerance(student):
    """stops at the first k with ||r_k|| <= tol, an absolute tolerance (right-hand sides of norm far
    from 1), and returns x0 alone when r_0 = 0 already"""
    for scale, tol in ((1e6, 2e-3), (1e-6, 2e-9)):
        b = scale * U
        x0 = np.zeros(5)
        got = iterates(student, A_FLAT, b, x0, tol, 50)
        want = conjugate_gradient(A_FLAT, b, x0, tol=tol / scale, maxiter=50).history       # absolute tol
        relative = conjugate_gradient(A_FLAT, b, x0, tol=tol, maxiter=50).history           # tol * ||b||
        if len(got) != len(want):
            if len(got) == len(relative):
                pytest.fail("the run stops on a relative tolerance (||r_k|| <= tol ||b|| or tol ||r_0||): the task "
                            "asks for the absolute one, ||r_k|| <= tol")
            pytest.fail("the run does not stop at the first k with ||r_k|| <= tol: check the stopping test "
                        "before every step")
        residuals = np.linalg.norm(got[-2:] @ A_FLAT - b, axis=1)
        assert residuals[-1] <= tol < residuals[0], \
            "the last iterate should be the first whose residual norm ||A x_k - b|| is <= tol"
    b = A_INT @ X_INT
    got = np.asarray(student.conjugate_gradient(A_INT, b, X_INT, 1e-10, 20), dtype=float)
    if got.ndim == 2 and len(got) > 1:
        pytest.fail("x0 already solves A x = b (r_0 = 0): test ||r_k|| <= tol before each step, so that such an "
                    "x0 is returned alone")
    assert got.shape == (1, 3) and np.array_equal(got[0], X_INT), \
        "x0 already solves A x = b (r_0 = 0): return x0 alone, shape (1, d)"


@pytest.mark.points(0.5)
def test_stops_after_maxiter_steps(student):
    """stops after maxiter steps (maxiter + 1 iterates) when the tolerance is not reached"""
    d = 10
    A = spd_matrix(np.linspace(1.0, 10.0, d), seed=11)
    b = np.random.default_rng(11).normal(size=d)
    for maxiter in (3, 1):
        got = iterates(student, A, b, np.zeros(d), 1e-12, maxiter)
        assert len(got) == maxiter + 1, ("with maxiter steps the run returns maxiter + 1 iterates (x0 included) when "
                                         "the tolerance is not reached first: take at most maxiter steps")
