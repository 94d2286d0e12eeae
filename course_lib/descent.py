r"""The descent-direction method with the usual stopping rules, and which rule stopped it.

Every first- and second-order method of the course is an instance of one loop (004,
Algorithm 4.1): from :math:`\theta_0`, repeat

.. math::

    \theta_{t+1} = \theta_t + s_t, \qquad s_t \text{ a descent step computed from } \theta_t,

until a termination test holds. 004 lists the tests, all with a small tolerance; in the
notation of this module (:math:`C_t = C(\theta_t)`, :math:`g_t = \nabla C(\theta_t)`):

.. math::

    \|g_{t+1}\| \le \texttt{gtol}, \qquad
    |C_t - C_{t+1}| \le \texttt{ftol}, \qquad
    |C_t - C_{t+1}| \le \texttt{frtol}\,|C_t|, \qquad
    \|s_t\| \le \texttt{xtol}, \qquad
    \|s_t\| \le \texttt{xrtol}\,\|\theta_{t+1}\|,

and a limit ``maxiter`` on the number of iterations. A tolerance of 0 switches its test off
(except ``gtol``, whose test at 0 fires only at an exact stationary point).

:func:`descent_method` runs the loop with any step rule and reports in its result which test
stopped it (``criterion`` and ``message``) and, per iteration, the five quantities the tests
compare (``measures``), so that one run shows when *each* test would have fired
(:func:`first_firing`). :func:`fixed_step` (gradient descent with a constant rate) and
:func:`line_search_step` (a direction and a line search of :mod:`course_lib.linesearch`) make
step rules.

Every line-search method of the course runs on this loop: :func:`course_lib.linesearch.descent`
(steepest descent, BFGS, L-BFGS, safeguarded Newton) is :func:`descent_method` with
:func:`line_search_step` and the gradient test only.

References
----------
004, Section 4.1, "General approach of descent direction methods" (Algorithm 4.1 and its
termination conditions); J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed.,
Springer (2006), Chapter 3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from course_lib import checks
from course_lib.result import OptimizeResult

#: The stopping tests in the order :func:`descent_method` checks them.
CRITERIA = ("gtol", "ftol", "frtol", "xtol", "xrtol")

_DESCRIPTIONS = {
    "gtol": "gradient norm ||g_(t+1)|| <= gtol",
    "ftol": "change of the objective |C_t - C_(t+1)| <= ftol",
    "frtol": "relative change of the objective |C_t - C_(t+1)| <= frtol |C_t|",
    "xtol": "step length ||s_t|| <= xtol",
    "xrtol": "relative step length ||s_t|| <= xrtol ||theta_(t+1)||",
}


@dataclass(frozen=True)
class DescentResult(OptimizeResult):
    """An :class:`~course_lib.result.OptimizeResult` that also says which test stopped the loop.

    Attributes
    ----------
    criterion : str
        The test that stopped the run: one of :data:`CRITERIA`, ``"maxiter"`` or ``"nonfinite"``.
    fired : tuple of str
        Every test that held at the last iteration (several can hold at once; ``criterion`` is
        the first of them in the order of :data:`CRITERIA`).
    measures : dict of ndarray
        Per iteration :math:`t = 0, \\dots, \\text{nit} - 1`, the quantity each test compares with
        its tolerance: ``"gtol"`` :math:`\\|g_{t+1}\\|`, ``"ftol"`` :math:`|C_t - C_{t+1}|`,
        ``"frtol"`` :math:`|C_t - C_{t+1}|/|C_t|`, ``"xtol"`` :math:`\\|s_t\\|`, ``"xrtol"``
        :math:`\\|s_t\\|/\\|\\theta_{t+1}\\|` (``inf`` where a denominator is 0).
    fun_history : ndarray, shape (nit + 1,)
        :math:`C(\\theta_t)` for every iterate.
    """

    criterion: str = ""
    fired: tuple = ()
    measures: dict = field(default_factory=dict, repr=False)
    fun_history: np.ndarray | None = field(default=None, repr=False)


def _nonnegative(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)) \
            or not np.isfinite(value) or value < 0:
        raise ValueError(f"Invalid {name}={value!r}: a tolerance must be a finite number >= 0 "
                         "(0 switches the test off).")
    return float(value)


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 else (0.0 if num == 0 else np.inf)


def descent_method(f: Callable, grad: Callable, x0, step: Callable, *, gtol: float = 1e-6, ftol: float = 0.0,
                   frtol: float = 0.0, xtol: float = 0.0, xrtol: float = 0.0, maxiter: int = 1000,
                   update: Callable | None = None) -> DescentResult:
    r"""The descent-direction method (004, Algorithm 4.1) with its termination tests.

    Parameters
    ----------
    f, grad : callable
        The objective :math:`C` and its gradient, ``x -> float`` and ``x -> ndarray``.
    x0 : array_like, shape (d,)
        Starting point :math:`\theta_0`.
    step : callable
        ``step(f, grad, x, fx, g) -> s``, the descent step :math:`s_t` from :math:`\theta_t`
        (``x``) with :math:`C(\theta_t)` (``fx``) and :math:`\nabla C(\theta_t)` (``g``) known.
        It receives counting versions of ``f`` and ``grad``, so the evaluations it makes are
        counted in ``nfev`` and ``njev``. See :func:`fixed_step` and :func:`line_search_step`.
    gtol, ftol, frtol, xtol, xrtol : float, >= 0
        Tolerances of the tests of the module docstring, checked after every step in this
        order; ``gtol`` is also checked at :math:`\theta_0`. 0 switches a test off.
    maxiter : int
        Largest number of steps.
    update : callable, optional
        ``update(s, y, t)`` after every step, with :math:`s_t = \theta_{t+1} - \theta_t` and
        :math:`y_t = g_{t+1} - g_t`: quasi-Newton methods learn their matrix here
        (:func:`course_lib.quasi_newton.bfgs`).

    Returns
    -------
    DescentResult
        ``status`` 0 when a test fired (``criterion`` names it, ``message`` states it),
        1 at ``maxiter``, 2 when the step rule failed (a line search that found no acceptable
        step, :class:`StepFailed`), 3 when an iterate or its objective is not finite.

    Raises
    ------
    ValueError
        For a negative or non-finite tolerance, a ``maxiter`` that is not a non-negative integer,
        or a starting point that is not a finite vector.

    References
    ----------
    004, Section 4.1 (Algorithm 4.1 and the termination conditions).

    Examples
    --------
    Gradient descent with rate 0.25 on :math:`C(\theta) = \theta_1^2 + 2\theta_2^2 + 1`: the
    relative change of :math:`C` falls below :math:`10^{-3}` long before the gradient is small.

    >>> f = lambda x: float(x[0] ** 2 + 2 * x[1] ** 2 + 1)
    >>> g = lambda x: np.array([2 * x[0], 4 * x[1]])
    >>> res = descent_method(f, g, [1.0, 1.0], fixed_step(0.25), gtol=1e-8, frtol=1e-3)
    >>> res.criterion, res.nit, res.status, res.x
    ('frtol', 6, 0, array([0.015625, 0.      ]))
    >>> res.message
    'Stopped at iteration 6: relative change of the objective |C_t - C_(t+1)| <= frtol |C_t| (frtol=0.001).'
    """
    tols = {name: _nonnegative(name, value) for name, value in
            zip(CRITERIA, (gtol, ftol, frtol, xtol, xrtol))}
    maxiter = checks.integer("maxiter", maxiter)
    x = checks.array("x0", x0, atleast_1d=True, ndim=1).copy()
    counts = {"f": 0, "g": 0}
    memo = {"f": {}, "g": {}}                      # the last few points: a line search's accepted point is not re-evaluated

    def remember(kind, z, compute):
        key = np.asarray(z, dtype=float).tobytes()
        if key not in memo[kind]:
            counts[kind] += 1
            if len(memo[kind]) >= 4:
                memo[kind].pop(next(iter(memo[kind])))
            memo[kind][key] = compute(z)
        return memo[kind][key]

    def fc(z):
        with np.errstate(over="ignore", invalid="ignore"):
            return remember("f", z, lambda v: float(f(v)))

    def gc(z):
        return remember("g", z, lambda v: np.atleast_1d(np.asarray(grad(v), dtype=float)))

    at = f"x0 = {checks.point(x)}"
    fx = float(checks.returned("f", fc(x), at=at, shape=()))
    g = checks.returned("grad", gc(x), at=at, shape=x.shape)
    history, funs = [x.copy()], [fx]
    measures = {name: [] for name in CRITERIA}
    status, criterion, fired = 1, "maxiter", ()
    message = f"Maximum number of iterations ({maxiter}) reached."
    if np.linalg.norm(g) <= tols["gtol"]:
        status, criterion, fired = 0, "gtol", ("gtol",)
        message = f"Stopped at iteration 0: {_DESCRIPTIONS['gtol']} (gtol={tols['gtol']:g})."
    else:
        for t in range(int(maxiter)):
            try:
                s = np.asarray(step(fc, gc, x, fx, g), dtype=float)
            except StepFailed as failure:
                status, criterion = 2, "step"
                message = f"Line search failed at iteration {t}: {failure}"
                break
            x_new = x + s
            fx_new = fc(x_new) if checks.finite(x_new) else np.nan
            if not np.isfinite(fx_new):
                status, criterion = 3, "nonfinite"
                message = f"Iteration {t} produced a non-finite iterate or objective; stopped before it."
                break
            g_new = gc(x_new)
            change, length = abs(fx - fx_new), float(np.linalg.norm(s))
            values = {"gtol": float(np.linalg.norm(g_new)), "ftol": change, "frtol": _ratio(change, abs(fx)),
                      "xtol": length, "xrtol": _ratio(length, float(np.linalg.norm(x_new)))}
            for name in CRITERIA:
                measures[name].append(values[name])
            if update is not None:
                update(s, g_new - g, t)
            x, fx, g = x_new, fx_new, g_new
            history.append(x.copy())
            funs.append(fx)
            fired = tuple(name for name in CRITERIA if (tols[name] > 0 or name == "gtol")
                          and values[name] <= tols[name])
            if fired:
                status, criterion = 0, fired[0]
                message = f"Stopped at iteration {t + 1}: " + "; ".join(
                    f"{_DESCRIPTIONS[name]} ({name}={tols[name]:g})" for name in fired) + "."
                break
    return DescentResult(x=x, fun=fx, jac=g, nit=len(history) - 1, nfev=counts["f"], njev=counts["g"], nhev=0,
                         success=status == 0, status=status, message=message, history=np.array(history),
                         criterion=criterion, fired=fired,
                         measures={name: np.array(v) for name, v in measures.items()},
                         fun_history=np.array(funs))


def first_firing(result: DescentResult, **tolerances) -> dict:
    r"""For each named tolerance, the first iteration :math:`t + 1` at which its test holds in
    ``result.measures`` (``None`` if it never does): run once with every test off, then read off
    when each would have stopped the run.

    >>> f = lambda x: float(x @ x)
    >>> res = descent_method(f, lambda x: 2 * x, [1.0], fixed_step(0.25), gtol=0, maxiter=20)
    >>> first_firing(res, gtol=1e-3, frtol=0.5, xtol=1e-3)
    {'gtol': 11, 'frtol': None, 'xtol': 10}

    (On :math:`C = \theta^2` every step removes 3/4 of :math:`C`: the relative change never falls.)
    """
    out = {}
    for name, tol in tolerances.items():
        if name not in CRITERIA:
            raise ValueError(f"Unknown criterion {name!r}: use one of {CRITERIA}.")
        tol = _nonnegative(name, tol)
        hits = np.flatnonzero(result.measures[name] <= tol)
        out[name] = int(hits[0]) + 1 if hits.size else None
    return out


def fixed_step(learning_rate: float) -> Callable:
    r"""Gradient descent's step :math:`s_t = -\eta\, g_t` with a constant rate :math:`\eta`
    (``learning_rate``), as a step rule for :func:`descent_method`.

    >>> fixed_step(0.5)(None, None, np.zeros(2), 0.0, np.array([2.0, -4.0]))
    array([-1.,  2.])
    """
    if isinstance(learning_rate, bool) or not np.isfinite(learning_rate) or not learning_rate > 0:
        raise ValueError(f"Invalid learning_rate={learning_rate!r}: it must be a finite positive number.")
    eta = float(learning_rate)
    return lambda f, grad, x, fx, g: -eta * g


class StepFailed(RuntimeError):
    """Raised by a step rule that cannot make a step (a line search with no acceptable step);
    :func:`descent_method` then stops with ``status`` 2 and the reason in its message."""


def line_search_step(direction: Callable | None = None, search="wolfe", **search_options) -> Callable:
    r"""The step :math:`s_t = \alpha_t p_t` with :math:`p_t` = ``direction(x, g)`` (steepest
    descent :math:`-g_t` by default) and :math:`\alpha_t` from a line search of
    :mod:`course_lib.linesearch` (``"exact"``, ``"backtracking"``, ``"wolfe"`` or a function with
    their signature; options such as ``c1``, ``c2`` go to it), as a step rule for
    :func:`descent_method`. A search that fails raises :class:`StepFailed`.

    >>> f = lambda x: float(x @ x)
    >>> float(line_search_step(search="exact")(f, lambda x: 2 * x, np.array([3.0]), 9.0, np.array([6.0]))[0])
    -3.0
    """
    from course_lib.linesearch import SEARCHES

    if isinstance(search, str):
        if search not in SEARCHES:
            raise ValueError(f"Unknown search={search!r}: use one of {sorted(SEARCHES)}.")
        search = SEARCHES[search]
    direction = direction or (lambda x, g: -g)

    def step(f, grad, x, fx, g):
        p = np.atleast_1d(checks.returned("the direction", direction(x, g), at=lambda: f"x = {checks.point(x)}",
                                          shape=x.shape))
        res = search(f, grad, x, p, fk=fx, gk=g, **search_options)
        if not res.success:
            raise StepFailed(res.message)
        return res.alpha * p

    return step
