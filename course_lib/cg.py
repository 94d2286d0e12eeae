r"""The linear conjugate gradient method (Nocedal and Wright, Algorithm 5.2).

Minimising the quadratic :math:`\phi(x) = \tfrac12 x^\top A x - b^\top x` with :math:`A` symmetric
positive definite is solving :math:`Ax = b`. Conjugate gradients takes an **exact** line search
(:func:`course_lib.linesearch.exact_step_quadratic`) along directions that are *conjugate*,
:math:`p_i^\top A p_j = 0` for :math:`i \ne j`, each built from the new residual
:math:`r_k = Ax_k - b = \nabla\phi(x_k)` and the previous direction:

.. math::

    \alpha_k = \frac{r_k^\top r_k}{p_k^\top A p_k}, \quad x_{k+1} = x_k + \alpha_k p_k, \quad
    r_{k+1} = r_k + \alpha_k A p_k, \quad
    \beta_{k+1} = \frac{r_{k+1}^\top r_{k+1}}{r_k^\top r_k}, \quad p_{k+1} = -r_{k+1} + \beta_{k+1} p_k,

starting from :math:`p_0 = -r_0`. In exact arithmetic it reaches the minimiser in at most
:math:`d` steps (NW Theorem 5.1); in floating point the directions lose conjugacy, and on
ill-conditioned matrices more steps are needed.

References
----------
Nocedal and Wright, *Numerical Optimization*, Section 5.1; 004, Section 4.5.
"""

from __future__ import annotations

import numpy as np

from course_lib import checks
from course_lib.result import OptimizeResult


def conjugate_gradient(A, b, x0=None, *, tol: float = 1e-10, maxiter: int | None = None) -> OptimizeResult:
    r"""Solve :math:`Ax = b` (minimise :math:`\tfrac12 x^\top A x - b^\top x`) by conjugate gradients.

    Stops when :math:`\|r_k\| \le` ``tol`` :math:`\|b\|` (or :math:`\|r_k\| \le` ``tol`` if
    :math:`b = 0`). ``maxiter`` defaults to :math:`10d`. ``jac`` is the final residual
    :math:`Ax - b`, ``history`` every iterate.

    >>> A = np.array([[4.0, 1.0], [1.0, 3.0]])
    >>> res = conjugate_gradient(A, np.array([1.0, 2.0]))
    >>> res.nit, np.allclose(A @ res.x, [1.0, 2.0])
    (2, True)
    """
    A = np.asarray(A, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be a square matrix, got shape {A.shape}.")
    A = checks.array("A", A)
    d = A.shape[0]
    b = np.asarray(b, dtype=float)
    if b.shape != (d,):
        raise ValueError(f"b must have shape ({d},) to match A, got {b.shape}.")
    b = checks.array("b", b)
    if not np.allclose(A, A.T, rtol=1e-12, atol=1e-12 * np.abs(A).max(initial=0.0)):
        raise ValueError("A must be symmetric: conjugate gradients minimises 1/2 x^T A x - b^T x.")
    checks.real("tol", tol, positive=True)
    maxiter = 10 * d if maxiter is None else checks.integer("maxiter", maxiter)
    x = np.zeros(d) if x0 is None else np.array(x0, dtype=float)
    if x.shape != (d,):
        raise ValueError(f"x0 must have shape ({d},), got {x.shape}.")
    x = checks.array("x0", x).copy()
    r = A @ x - b
    p = -r
    rr = float(r @ r)
    target = tol * (np.linalg.norm(b) or 1.0)
    history = [x.copy()]
    status, message = 1, f"Maximum number of iterations ({maxiter}) reached."
    for k in range(maxiter + 1):
        if np.sqrt(rr) <= target:
            status, message = 0, "Residual below tolerance."
            break
        if k == maxiter:
            break
        Ap = A @ p
        curv = float(p @ Ap)
        if curv <= 0:
            raise ValueError(f"A is not positive definite: p^T A p = {curv:.3g} at iteration {k}, "
                             "so the quadratic has no minimiser.")
        alpha = rr / curv
        x = x + alpha * p
        r = r + alpha * Ap
        rr_new = float(r @ r)
        p = -r + (rr_new / rr) * p
        rr = rr_new
        history.append(x.copy())
    return OptimizeResult(x=x, fun=float(0.5 * x @ A @ x - b @ x), jac=r, nit=len(history) - 1, nfev=0,
                          njev=len(history), nhev=0, success=status == 0, status=status, message=message,
                          history=np.array(history))
