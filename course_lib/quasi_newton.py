r"""Quasi-Newton methods: the secant method, BFGS, L-BFGS, and measuring an order of convergence.

Newton's method steps :math:`p_k = -H_k \nabla f_k` with :math:`H_k` the *inverse* Hessian.
Quasi-Newton methods keep an approximation :math:`H_k` built from gradients only: after a step
:math:`s_k = x_{k+1} - x_k` with gradient change :math:`y_k = \nabla f_{k+1} - \nabla f_k`, the
new matrix must satisfy the **secant equation**

.. math::

    H_{k+1} y_k = s_k ,

which in one variable is the secant method's slope :math:`(x_{k+1} - x_k)/(f'_{k+1} - f'_k)`.
A symmetric positive definite :math:`H_{k+1}` satisfying it exists only under the **curvature
condition** :math:`s_k^\top y_k > 0`, which a line search satisfying the (second) Wolfe condition
guarantees: :math:`y_k^\top s_k = \alpha_k(\phi'(\alpha_k) - \phi'(0)) \ge \alpha_k (c_2 - 1)\phi'(0) > 0`.

The BFGS update (NW eq. 6.17), with :math:`\rho_k = 1/(y_k^\top s_k)`,

.. math::

    H_{k+1} = (I - \rho_k s_k y_k^\top)\, H_k\, (I - \rho_k y_k s_k^\top) + \rho_k s_k s_k^\top ,

is the symmetric matrix closest to :math:`H_k` (in a weighted norm) that satisfies the secant
equation; it stays positive definite when :math:`H_k` is and :math:`s_k^\top y_k > 0`.
L-BFGS never forms :math:`H_k`: it keeps the last :math:`m` pairs :math:`(s_i, y_i)` and applies
the product of the updates to a vector with the *two-loop recursion* (NW Algorithm 7.4), in
:math:`O(md)` operations instead of BFGS's :math:`O(d^2)`.

Both methods run on :func:`course_lib.linesearch.descent`, the loop of 004's Algorithms 4.1 and 4.3
(a direction, a Wolfe line search, a step, an update); :func:`bfgs` and :func:`lbfgs` supply the
direction and the update.

Conventions: Nocedal and Wright's names (``xk, pk, gk, sk, yk, rho_k, Hk``); :math:`H` is the
inverse-Hessian approximation (004 writes :math:`B` for the Hessian approximation, and NW too;
:math:`H = B^{-1}`).

References
----------
Nocedal and Wright, *Numerical Optimization*, Sections 6.1 (BFGS, Algorithm 6.1), 7.2 (L-BFGS,
Algorithms 7.4 and 7.5) and 3.3 (rates of convergence); 004, Section 4.6 (secant method,
Algorithm 4.3, the secant equation, BFGS and L-BFGS).
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from typing import Callable

import numpy as np

from course_lib import checks
from course_lib.linesearch import check_constants, descent
from course_lib.result import OptimizeResult


def secant_method(dfun: Callable, x0: float, x1: float, *, tol: float = 1e-12, maxiter: int = 100) -> OptimizeResult:
    r"""Minimise a function of one variable by finding a zero of its derivative with secants:

    .. math::

        x_{k+1} = x_k - f'(x_k)\,\frac{x_k - x_{k-1}}{f'(x_k) - f'(x_{k-1})},

    Newton's method with :math:`f''(x_k)` replaced by the slope of :math:`f'` between the last two
    iterates (004, Section 4.6). Near a simple zero it converges with order
    :math:`(1+\sqrt5)/2 \approx 1.618`. Stops when :math:`|f'(x_k)| \le` ``tol``.

    >>> res = secant_method(lambda x: 2 * (x - 3.0), 0.0, 1.0)    # f = (x - 3)^2: f' is linear, one secant is exact
    >>> res.x, res.nit
    (array([3.]), 1)
    """
    if not tol > 0:
        raise ValueError(f"tol must be positive, got {tol}.")
    if x0 == x1:
        raise ValueError("x0 and x1 must differ: the first secant needs two distinct points.")
    xs = [float(x0), float(x1)]
    d_prev, d = float(dfun(xs[0])), float(dfun(xs[1]))
    njev = 2
    status, message = 1, f"Maximum number of iterations ({maxiter}) reached."
    for _ in range(int(maxiter)):
        if abs(d) <= tol:
            status, message = 0, "Derivative below tolerance."
            break
        if d == d_prev:
            status, message = 2, "Two equal derivatives: the secant is flat, the step undefined."
            break
        x_new = xs[-1] - d * (xs[-1] - xs[-2]) / (d - d_prev)
        if not np.isfinite(x_new):
            status, message = 3, "An iterate is not finite."
            break
        xs.append(x_new)
        d_prev, d = d, float(dfun(x_new))
        njev += 1
    else:
        if abs(d) <= tol:
            status, message = 0, "Derivative below tolerance."
    history = np.array(xs[1:])[:, None]                # x1 counts as the start
    return OptimizeResult(x=history[-1].copy(), fun=float("nan"), jac=np.array([d]), nit=len(history) - 1,
                          nfev=0, njev=njev, nhev=0, success=status == 0, status=status, message=message,
                          history=history)


def bfgs_update(Hk, sk, yk) -> np.ndarray:
    r"""The BFGS update of the inverse-Hessian approximation (NW eq. 6.17).

    Raises a ValueError when the curvature condition :math:`s_k^\top y_k > 0` fails: no
    symmetric positive definite matrix then satisfies the secant equation.

    >>> H = bfgs_update(np.eye(2), np.array([1.0, 0.0]), np.array([2.0, 1.0]))
    >>> np.allclose(H @ np.array([2.0, 1.0]), [1.0, 0.0]), np.allclose(H, H.T)
    (True, True)
    """
    Hk = np.asarray(Hk, dtype=float)
    sk = np.asarray(sk, dtype=float)
    yk = np.asarray(yk, dtype=float)
    d = sk.size
    if Hk.shape != (d, d) or yk.shape != sk.shape or sk.ndim != 1:
        raise ValueError(f"expected Hk ({d}, {d}) and vectors sk, yk of length {d}; got {Hk.shape}, {sk.shape}, {yk.shape}.")
    Hk, sk, yk = checks.array("Hk", Hk), checks.array("sk", sk), checks.array("yk", yk)
    sy = float(sk @ yk)
    if not sy > 0:
        raise ValueError(f"The curvature condition fails: s^T y = {sy:.3g} <= 0, so no positive definite H "
                         "satisfies the secant equation. Take the step with a Wolfe line search.")
    rho = 1.0 / sy
    Hy = Hk @ yk
    # (I - rho s y^T) H (I - rho y s^T) + rho s s^T, expanded so that it costs O(d^2)
    H_new = Hk - rho * (np.outer(sk, Hy) + np.outer(Hy, sk)) + (rho * rho * float(yk @ Hy) + rho) * np.outer(sk, sk)
    return 0.5 * (H_new + H_new.T)


def two_loop_recursion(gk, s_list, y_list, gamma: float = 1.0) -> np.ndarray:
    r"""L-BFGS's product :math:`H_k g_k` from the stored pairs (NW Algorithm 7.4), oldest pair first
    in ``s_list`` and ``y_list``, with :math:`H_k^0 = \gamma I`.

    The first loop runs from the newest pair to the oldest, the second from the oldest to the
    newest; the result equals the BFGS matrix built by applying :func:`bfgs_update` to
    :math:`\gamma I` with the same pairs, in order.

    >>> s, y = [np.array([1.0, 0.0])], [np.array([2.0, 1.0])]
    >>> np.allclose(two_loop_recursion(np.array([2.0, 1.0]), s, y), [1.0, 0.0])     # the secant equation
    True
    """
    q = checks.array("gk", gk, ndim=1).copy()
    if len(s_list) != len(y_list):
        raise ValueError(f"s_list and y_list must have the same length, got {len(s_list)} and {len(y_list)}.")
    checks.real("gamma", gamma, positive=True, hint=" (H0 = gamma I must be positive definite)")
    for i, (s, y) in enumerate(zip(s_list, y_list)):
        checks.matching(f"s_list[{i}]", s, "gk", q.shape)
        checks.matching(f"y_list[{i}]", y, "gk", q.shape)
    rhos = [1.0 / float(s @ y) for s, y in zip(s_list, y_list)]
    alphas = []
    for s, y, rho in zip(reversed(s_list), reversed(y_list), reversed(rhos)):     # newest to oldest
        a = rho * float(s @ q)
        q = q - a * y
        alphas.append(a)
    r = gamma * q
    for s, y, rho, a in zip(s_list, y_list, rhos, reversed(alphas)):                # oldest to newest
        b = rho * float(y @ r)
        r = r + (a - b) * s
    return r


def bfgs(f: Callable, grad: Callable, x0, *, H0=None, scale_H0: bool = True, c1: float = 1e-4, c2: float = 0.9,
         tol: float = 1e-8, maxiter: int = 500) -> OptimizeResult:
    r"""BFGS with a strong Wolfe line search (NW Algorithm 6.1): :func:`course_lib.linesearch.descent`
    with :math:`p_k = -H_k g_k` and :func:`bfgs_update` as the update.

    With ``H0=None`` the method starts from :math:`H_0 = I`; when ``scale_H0`` is true it replaces
    it, before the first update, by :math:`\frac{y_0^\top s_0}{y_0^\top y_0} I` (NW eq. 6.20), which
    fixes the scale of the problem. ``hess_inv`` is the final :math:`H_k`.

    >>> from course_lib.problems import rosenbrock
    >>> p = rosenbrock()
    >>> res = bfgs(p.fun, p.grad, [-1.2, 1.0])
    >>> res.success, np.allclose(res.x, [1.0, 1.0])
    (True, True)
    """
    d = checks.array("x0", x0, atleast_1d=True).size
    state = {"H": np.eye(d) if H0 is None else np.array(H0, dtype=float)}
    if state["H"].shape != (d, d):
        raise ValueError(f"H0 must have shape ({d}, {d}), got {state['H'].shape}.")
    checks.array("H0", state["H"])

    def update(s, y, k):
        if k == 0 and scale_H0 and H0 is None:
            state["H"] = float(y @ s) / float(y @ y) * np.eye(d)
        state["H"] = bfgs_update(state["H"], s, y)

    check_constants(c1, c2)
    res = descent(f, grad, x0, lambda x, g: -state["H"] @ g, update=update, search="wolfe", c1=c1, c2=c2,
                  tol=tol, maxiter=maxiter)
    return replace(res, hess_inv=state["H"])


H0_RULES = ("latest", "first", "identity")


def lbfgs(f: Callable, grad: Callable, x0, *, m: int = 10, h0: str = "latest", c1: float = 1e-4, c2: float = 0.9,
          tol: float = 1e-8, maxiter: int = 500) -> OptimizeResult:
    r"""L-BFGS with a strong Wolfe line search (NW Algorithm 7.5): :func:`course_lib.linesearch.descent`
    with the direction :math:`p_k = -H_k g_k` from :func:`two_loop_recursion` and the last ``m`` pairs.

    ``h0`` chooses :math:`H_k^0 = \gamma_k I`: ``"latest"`` uses
    :math:`\gamma_k = s_{k-1}^\top y_{k-1} / y_{k-1}^\top y_{k-1}` (NW eq. 7.20, the usual choice);
    ``"first"`` keeps the first pair's :math:`\gamma_0`, and ``"identity"`` uses :math:`\gamma = 1`.
    With ``m`` at least the number of steps, ``h0="first"`` gives the iterates of
    :func:`bfgs` (``scale_H0=True``) and ``h0="identity"`` those of ``bfgs(..., scale_H0=False)``.

    >>> from course_lib.problems import rosenbrock
    >>> p = rosenbrock()
    >>> res = lbfgs(p.fun, p.grad, [-1.2, 1.0], m=5)
    >>> res.success, np.allclose(res.x, [1.0, 1.0])
    (True, True)
    """
    if isinstance(m, bool) or int(m) != m or m < 1:
        raise ValueError(f"Invalid memory m={m!r}: it must be a positive integer (3 to 20 is usual).")
    if h0 not in H0_RULES:
        raise ValueError(f"Unknown h0 rule {h0!r}: use one of {H0_RULES}.")
    s_list, y_list = deque(maxlen=int(m)), deque(maxlen=int(m))
    state = {"gamma": 1.0, "first": None}

    def update(s, y, k):
        sy = float(s @ y)
        if not sy > 0:
            raise ValueError(f"The curvature condition failed (s^T y = {sy:.3g}) although the Wolfe line search succeeded.")
        s_list.append(s)
        y_list.append(y)
        latest = sy / float(y @ y)
        state["first"] = latest if state["first"] is None else state["first"]
        state["gamma"] = {"latest": latest, "first": state["first"], "identity": 1.0}[h0]

    def direction(x, g):
        return -two_loop_recursion(g, list(s_list), list(y_list), state["gamma"])

    check_constants(c1, c2)
    return descent(f, grad, x0, direction, update=update, search="wolfe", c1=c1, c2=c2, tol=tol, maxiter=maxiter)


def convergence_order(errors, floor: float = 1e-13, tail: int = 4) -> float:
    r"""Estimate the order :math:`q` of convergence from errors :math:`e_k \to 0`.

    If :math:`e_{k+1} \approx C e_k^q`, the points :math:`(\log e_k, \log e_{k+1})` lie on a line of
    slope :math:`q`. The estimate is the least-squares slope through the last ``tail`` such pairs;
    with two pairs it is the classic three-error formula

    .. math::

        q \approx \frac{\log(e_{k+1}/e_k)}{\log(e_k/e_{k-1})} .

    A fit over several pairs is steadier when the ratios oscillate (the zig-zag of gradient
    descent alternates two contraction factors). Errors at or below ``floor`` are dropped (there
    rounding, not the method, decides the error). :math:`q = 1` is linear convergence (gradient
    descent), :math:`1 < q < 2` superlinear (the secant method's 1.618), :math:`q = 2` quadratic
    (Newton). Superlinear convergence in the strict sense, :math:`e_{k+1}/e_k \to 0`, can hide
    behind a fitted :math:`q` near 1 on short runs; look at the ratios too.

    >>> round(convergence_order([0.5 ** k for k in range(1, 20)]), 6)
    1.0
    >>> round(convergence_order([1e-1, 1e-2, 1e-4, 1e-8]), 6)
    2.0
    """
    if isinstance(tail, bool) or not isinstance(tail, int) or tail < 2:
        raise ValueError(f"tail must be an integer >= 2 (a slope needs two pairs), got {tail!r}.")
    e = np.abs(np.asarray(errors, dtype=float)).ravel()
    e = e[np.isfinite(e) & (e > floor)]
    if e.size < 3 or not np.all(np.diff(e[-(tail + 1):]) < 0):
        raise ValueError("Need at least three decreasing errors above the floor to estimate an order "
                         f"(got {e.size} usable errors); run longer or lower the floor.")
    logs = np.log(e[-(tail + 1):])
    return float(np.polyfit(logs[:-1], logs[1:], 1)[0])
