"""Hidden tests, task 4: linear conjugate gradients."""

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


@pytest.mark.points(1)
def test_solves_in_at_most_d_steps(student):
    """dimensions 2 to 40, eigenvalues in [1, 10]: the last iterate solves A x = b and there are at
    most d steps"""
    for d in (2, 7, 15, 40):
        A = spd_matrix(np.linspace(1.0, 10.0, d), seed=d)
        b = np.random.default_rng(d).normal(size=d)
        x0 = np.random.default_rng(d + 1).normal(size=d)
        got = np.asarray(student.conjugate_gradient(A, b, x0, 1e-10, 10 * d), dtype=float)
        assert got.ndim == 2 and got.shape[1] == d, f"return the iterates, shape (k + 1, {d})"
        assert np.allclose(got[0], x0), "the first iterate is x0"
        if got.shape[0] - 1 > d or not np.allclose(got[-1], np.linalg.solve(A, b), atol=1e-8):
            diagnose(got, A, b, x0)
            assert np.allclose(got[-1], np.linalg.solve(A, b), atol=1e-8), f"the last iterate does not solve A x = b (d = {d})"
            pytest.fail(f"{got.shape[0] - 1} steps for d = {d}: conjugate gradients needs at most d")


@pytest.mark.points(1)
def test_iterates_and_conjugate_directions(student):
    """every iterate equals the reference (NW Algorithm 5.2) and the steps are A-conjugate"""
    d = 12
    A = spd_matrix(np.geomspace(1.0, 50.0, d), seed=5)
    b = np.ones(d)
    got = np.asarray(student.conjugate_gradient(A, b, np.zeros(d), 1e-12, 100), dtype=float)
    want = conjugate_gradient(A, b, np.zeros(d), tol=1e-12 / np.linalg.norm(b), maxiter=100).history
    n = min(len(got), len(want), 8)
    if not np.allclose(got[:n], want[:n], rtol=1e-7, atol=1e-9):
        diagnose(got[:n], A, b, np.zeros(d))
        pytest.fail("the iterates differ from conjugate gradients (NW Algorithm 5.2)")
    steps = np.diff(got[:n], axis=0)
    steps = steps / np.sqrt(np.einsum("ij,jk,ik->i", steps, A, steps))[:, None]
    G = steps @ A @ steps.T
    assert np.max(np.abs(G - np.diag(np.diag(G)))) < 1e-6, "the directions should be A-conjugate"
