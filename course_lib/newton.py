r"""Newton's method.

Minimising the quadratic model :math:`m(d) = C(\theta) + g^\top d + \tfrac12 d^\top H d`
(with :math:`g = \nabla C(\theta)`, :math:`H = \nabla^2 C(\theta)`) means setting its
gradient :math:`g + H d` to zero, so the Newton step solves the linear system

.. math::

    H\, p = -g, \qquad \theta_{k+1} = \theta_k + p.

In one variable this is :math:`\theta_{k+1} = \theta_k - C'(\theta_k) / C''(\theta_k)`.
The iteration looks for a *stationary point*: it is attracted to maxima and saddles as
readily as to minima, and it is undefined where :math:`H` is singular.
"""

from __future__ import annotations

import numpy as np

from course_lib import checks

from course_lib.result import OptimizeResult


def newton_step(g, H):
    r"""The Newton step :math:`p` solving :math:`H p = -g`.

    Solves the system (an LU factorisation) rather than forming :math:`H^{-1}`.

    Parameters
    ----------
    g : array_like, shape (d,)
        Gradient at the current point.
    H : array_like, shape (d, d)
        Hessian at the current point.

    Raises
    ------
    numpy.linalg.LinAlgError
        If ``H`` is singular: the quadratic model then has no unique stationary point.

    References
    ----------
    000, eqs. (2.2)-(2.3); 004, eqs. (4.51), (4.54) and (4.56).

    Examples
    --------
    >>> newton_step(np.array([2.0, -4.0]), np.diag([2.0, 4.0]))
    array([-1.,  1.])
    """
    g = checks.array("g", g, atleast_1d=True, ndim=1)
    H = np.atleast_2d(checks.array("H", H))
    if H.shape != (g.size, g.size):
        raise ValueError(f"H has shape {H.shape} but g has {g.size} entries; H must be ({g.size}, {g.size}).")
    try:
        return np.linalg.solve(H, -g)
    except np.linalg.LinAlgError as err:
        raise np.linalg.LinAlgError(
            "the Hessian is singular, so the Newton step is undefined "
            "(the quadratic model has no unique stationary point)."
        ) from err


def newton(grad, hess, x0, *, fun=None, tol: float = 1e-10, maxiter: int = 50) -> OptimizeResult:
    r"""Iterate Newton steps from ``x0`` until :math:`\|\nabla C(\theta_k)\| \le` ``tol``.

    Parameters
    ----------
    grad, hess : callables
        Gradient and Hessian. For a function of one variable they may return scalars and
        ``x0`` may be a number; iterates are then arrays of shape ``(1,)``.
    x0 : array_like
        Starting point.
    fun : callable, optional
        The objective, only to report ``fun`` in the result.
    tol : float
        Stopping tolerance on the Euclidean norm of the gradient.
    maxiter : int
        Maximum number of Newton steps.

    Returns
    -------
    OptimizeResult
        ``history`` holds every iterate, ``x0`` first. ``status`` is 0 on convergence, 1 when
        ``maxiter`` is reached, 2 when a Hessian is singular, 3 when an iterate is not finite.

    References
    ----------
    004, Section 4.6, eq. (4.54); Nocedal and Wright, *Numerical Optimization*, Section 3.3.

    Examples
    --------
    >>> from course_lib.problems import overshoot_cubic
    >>> p = overshoot_cubic()
    >>> res = newton(p.grad, p.hess, 1.5)
    >>> res.history[:3, 0].round(4).tolist()
    [1.5, 5.25, 3.5956]
    """
    checks.real("tol", tol, positive=True)
    maxiter = checks.integer("maxiter", maxiter)
    x = checks.array("x0", x0, atleast_1d=True).copy()
    history = [x.copy()]
    njev = nhev = 0
    status, message = 1, f"Maximum number of iterations ({maxiter}) reached."
    g = np.atleast_1d(checks.returned("grad", grad(x), at=f"x0 = {checks.point(x)}"))
    njev += 1
    for _ in range(int(maxiter) + 1):
        if np.linalg.norm(g) <= tol:
            status, message = 0, "Gradient norm below tolerance."
            break
        if len(history) > maxiter:
            break
        H = np.atleast_2d(np.asarray(hess(x), dtype=float))
        nhev += 1
        if not np.all(np.isfinite(H)):
            status, message = 3, (f"Stopped at iteration {len(history) - 1}: the Hessian is not finite at "
                                  f"x = {checks.point(x)}.")
            break
        try:
            p = newton_step(g, H)
        except np.linalg.LinAlgError as err:
            status, message = 2, f"Stopped at iteration {len(history) - 1}: {err}"
            break
        x = x + p
        history.append(x.copy())
        if not np.all(np.isfinite(x)):
            status, message = 3, "An iterate is not finite: the iteration diverged."
            break
        g = np.atleast_1d(np.asarray(grad(x), dtype=float))
        njev += 1
        if not np.all(np.isfinite(g)):
            status, message = 3, (f"Stopped at iteration {len(history) - 1}: the gradient is not finite at "
                                  f"x = {checks.point(x)}.")
            break
    value = float(np.squeeze(fun(x))) if fun is not None and np.all(np.isfinite(x)) else float("nan")
    return OptimizeResult(
        x=x, fun=value, jac=g, nit=len(history) - 1, nfev=int(fun is not None), njev=njev,
        nhev=nhev, success=status == 0, status=status, message=message, history=np.array(history),
    )


def modified_hessian(H, beta: float = 1e-3):
    r"""A positive definite :math:`H + \tau I` by Cholesky with an added multiple of the identity
    (NW Algorithm 3.3): :math:`\tau = 0` if :math:`H` is already positive definite, otherwise
    the first of :math:`\tau_0 = \beta - \min_i h_{ii}, 2\tau_0, 4\tau_0, \dots` for which the
    Cholesky factorisation succeeds. Returns ``(L, tau)`` with :math:`LL^\top = H + \tau I`.

    >>> L, tau = modified_hessian(np.diag([2.0, -1.0]))
    >>> tau > 1.0, np.allclose(L @ L.T, np.diag([2.0 + tau, -1.0 + tau]))
    (True, True)
    """
    H = np.atleast_2d(checks.array("H", H))
    checks.real("beta", beta, positive=True)
    d = H.shape[0]
    diag_min = float(np.min(np.diag(H)))
    tau = 0.0 if diag_min > 0 else beta - diag_min
    for _ in range(100):
        try:
            return np.linalg.cholesky(H + tau * np.eye(d)), tau
        except np.linalg.LinAlgError:
            tau = max(2.0 * tau, beta)
    raise np.linalg.LinAlgError("No positive definite H + tau I found: is the Hessian finite?")


def safeguarded_newton(fun, grad, hess, x0, *, tol: float = 1e-10, maxiter: int = 100, c1: float = 1e-4,
                       beta: float = 1e-3) -> OptimizeResult:
    r"""Newton's method made globally convergent: the Hessian is replaced by the positive definite
    :math:`H_k + \tau_k I` of :func:`modified_hessian` (so :math:`p_k` is a descent direction even
    at a saddle or a maximum), and the step :math:`\alpha_k` is chosen by backtracking from 1
    (Armijo, :func:`course_lib.linesearch.backtracking`), all on the loop of
    :func:`course_lib.linesearch.descent`. Near a minimiser with a positive definite
    Hessian :math:`\tau_k = 0` and :math:`\alpha_k = 1`, so it becomes the pure method of :func:`newton`
    and converges quadratically (NW Section 3.4).

    >>> from course_lib.problems import rosenbrock
    >>> p = rosenbrock()
    >>> res = safeguarded_newton(p.fun, p.grad, p.hess, [-1.2, 1.0])
    >>> res.success, np.allclose(res.x, [1.0, 1.0])
    (True, True)
    """
    from dataclasses import replace

    from course_lib.linesearch import check_constants, descent

    check_constants(c1)
    hessians = []

    def direction(x, g):
        L, _ = modified_hessian(hess(x), beta)
        hessians.append(1)
        return -np.linalg.solve(L.T, np.linalg.solve(L, g))

    res = descent(fun, grad, x0, direction, search="backtracking", alpha0=1.0, c1=c1, tol=tol, maxiter=maxiter)
    return replace(res, nhev=len(hessians))
