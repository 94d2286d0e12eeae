r"""Line searches: how far to go along a descent direction.

Along a direction :math:`p_k` from :math:`x_k` the objective becomes a function of one variable,

.. math::

    \phi(\alpha) = f(x_k + \alpha p_k), \qquad \phi'(\alpha) = \nabla f(x_k + \alpha p_k)^\top p_k,

and :math:`p_k` is a *descent direction* when :math:`\phi'(0) = g_k^\top p_k < 0`. With
:math:`0 < c_1 < c_2 < 1` (Nocedal and Wright use :math:`c_1 = 10^{-4}`, :math:`c_2 = 0.9`), a step
:math:`\alpha > 0` satisfies

- the **Armijo** (sufficient decrease) condition :math:`\phi(\alpha) \le \phi(0) + c_1\alpha\,\phi'(0)`;
- the **curvature** condition :math:`\phi'(\alpha) \ge c_2\,\phi'(0)`: the slope has flattened;
- the **strong curvature** condition :math:`|\phi'(\alpha)| \le c_2\,|\phi'(0)|`.

Armijo and curvature together are the (weak) **Wolfe** conditions, Armijo and strong curvature
the **strong Wolfe** conditions (NW eqs. 3.6 and 3.7; 004, Section 4.5).

- :func:`exact_step_quadratic` minimises :math:`\phi` in closed form for a quadratic;
  :func:`exact_line_search` minimises it numerically for any smooth :math:`f`;
- :func:`backtracking` shrinks a trial step until Armijo holds (NW Algorithm 3.1);
- :func:`wolfe_line_search` brackets and zooms until the strong Wolfe conditions hold
  (NW Algorithms 3.5 and 3.6);
- :func:`descent` is the loop every line-search method runs on (a direction, a search, a step,
  an optional update); :func:`line_search_descent` is steepest descent with any of the searches.

Every search returns a :class:`LineSearchResult` saying which step it accepted, how many
evaluations it used, and every trial step, so that a figure can show what it tried.

References
----------
J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer (2006), Chapter 3;
004, Section 4.5 (exact line search, backtracking, the Wolfe conditions).
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from course_lib import checks
from course_lib.result import OptimizeResult


# --------------------------------------------------------------------------------- conditions


def armijo(phi0: float, dphi0: float, phi_alpha: float, alpha: float, c1: float = 1e-4) -> bool:
    r"""Sufficient decrease: :math:`\phi(\alpha) \le \phi(0) + c_1 \alpha \phi'(0)`.

    >>> armijo(phi0=1.0, dphi0=-2.0, phi_alpha=0.5, alpha=0.5, c1=0.1)
    True
    """
    return bool(phi_alpha <= phi0 + c1 * alpha * dphi0)


def curvature(dphi0: float, dphi_alpha: float, c2: float = 0.9) -> bool:
    r"""The (weak) curvature condition :math:`\phi'(\alpha) \ge c_2 \phi'(0)`."""
    return bool(dphi_alpha >= c2 * dphi0)


def strong_curvature(dphi0: float, dphi_alpha: float, c2: float = 0.9) -> bool:
    r"""The strong curvature condition :math:`|\phi'(\alpha)| \le c_2 |\phi'(0)|`."""
    return bool(abs(dphi_alpha) <= c2 * abs(dphi0))


def wolfe(phi0, dphi0, phi_alpha, dphi_alpha, alpha, c1: float = 1e-4, c2: float = 0.9, strong: bool = False) -> bool:
    """The Wolfe conditions (``strong=True``: the strong Wolfe conditions) at step ``alpha``."""
    check_constants(c1, c2)
    bend = strong_curvature if strong else curvature
    return armijo(phi0, dphi0, phi_alpha, alpha, c1) and bend(dphi0, dphi_alpha, c2)


def check_constants(c1: float, c2: float | None = None) -> None:
    """Raise a ValueError unless ``0 < c1 < 1`` (and ``c1 < c2 < 1`` when ``c2`` is given)."""
    if not (isinstance(c1, (int, float, np.floating)) and 0 < c1 < 1):
        raise ValueError(f"Invalid c1={c1!r}: the Armijo constant must lie in (0, 1); 1e-4 is usual.")
    if c2 is not None and not (isinstance(c2, (int, float, np.floating)) and c1 < c2 < 1):
        raise ValueError(f"Invalid c2={c2!r} for c1={c1!r}: the Wolfe constants need 0 < c1 < c2 < 1 "
                         "(c2 = 0.9 for quasi-Newton methods, 0.1 for conjugate gradients).")


# ------------------------------------------------------------------------------------- the ray


class Ray:
    r"""The one-dimensional restriction :math:`\phi(\alpha) = f(x_k + \alpha p_k)` of ``f``.

    Counts the evaluations of ``f`` and ``grad`` it makes, and checks that :math:`p_k` is a
    descent direction.

    >>> ray = Ray(lambda x: x @ x, lambda x: 2 * x, np.array([1.0, 0.0]), np.array([-1.0, 0.0]))
    >>> ray.phi0, ray.dphi0, ray.phi(1.0), ray.dphi(0.5)
    (1.0, -2.0, 0.0, -1.0)
    """

    def __init__(self, f: Callable, grad: Callable, xk, pk, fk: float | None = None, gk=None):
        self.f, self.grad = f, grad
        self.xk = checks.array("xk", xk, atleast_1d=True)
        self.pk = checks.array("pk", pk, atleast_1d=True)
        if self.pk.shape != self.xk.shape:
            raise ValueError(f"pk has shape {self.pk.shape} but xk has shape {self.xk.shape}; they must match.")
        self.nfev = self.njev = 0
        self.phi0 = float(f(self.xk)) if fk is None else float(fk)
        self.nfev += fk is None
        g0 = np.asarray(grad(self.xk), dtype=float) if gk is None else np.asarray(gk, dtype=float)
        self.njev += gk is None
        self.dphi0 = float(g0 @ self.pk)
        if not (math.isfinite(self.phi0) and math.isfinite(self.dphi0)):
            raise ValueError(f"f or its gradient is not finite at xk (f = {self.phi0}, g^T p = {self.dphi0}).")
        if self.dphi0 >= 0:
            raise ValueError(f"pk is not a descent direction: g^T p = {self.dphi0:.3g} >= 0. "
                             "Use -g, or -H^{-1} g with a positive definite H.")
        self._last_grad = None

    def point(self, alpha: float) -> np.ndarray:
        return self.xk + alpha * self.pk

    def phi(self, alpha: float) -> float:
        self.nfev += 1
        return float(self.f(self.point(alpha)))

    def dphi(self, alpha: float) -> float:
        self.njev += 1
        g = np.asarray(self.grad(self.point(alpha)), dtype=float)
        self._last_grad = (alpha, g)
        return float(g @ self.pk)

    def gradient_at(self, alpha: float):
        """The gradient at ``xk + alpha pk`` if the last ``dphi`` call computed it, else ``None``."""
        if self._last_grad is not None and self._last_grad[0] == alpha:
            return self._last_grad[1]
        return None


class LineSearchResult(NamedTuple):
    """What a line search accepted and what it cost.

    Attributes
    ----------
    alpha : float
        The accepted step (the best one found when ``success`` is false).
    phi, dphi : float
        :math:`\\phi(\\alpha)` and :math:`\\phi'(\\alpha)` (``nan`` if the search never needed it).
    phi0, dphi0 : float
        :math:`\\phi(0)` and :math:`\\phi'(0)`.
    nfev, njev : int
        Evaluations of ``f`` and of its gradient.
    success : bool
    message : str
    trials : tuple of float
        Every step tried, in order (the last one is ``alpha`` on success).
    gnew : ndarray or None
        The gradient at the accepted point when the search computed it (saves a call).
    """

    alpha: float
    phi: float
    dphi: float
    phi0: float
    dphi0: float
    nfev: int
    njev: int
    success: bool
    message: str
    trials: tuple
    gnew: np.ndarray | None = None


def _result(ray: Ray, alpha, phi, dphi, success, message, trials) -> LineSearchResult:
    return LineSearchResult(float(alpha), float(phi), float(dphi), ray.phi0, ray.dphi0, ray.nfev, ray.njev,
                            bool(success), message, tuple(float(t) for t in trials), ray.gradient_at(alpha))


# ------------------------------------------------------------------------------ exact searches


def exact_step_quadratic(A, gk, pk) -> float:
    r"""The exact minimiser along :math:`p_k` of a quadratic with Hessian :math:`A`.

    For :math:`f(x) = \tfrac12 x^\top A x - b^\top x`, :math:`\phi(\alpha) = f(x_k) + \alpha\, g_k^\top p_k
    + \tfrac12\alpha^2 p_k^\top A p_k`, minimised at

    .. math::

        \alpha^\star = -\frac{g_k^\top p_k}{p_k^\top A p_k}

    (004, Section 4.5; NW eq. 3.55). Needs :math:`p_k^\top A p_k > 0`.

    >>> exact_step_quadratic(np.diag([1.0, 10.0]), np.array([1.0, 10.0]), np.array([-1.0, -10.0]))
    0.1008991008991009
    """
    A = np.atleast_2d(np.asarray(A, dtype=float))
    gk = np.atleast_1d(np.asarray(gk, dtype=float))
    pk = np.atleast_1d(np.asarray(pk, dtype=float))
    if A.shape != (gk.size, gk.size) or pk.shape != gk.shape:
        raise ValueError(f"A must be ({gk.size}, {gk.size}) and pk shaped like gk {gk.shape}; got {A.shape} and {pk.shape}.")
    curv = float(pk @ A @ pk)
    if curv <= 0:
        raise ValueError(f"p^T A p = {curv:.3g} <= 0: the quadratic is not bounded below along pk, "
                         "so there is no exact step (A must be positive definite).")
    slope = float(gk @ pk)
    if slope >= 0:
        raise ValueError(f"pk is not a descent direction: g^T p = {slope:.3g} >= 0.")
    return -slope / curv


def exact_line_search(f: Callable, grad: Callable, xk, pk, *, alpha0: float = 1.0, tol: float = 1e-12,
                      maxiter: int = 200, fk: float | None = None, gk=None) -> LineSearchResult:
    r"""A local minimiser of :math:`\phi(\alpha)` for :math:`\alpha > 0`, found numerically.

    *Bracketing*: from ``alpha0``, the step doubles while :math:`\phi` keeps falling with
    :math:`\phi' < 0`; an interval :math:`[\alpha_{lo}, \alpha_{hi}]` with :math:`\phi'(\alpha_{lo}) < 0
    \le \phi'(\alpha_{hi})` contains a minimiser. If a trial lands higher than the best point so far
    (it jumped over a valley), the interval is halved towards the best point instead, so the
    search never walks past a minimiser it has seen the slope of. *Refining*: the zero of
    :math:`\phi'` in the bracket by regula falsi with the Illinois modification, until
    :math:`|\phi'(\alpha)| \le` ``tol`` :math:`|\phi'(0)|`, or until the bracket is as narrow as
    rounding allows: in :math:`\alpha`, or in :math:`x` (a trial whose point :math:`x_k + \alpha p_k` is
    that of an end, where :math:`\phi'` is known, which happens near a minimiser once the steps fall
    below the rounding of :math:`x_k`); successive gradients are then orthogonal to that relative
    accuracy. Exact line search is rarely worth its cost in practice; it is here to show its
    properties (004, Section 4.5).

    >>> f = lambda x: float(x @ np.diag([1.0, 10.0]) @ x / 2)
    >>> g = lambda x: np.diag([1.0, 10.0]) @ x
    >>> res = exact_line_search(f, g, np.array([1.0, 1.0]), -g(np.array([1.0, 1.0])))
    >>> round(res.alpha, 12), res.success
    (0.100899100899, True)
    """
    if not tol > 0:
        raise ValueError(f"tol must be positive, got {tol}.")
    if not alpha0 > 0:
        raise ValueError(f"Invalid alpha0={alpha0!r}: the first trial step must be positive.")
    ray = Ray(f, grad, xk, pk, fk, gk)
    trials = []
    lo, phi_lo, dlo = 0.0, ray.phi0, ray.dphi0
    hi, upper = float(alpha0), math.inf          # upper: a trial known to lie beyond a minimiser
    for _ in range(400):
        trials.append(hi)
        phi_hi = ray.phi(hi)
        dhi = ray.dphi(hi) if math.isfinite(phi_hi) else math.nan
        if math.isfinite(dhi) and dhi >= 0:
            break                                  # phi' changed sign: [lo, hi] brackets a zero of phi'
        if not math.isfinite(phi_hi) or phi_hi > phi_lo + 8 * np.finfo(float).eps * abs(phi_lo):
            upper = hi                             # rose above the best point: a valley was jumped over
        else:
            lo, phi_lo, dlo = hi, phi_hi, dhi      # still going down: move on
        hi = 0.5 * (lo + upper) if math.isfinite(upper) else 2.0 * hi
        if hi > 1e12 * max(1.0, alpha0):
            raise ValueError("phi keeps decreasing along the ray: f is unbounded below in this direction.")
    else:
        raise ValueError("Could not bracket a minimiser along the ray: is f smooth and bounded below?")
    side = 0
    alpha, dalpha = hi, dhi
    # The points x_k + alpha p_k of the bracket's ends and phi' there (dlo and dhi are scaled by
    # the Illinois rule, tlo and thi are not).
    at_lo, at_hi, tlo, thi, stuck = ray.point(lo).tobytes(), ray.point(hi).tobytes(), dlo, dhi, False
    resolved = lambda: (abs(dalpha) <= tol * abs(ray.dphi0) or hi - lo <= 1e-14 * hi   # noqa: E731
                        or stuck)
    for _ in range(int(maxiter)):
        if resolved():                          # phi' = 0 to tol, or the bracket at rounding level (in alpha or x)
            break
        alpha = hi - dhi * (hi - lo) / (dhi - dlo)          # secant through the bracket ends
        if not lo < alpha < hi:
            alpha = 0.5 * (lo + hi)
        trials.append(alpha)
        here = ray.point(alpha).tobytes()
        if here == at_lo or here == at_hi:
            # x_k + alpha p_k is an end's point: the steps along p_k are below the rounding of
            # x_k, nothing is left to refine, and phi'(alpha) is that end's (no new evaluation)
            dalpha, stuck = (tlo if here == at_lo else thi), True
            break
        dalpha = ray.dphi(alpha)
        if dalpha < 0:
            lo, dlo, tlo, at_lo = alpha, dalpha, dalpha, here
            if side == -1:
                dhi *= 0.5                                  # Illinois: stop the same end sticking
            side = -1
        else:
            hi, dhi, thi, at_hi = alpha, dalpha, dalpha, here
            if side == 1:
                dlo *= 0.5
            side = 1
    phi = ray.phi(alpha)
    success = resolved()
    message = "phi'(alpha) = 0 to the tolerance." if success else f"Not converged in {maxiter} iterations."
    return _result(ray, alpha, phi, dalpha, success, message, trials)


# ---------------------------------------------------------------------------- inexact searches


def backtracking(f: Callable, grad: Callable, xk, pk, *, alpha0: float = 1.0, rho: float = 0.5, c1: float = 1e-4,
                 maxiter: int = 60, fk: float | None = None, gk=None) -> LineSearchResult:
    r"""Backtracking line search (NW Algorithm 3.1): try :math:`\alpha_0, \rho\alpha_0, \rho^2\alpha_0, \dots`
    and accept the first step that satisfies the Armijo condition.

    Only function values are needed after :math:`\phi'(0)`. The accepted step is not too short
    because the previous trial, :math:`\alpha/\rho`, failed Armijo.

    >>> p = lambda x: float(x @ x)
    >>> res = backtracking(p, lambda x: 2 * x, np.array([1.0]), np.array([-4.0]))
    >>> res.trials, res.alpha, res.success
    ((1.0, 0.5, 0.25), 0.25, True)
    """
    check_constants(c1)
    if not 0 < rho < 1:
        raise ValueError(f"Invalid rho={rho!r}: the backtracking factor must lie in (0, 1); 0.5 is usual.")
    if not alpha0 > 0:
        raise ValueError(f"Invalid alpha0={alpha0!r}: the first trial step must be positive.")
    ray = Ray(f, grad, xk, pk, fk, gk)
    alpha, trials = float(alpha0), []
    for _ in range(int(maxiter)):
        trials.append(alpha)
        phi = ray.phi(alpha)
        if math.isfinite(phi) and armijo(ray.phi0, ray.dphi0, phi, alpha, c1):
            return _result(ray, alpha, phi, float("nan"), True, "Armijo condition satisfied.", trials)
        alpha *= rho
    return _result(ray, alpha / rho, phi, float("nan"), False,
                   f"No step satisfied the Armijo condition in {maxiter} trials.", trials)


def wolfe_line_search(f: Callable, grad: Callable, xk, pk, *, c1: float = 1e-4, c2: float = 0.9, alpha0: float = 1.0,
                      alpha_max: float = 1e3, maxiter: int = 50, fk: float | None = None, gk=None) -> LineSearchResult:
    r"""A step satisfying the **strong Wolfe** conditions (NW Algorithms 3.5 and 3.6).

    *Bracketing* (3.5): from ``alpha0``, double the step until an interval must contain
    acceptable steps: the trial violates Armijo, or :math:`\phi` stopped decreasing, or
    :math:`\phi'` turned non-negative. *Zoom* (3.6): shrink that interval, trying the minimiser
    of a quadratic fitted to :math:`\phi(\alpha_{lo}), \phi'(\alpha_{lo}), \phi(\alpha_{hi})`,

    .. math::

        \alpha = \alpha_{lo} - \frac{\phi'(\alpha_{lo})\,(\alpha_{hi} - \alpha_{lo})^2}
                  {2\,[\phi(\alpha_{hi}) - \phi(\alpha_{lo}) - \phi'(\alpha_{lo})(\alpha_{hi} - \alpha_{lo})]},

    moved into the middle 80% of the interval when it falls closer than 10% of the width to an
    end (a safeguard of the kind NW Section 3.5 describes: the interval shrinks by at least 10% per
    trial), until a trial satisfies both conditions. Moving the fit's minimiser, rather than
    bisecting when it lands near an end, keeps what the fit knows: after an overlong first trial
    (the gradient has norm 233 at Rosenbrock's start) the fitted minimiser is tiny, and bisection
    would halve the step once per trial towards it. Every accepted step satisfies both conditions
    (NW Lemma 3.1 guarantees such steps exist when :math:`f` is bounded below along the ray).

    >>> from course_lib.problems import rosenbrock
    >>> p = rosenbrock()
    >>> x = np.array([-1.2, 1.0])
    >>> res = wolfe_line_search(p.fun, p.grad, x, -p.grad(x))
    >>> res.success, wolfe(res.phi0, res.dphi0, res.phi, res.dphi, res.alpha, strong=True)
    (True, True)
    """
    check_constants(c1, c2)
    if not 0 < alpha0 <= alpha_max:
        raise ValueError(f"Invalid alpha0={alpha0!r}: it must lie in (0, alpha_max={alpha_max!r}].")
    ray = Ray(f, grad, xk, pk, fk, gk)
    phi0, dphi0 = ray.phi0, ray.dphi0
    trials = []

    def zoom(lo, phi_lo, dphi_lo, hi, phi_hi):
        for _ in range(int(maxiter)):
            width = hi - lo
            denom = phi_hi - phi_lo - dphi_lo * width
            alpha = lo - dphi_lo * width * width / (2.0 * denom) if denom > 0 else lo + 0.5 * width
            a, b = sorted((lo, hi))
            margin = 0.1 * (b - a)
            alpha = min(max(alpha, a + margin), b - margin)     # keep 10% of the interval from each end
            trials.append(alpha)
            phi = ray.phi(alpha)
            if not math.isfinite(phi) or not armijo(phi0, dphi0, phi, alpha, c1) or phi >= phi_lo:
                hi, phi_hi = alpha, phi
                continue
            dphi = ray.dphi(alpha)
            if strong_curvature(dphi0, dphi, c2):
                return _result(ray, alpha, phi, dphi, True, "Strong Wolfe conditions satisfied.", trials)
            if dphi * (hi - lo) >= 0:
                hi, phi_hi = lo, phi_lo
            lo, phi_lo, dphi_lo = alpha, phi, dphi
        return _result(ray, lo, phi_lo, dphi_lo, False, f"Zoom did not converge in {maxiter} trials.", trials)

    prev, phi_prev, dphi_prev = 0.0, phi0, dphi0
    alpha = float(alpha0)
    for i in range(int(maxiter)):
        trials.append(alpha)
        phi = ray.phi(alpha)
        if not math.isfinite(phi) or not armijo(phi0, dphi0, phi, alpha, c1) or (i > 0 and phi >= phi_prev):
            return zoom(prev, phi_prev, dphi_prev, alpha, phi)
        dphi = ray.dphi(alpha)
        if strong_curvature(dphi0, dphi, c2):
            return _result(ray, alpha, phi, dphi, True, "Strong Wolfe conditions satisfied.", trials)
        if dphi >= 0:
            return zoom(alpha, phi, dphi, prev, phi_prev)
        if alpha >= alpha_max:
            break
        prev, phi_prev, dphi_prev = alpha, phi, dphi
        alpha = min(2.0 * alpha, alpha_max)
    return _result(ray, alpha, phi, dphi, False,
                   f"No acceptable step up to alpha_max={alpha_max:g}: is f bounded below along pk?", trials)


def acceptable_steps(f: Callable, grad: Callable, xk, pk, alphas, c1: float = 1e-4, c2: float = 0.9) -> dict:
    """Which of the steps ``alphas`` satisfy each condition: boolean arrays under the keys
    ``"armijo"``, ``"wolfe"`` and ``"strong wolfe"``, with ``"phi"`` and ``"dphi"`` on the same grid
    (for figures of the acceptable intervals along a ray).

    >>> q = acceptable_steps(lambda x: float(x @ x), lambda x: 2 * x, np.array([1.0]), np.array([-1.0]),
    ...                      [0.5, 1.0, 1.9], c1=0.1, c2=0.5)
    >>> [q[k].tolist() for k in ("armijo", "wolfe", "strong wolfe")]
    [[True, True, False], [True, True, False], [True, True, False]]
    """
    check_constants(c1, c2)
    ray = Ray(f, grad, xk, pk)
    alphas = np.asarray(alphas, dtype=float)
    phi = np.array([ray.phi(a) for a in alphas])
    dphi = np.array([ray.dphi(a) for a in alphas])
    armijo_ok = phi <= ray.phi0 + c1 * alphas * ray.dphi0
    return {"phi": phi, "dphi": dphi, "armijo": armijo_ok, "wolfe": armijo_ok & (dphi >= c2 * ray.dphi0),
            "strong wolfe": armijo_ok & (np.abs(dphi) <= c2 * abs(ray.dphi0)), "phi0": ray.phi0, "dphi0": ray.dphi0}


SEARCHES = {"exact": exact_line_search, "backtracking": backtracking, "wolfe": wolfe_line_search}


def descent(f: Callable, grad: Callable, x0, direction: Callable, *, update: Callable | None = None,
            search="wolfe", tol: float = 1e-8, maxiter: int = 1000, **search_options) -> OptimizeResult:
    r"""The descent-direction framework (004, Algorithm 4.1; NW Chapter 3) that every line-search
    method of the course runs on: until :math:`\|g_k\| \le` ``tol``,

    1. :math:`p_k` = ``direction(x_k, g_k)`` (a descent direction: :math:`g_k^\top p_k < 0`);
    2. :math:`\alpha_k` from the line search ``search`` (``"exact"``, ``"backtracking"``, ``"wolfe"``
       or a function with the same signature; ``search_options`` such as ``c1``, ``c2``, ``rho``
       go to it);
    3. :math:`x_{k+1} = x_k + \alpha_k p_k`;
    4. ``update(s_k, y_k, k)`` with :math:`s_k = x_{k+1} - x_k`, :math:`y_k = g_{k+1} - g_k`, if given
       (quasi-Newton methods learn their matrix here).

    Steepest descent is ``direction = -g`` (:func:`line_search_descent`); BFGS and L-BFGS
    (:mod:`course_lib.quasi_newton`) and the safeguarded Newton method (:mod:`course_lib.newton`)
    supply their own directions. ``status`` is 0 at the tolerance, 1 at ``maxiter``, 2 when a line
    search fails (usually at the level of rounding), 3 when an iterate or the objective is not
    finite. It is :func:`course_lib.descent.descent_method` with
    :func:`course_lib.descent.line_search_step` and only the gradient test: the stopping tests of
    source 004 (change of the objective, step length) are options of that function.
    """
    from course_lib.descent import descent_method, line_search_step

    checks.real("tol", tol, positive=True)
    return descent_method(f, grad, x0, line_search_step(direction, search, **search_options), gtol=tol,
                          maxiter=maxiter, update=update)


def line_search_descent(f: Callable, grad: Callable, x0, *, step: str = "wolfe", tol: float = 1e-8,
                        maxiter: int = 1000, **search_options) -> OptimizeResult:
    r"""Steepest descent :math:`x_{k+1} = x_k - \alpha_k \nabla f(x_k)` with the step chosen by a
    line search: :func:`descent` with ``direction = -g``; ``step`` is ``"exact"``,
    ``"backtracking"`` or ``"wolfe"`` (options such as ``c1``, ``c2``, ``rho`` go to the search).

    >>> from course_lib.problems import quadratic
    >>> p = quadratic(np.diag([1.0, 4.0]))
    >>> res = line_search_descent(p.fun, p.grad, np.array([4.0, 1.0]), step="exact")
    >>> res.success, res.nit
    (True, 40)
    """
    return descent(f, grad, x0, lambda x, g: -g, search=step, tol=tol, maxiter=maxiter, **search_options)
