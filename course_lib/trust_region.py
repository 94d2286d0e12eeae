r"""Trust-region methods and Levenberg-Marquardt.

A line-search method picks a direction and then a length. A trust-region method picks a
*radius* :math:`\Delta_k` first, and then the step that minimises a quadratic model of
:math:`f` inside the ball of that radius (NW eq. 4.3):

.. math::

    \min_{p \in \mathbb{R}^d}\; m_k(p) = f_k + g_k^\top p + \tfrac12\, p^\top B_k\, p
    \quad\text{subject to}\quad \|p\| \le \Delta_k .

The ratio of the actual to the predicted reduction (NW eq. 4.4),

.. math::

    \rho_k = \frac{f(x_k) - f(x_k + p_k)}{m_k(0) - m_k(p_k)},

decides whether the step is taken (:math:`\rho_k > \eta`) and how the radius changes: divided
by 4 when :math:`\rho_k < 1/4`, doubled (up to :math:`\Delta_{\max}`) when
:math:`\rho_k > 3/4` and the step reached the boundary (NW Algorithm 4.1).

- :func:`cauchy_point` minimises the model along :math:`-g_k` inside the ball (NW eqs. 4.11-4.12);
- :func:`dogleg_step` follows the path Cauchy point, then Newton point (NW eqs. 4.15-4.16);
- :func:`solve_subproblem` solves the subproblem exactly, with the multiplier :math:`\lambda`
  of :math:`(B_k + \lambda I)p = -g_k` (NW Theorem 4.1, Algorithm 4.3, including the hard case);
- :func:`trust_region` is NW Algorithm 4.1 with any of the three;
- :func:`lm_step` and :func:`levenberg_marquardt` are Levenberg-Marquardt for nonlinear least
  squares :math:`f(x) = \tfrac12\|r(x)\|^2`: the trust-region method with the Gauss-Newton model
  :math:`B_k = J_k^\top J_k` and an exact subproblem, whose multiplier is the damping
  :math:`\lambda_k` (NW Section 10.3; Moré 1978).

Every method returns a :class:`TrustRegionResult`, an :class:`~course_lib.result.OptimizeResult`
with the radius, the ratio, the acceptance and the multiplier of every iteration.

Conventions: Nocedal and Wright's names (``xk, gk, Bk, pk, delta, rho, eta``), as scipy's
``minimize(method="dogleg" | "trust-exact")``. :math:`B_k` is a Hessian (or its model), not
an inverse.

References
----------
J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer (2006), Chapter 4
(Algorithms 4.1 and 4.3, eqs. 4.3-4.16, Theorem 4.1) and Section 10.3; J. J. Moré, "The
Levenberg-Marquardt algorithm: implementation and theory", in *Numerical Analysis*, Lecture
Notes in Mathematics 630, Springer (1978), pp. 105-116.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from course_lib.result import OptimizeResult


@dataclass(frozen=True)
class TrustRegionResult(OptimizeResult):
    """An :class:`~course_lib.result.OptimizeResult` with the trust-region bookkeeping.

    ``nit`` counts every iteration, rejected steps included (as scipy does); ``history`` has
    ``nit + 1`` rows, and a rejected step repeats the previous iterate.

    Attributes
    ----------
    radius : ndarray, shape (nit,)
        :math:`\\Delta_k`, the radius the step of iteration :math:`k` was computed in.
    rho : ndarray, shape (nit,)
        :math:`\\rho_k`, actual over predicted reduction.
    accepted : ndarray of bool, shape (nit,)
        Whether the step was taken (:math:`\\rho_k > \\eta`).
    damping : ndarray, shape (nit,)
        The multiplier :math:`\\lambda_k \\ge 0` of :math:`(B_k + \\lambda_k I)p_k = -g_k` for the
        exact subproblem and Levenberg-Marquardt (``nan`` for the Cauchy point and dogleg).
    """

    radius: np.ndarray | None = field(default=None, repr=False)
    rho: np.ndarray | None = field(default=None, repr=False)
    accepted: np.ndarray | None = field(default=None, repr=False)
    damping: np.ndarray | None = field(default=None, repr=False)


# ----------------------------------------------------------------------------- input checks


def _vector(name: str, value) -> np.ndarray:
    v = np.atleast_1d(np.array(value, dtype=float))
    if v.ndim != 1:
        raise ValueError(f"Invalid {name}: expected a vector, got an array of shape {v.shape}.")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"Invalid {name}: it has non-finite entries {v[~np.isfinite(v)]}; pass finite numbers.")
    return v


def _model(g, B, delta, g_name: str = "gk", B_name: str = "Bk"):
    g = _vector(g_name, g)
    B = np.atleast_2d(np.array(B, dtype=float))
    if B.shape != (g.size, g.size):
        raise ValueError(f"Invalid {B_name}: it has shape {B.shape}, but {g_name} has {g.size} entries; "
                         f"{B_name} must be ({g.size}, {g.size}).")
    if not np.all(np.isfinite(B)):
        raise ValueError(f"Invalid {B_name}: it has non-finite entries.")
    if not np.allclose(B, B.T, rtol=1e-10, atol=1e-12 * max(1.0, float(np.max(np.abs(B))))):
        raise ValueError(f"Invalid {B_name}: the model Hessian must be symmetric.")
    if isinstance(delta, bool) or not isinstance(delta, (int, float, np.integer, np.floating)) \
            or not np.isfinite(delta) or not delta > 0:
        raise ValueError(f"Invalid delta={delta!r}: the trust-region radius must be a finite positive number.")
    return g, 0.5 * (B + B.T), float(delta)


def _positive(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value) or not value > 0:
        raise ValueError(f"Invalid {name}={value!r}: it must be a finite positive number.")
    return float(value)


def _maxiter(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"Invalid maxiter={value!r}: it must be a non-negative integer.")
    return int(value)


def model_decrease(gk, Bk, pk) -> float:
    r"""The reduction the quadratic model predicts, :math:`m_k(0) - m_k(p) = -g_k^\top p - \tfrac12 p^\top B_k p`.

    >>> model_decrease(np.array([1.0, 0.0]), np.eye(2), np.array([-1.0, 0.0]))
    0.5
    """
    gk, pk = np.asarray(gk, dtype=float), np.asarray(pk, dtype=float)
    return float(-(gk @ pk) - 0.5 * pk @ np.asarray(Bk, dtype=float) @ pk)


# ------------------------------------------------------------------------------- subproblems


def cauchy_point(gk, Bk, delta: float) -> np.ndarray:
    r"""The Cauchy point: the minimiser of the model along :math:`-g_k` inside the ball (NW eqs. 4.11-4.12),

    .. math::

        p_k^C = -\tau_k \frac{\Delta_k}{\|g_k\|}\, g_k, \qquad
        \tau_k = \begin{cases} 1 & g_k^\top B_k g_k \le 0, \\
        \min\!\big(\|g_k\|^3 / (\Delta_k\, g_k^\top B_k g_k),\ 1\big) & \text{otherwise.} \end{cases}

    It decreases the model by at least :math:`\tfrac12\|g_k\|\min(\Delta_k, \|g_k\|/\|B_k\|)`
    (NW Lemma 4.3), which is all the global convergence theory of trust regions needs.

    Raises
    ------
    ValueError
        If ``gk`` or ``Bk`` is not finite, their shapes disagree, ``Bk`` is not symmetric, or
        ``delta`` is not a positive number.

    References
    ----------
    NW Section 4.1, eqs. (4.11)-(4.12), Lemma 4.3.

    Examples
    --------
    >>> cauchy_point(np.array([2.0, 0.0]), np.diag([1.0, 10.0]), delta=10.0)    # interior: -g/1
    array([-2., -0.])
    >>> cauchy_point(np.array([2.0, 0.0]), np.diag([1.0, 10.0]), delta=0.5)     # on the boundary
    array([-0.5, -0. ])
    """
    g, B, delta = _model(gk, Bk, delta)
    gnorm = float(np.linalg.norm(g))
    if gnorm == 0.0:
        return np.zeros_like(g)
    curvature = float(g @ B @ g)
    tau = 1.0 if curvature <= 0 else min(gnorm**3 / (delta * curvature), 1.0)
    return -tau * delta / gnorm * g


def _dogleg(g, B, delta):
    """Dogleg step and whether it lies on the boundary; ``None`` if ``B`` is not positive definite."""
    try:
        L = np.linalg.cholesky(B)
    except np.linalg.LinAlgError:
        return None
    p_newton = -np.linalg.solve(L.T, np.linalg.solve(L, g))
    if np.linalg.norm(p_newton) <= delta:
        return p_newton, False
    p_u = -(g @ g) / (g @ B @ g) * g                      # unconstrained minimiser along -g
    norm_u = float(np.linalg.norm(p_u))
    if norm_u >= delta:
        return delta / norm_u * p_u, True
    d = p_newton - p_u                                    # ||p_u + s d|| = delta, s = tau - 1 in [0, 1]
    a, b, c = float(d @ d), float(p_u @ d), float(p_u @ p_u) - delta**2
    s = (-b + np.sqrt(b * b - a * c)) / a
    return p_u + s * d, True


def dogleg_step(gk, Bk, delta: float) -> np.ndarray:
    r"""The dogleg step (NW Section 4.1, eqs. 4.15-4.16) for a positive definite :math:`B_k`.

    The path :math:`\tilde p(\tau)` runs from 0 to the minimiser along the steepest-descent
    direction, :math:`p^U = -\frac{g^\top g}{g^\top B g}\, g`, and then straight to the Newton
    point :math:`p^B = -B^{-1} g`:

    .. math::

        \tilde p(\tau) = \begin{cases} \tau\, p^U & 0 \le \tau \le 1, \\
        p^U + (\tau - 1)(p^B - p^U) & 1 \le \tau \le 2. \end{cases}

    Along it :math:`\|\tilde p\|` increases and :math:`m` decreases (NW Lemma 4.2), so the step is
    :math:`p^B` when :math:`\|p^B\| \le \Delta`, and otherwise the point where the path leaves the
    ball (a root of a quadratic in :math:`\tau`). For a large radius it is the Newton step; for a
    small one, :math:`-\Delta\, g/\|g\|`, the Cauchy point.

    Raises
    ------
    ValueError
        If ``Bk`` is not positive definite (the Newton point is then not a minimiser of the
        model; use :func:`solve_subproblem`), or on the input errors of :func:`cauchy_point`.

    References
    ----------
    NW Section 4.1, "The dogleg method", eqs. (4.15)-(4.16) and Lemma 4.2.

    Examples
    --------
    >>> B = np.diag([1.0, 10.0]); g = np.array([1.0, 1.0])
    >>> dogleg_step(g, B, delta=5.0)            # the Newton step -B^{-1} g fits
    array([-1. , -0.1])
    >>> p = dogleg_step(g, B, delta=0.5); float(np.linalg.norm(p))
    0.5
    """
    g, B, delta = _model(gk, Bk, delta)
    if not np.any(g):
        return np.zeros_like(g)
    out = _dogleg(g, B, delta)
    if out is None:
        raise ValueError("Invalid Bk: the dogleg step needs a positive definite model Hessian "
                         "(its Newton point must be the model's minimiser); use solve_subproblem "
                         "for an indefinite Bk.")
    return out[0]


def solve_subproblem(gk, Bk, delta: float, *, rtol: float = 1e-10, maxiter: int = 100):
    r"""The exact solution of the trust-region subproblem and its multiplier (NW Theorem 4.1).

    :math:`p^\star` solves :math:`\min m(p)` s.t. :math:`\|p\| \le \Delta` if and only if, for some
    :math:`\lambda \ge 0`,

    .. math::

        (B + \lambda I)\, p^\star = -g, \qquad \lambda(\Delta - \|p^\star\|) = 0, \qquad
        B + \lambda I \succeq 0 .

    With the eigendecomposition :math:`B = \sum_j \lambda_j q_j q_j^\top` (eigenvalues ascending,
    :math:`\lambda_1` the smallest), :math:`\|p(\lambda)\|^2 = \sum_j (q_j^\top g)^2/(\lambda_j + \lambda)^2`
    decreases on :math:`\lambda > -\lambda_1`. If :math:`B \succ 0` and the Newton step fits, it is
    the answer with :math:`\lambda = 0`. Otherwise :math:`\lambda > \max(0, -\lambda_1)` solves
    :math:`1/\|p(\lambda)\| = 1/\Delta` by Newton's method (NW Algorithm 4.3, eq. 4.44, where this
    function is nearly linear), safeguarded by bisection. In the *hard case*, :math:`g` orthogonal
    to the eigenvectors of :math:`\lambda_1 \le 0` and :math:`\|p(-\lambda_1)\| < \Delta`, the
    solution is :math:`p(-\lambda_1) + \tau q_1` with :math:`\tau` reaching the boundary
    (NW eq. 4.45). The eigendecomposition costs :math:`O(d^3)`: this is for small problems.

    Returns
    -------
    p : ndarray, shape (d,)
        The solution.
    lam : float
        Its multiplier :math:`\lambda \ge 0`.

    Raises
    ------
    ValueError
        On the input errors of :func:`cauchy_point`.

    References
    ----------
    NW Section 4.3, Theorem 4.1, Algorithm 4.3 and eqs. (4.38)-(4.45); J. J. Moré and D. C. Sorensen,
    "Computing a trust region step", SIAM J. Sci. Stat. Comput. 4 (1983).

    Examples
    --------
    >>> p, lam = solve_subproblem(np.array([1.0, 1.0]), np.diag([1.0, 10.0]), 5.0)
    >>> p, lam                                  # the Newton step, inside the ball
    (array([-1. , -0.1]), 0.0)
    >>> p, lam = solve_subproblem(np.array([0.0, 1.0]), np.diag([-2.0, 1.0]), 1.0)
    >>> round(float(np.linalg.norm(p)), 12), round(lam, 12)
    (1.0, 2.0)
    """
    g, B, delta = _model(gk, Bk, delta)
    w, Q = np.linalg.eigh(B)
    a = Q.T @ g
    scale = max(1.0, float(np.max(np.abs(w))))
    if w[0] > 0:
        p = -Q @ (a / w)
        if np.linalg.norm(p) <= delta:
            return p, 0.0
    lo = max(0.0, -float(w[0]))
    # Components along the eigenvectors of the smallest eigenvalue decide the hard case.
    small = np.abs(w - w[0]) <= 1e-12 * scale
    gnorm = float(np.linalg.norm(g))
    if np.all(np.abs(a[small]) <= 1e-12 * max(gnorm, 1e-300) + 1e-300) and w[0] <= 0:
        big = ~small
        p_lo = -Q[:, big] @ (a[big] / (w[big] + lo))
        norm_lo = float(np.linalg.norm(p_lo))
        if norm_lo <= delta:                             # hard case: reach the boundary along q_1
            tau = np.sqrt(max(delta**2 - norm_lo**2, 0.0))
            return p_lo + tau * Q[:, 0], lo

    def norm_p(lam):
        return float(np.sqrt(np.sum((a / (w + lam)) ** 2)))

    hi = lo + gnorm / delta + scale * 1e-12               # ||p(hi)|| <= ||g|| / (lambda_1 + hi) <= delta
    lam = hi
    for _ in range(int(maxiter)):
        norm = norm_p(lam)
        if abs(norm - delta) <= rtol * delta:
            break
        if norm > delta:
            lo = lam
        else:
            hi = lam
        # Newton on phi(lam) = 1/||p|| - 1/delta: phi' = sum a^2/(w+lam)^3 / ||p||^3
        dphi = float(np.sum(a**2 / (w + lam) ** 3)) / norm**3
        step = (1.0 / norm - 1.0 / delta) / dphi if dphi > 0 else np.inf
        new = lam - step
        lam = new if lo < new < hi else 0.5 * (lo + hi)
    p = -Q @ (a / (w + lam))
    return p, float(lam)


SUBPROBLEMS = ("cauchy", "dogleg", "exact")


def _solver(name):
    if name == "cauchy":
        def solve(g, B, delta):
            p = cauchy_point(g, B, delta)
            return p, bool(np.isclose(np.linalg.norm(p), delta, rtol=1e-12)), np.nan
    elif name == "dogleg":
        def solve(g, B, delta):
            out = _dogleg(g, B, delta)
            if out is None:
                raise np.linalg.LinAlgError("the Hessian is not positive definite, so the dogleg step is "
                                            "undefined; use subproblem='exact'.")
            return out[0], out[1], np.nan
    else:
        def solve(g, B, delta):
            p, lam = solve_subproblem(g, B, delta)
            return p, lam > 0, lam
    return solve


def _check_tr_constants(delta0, delta_max, eta):
    delta0, delta_max = _positive("delta0", delta0), _positive("delta_max", delta_max)
    if delta0 > delta_max:
        raise ValueError(f"Invalid delta0={delta0!r}: it must not exceed delta_max={delta_max!r}.")
    if isinstance(eta, bool) or not isinstance(eta, (int, float, np.integer, np.floating)) or not 0 <= eta < 0.25:
        raise ValueError(f"Invalid eta={eta!r}: the acceptance threshold must lie in [0, 1/4) "
                         "(NW Algorithm 4.1; scipy uses 0.15).")
    return delta0, delta_max, float(eta)


def _loop(fun, grad, model_hess, x0, solve, *, delta0, delta_max, eta, gtol, xtol, maxiter, scale=None,
          shrink_to_step=False):
    """NW Algorithm 4.1. ``scale(x, D_prev)`` returns Moré's diagonal scaling D (None: D = I).
    ``shrink_to_step``: a poor step shrinks the radius to a quarter of the step's length if that is
    shorter than the radius (Moré 1978), so that interior steps that fail shrink the radius at once."""
    x = _vector("x0", x0)
    fx, g, B = float(fun(x)), np.atleast_1d(np.asarray(grad(x), dtype=float)), np.atleast_2d(model_hess(x))
    nfev = njev = nhev = 1
    D = scale(x, None) if scale else np.ones_like(x)
    delta = delta0
    history, radii, rhos, accepted, lams = [x.copy()], [], [], [], []
    status, message = 1, f"Maximum number of iterations ({maxiter}) reached."
    for k in range(maxiter + 1):
        if np.linalg.norm(g) <= gtol:
            status, message = 0, f"Gradient norm below gtol={gtol:g}."
            break
        if k == maxiter:
            break
        try:                                            # in the variables D p: ||D p|| <= delta
            pt, boundary, lam = solve(g / D, B / np.outer(D, D), delta)
        except np.linalg.LinAlgError as err:
            status, message = 2, f"Iteration {k}: {err}"
            break
        p = pt / D
        predicted = model_decrease(g, B, p)
        if not predicted > 0:
            status, message = 2, f"Iteration {k}: the model predicts no decrease (rounding level reached)."
            break
        x_new = x + p
        with np.errstate(over="ignore", invalid="ignore"):     # a wild trial point is simply rejected
            f_new = float(fun(x_new))
        nfev += 1
        rho = (fx - f_new) / predicted if np.isfinite(f_new) else -np.inf
        radii.append(delta)
        rhos.append(rho)
        lams.append(lam)
        if rho < 0.25:
            delta = 0.25 * (min(delta, float(np.linalg.norm(pt))) if shrink_to_step else delta)
        elif rho > 0.75 and boundary:
            delta = min(2.0 * delta, delta_max)
        accepted.append(rho > eta)
        if rho > eta:
            x, fx = x_new, f_new
            g, B = np.atleast_1d(np.asarray(grad(x), dtype=float)), np.atleast_2d(model_hess(x))
            njev, nhev = njev + 1, nhev + 1
            if scale:
                D = scale(x, D)
        history.append(x.copy())
        if delta <= xtol * float(np.linalg.norm(D * x)):
            status, message = 0, (f"Trust radius below xtol={xtol:g} times ||x||: the steps are at the "
                                  "resolution of x (the gradient cannot be resolved further).")
            break
    return TrustRegionResult(x=x, fun=fx, jac=g, nit=len(history) - 1, nfev=nfev, njev=njev, nhev=nhev,
                             success=status == 0, status=status, message=message, history=np.array(history),
                             radius=np.array(radii), rho=np.array(rhos), accepted=np.array(accepted, dtype=bool),
                             damping=np.array(lams))


def trust_region(fun: Callable, grad: Callable, hess: Callable, x0, *, subproblem: str = "dogleg",
                 delta0: float = 1.0, delta_max: float = 1000.0, eta: float = 0.15, gtol: float = 1e-8,
                 xtol: float = 1e-14, maxiter: int = 1000) -> TrustRegionResult:
    r"""The trust-region method of NW Algorithm 4.1 with the model Hessian :math:`B_k = \nabla^2 f(x_k)`.

    At each iteration: :math:`p_k` from the subproblem (``"cauchy"``: :func:`cauchy_point`,
    ``"dogleg"``: :func:`dogleg_step`, ``"exact"``: :func:`solve_subproblem`), the ratio
    :math:`\rho_k` of actual to predicted reduction, then

    .. math::

        \Delta_{k+1} = \begin{cases} \tfrac14 \Delta_k & \rho_k < \tfrac14, \\
        \min(2\Delta_k, \Delta_{\max}) & \rho_k > \tfrac34 \text{ and } \|p_k\| = \Delta_k, \\
        \Delta_k & \text{otherwise,} \end{cases}
        \qquad x_{k+1} = \begin{cases} x_k + p_k & \rho_k > \eta, \\ x_k & \text{otherwise,} \end{cases}

    until :math:`\|g_k\| \le` ``gtol``, or until rounding stops progress: the radius falls below
    ``xtol`` :math:`\|x_k\|` (MINPACK's test; a gradient norm of ``gtol`` may be below what
    rounding lets the method reach). The defaults are scipy's (``delta0=1``, ``delta_max=1000``,
    ``eta=0.15``), so ``subproblem="dogleg"`` takes the iterates of
    ``scipy.optimize.minimize(method="dogleg")``.

    Returns
    -------
    TrustRegionResult
        ``status`` 0 at ``gtol`` or ``xtol`` (``message`` says which), 1 at ``maxiter``, 2 when the
        step cannot be computed (dogleg with an indefinite Hessian) or the model predicts no decrease.

    Raises
    ------
    ValueError
        For an unknown ``subproblem``, a non-positive ``delta0``, ``delta_max``, ``gtol`` or ``xtol``,
        ``delta0 > delta_max``, ``eta`` outside :math:`[0, 1/4)`, or a non-finite ``x0``.

    References
    ----------
    NW Algorithm 4.1 and Section 4.1.

    Examples
    --------
    >>> from course_lib.problems import rosenbrock
    >>> p = rosenbrock()
    >>> res = trust_region(p.fun, p.grad, p.hess, [-1.2, 1.0], subproblem="exact")
    >>> res.success, np.allclose(res.x, [1.0, 1.0]), res.nit
    (True, True, 25)
    """
    if subproblem not in SUBPROBLEMS:
        raise ValueError(f"Unknown subproblem={subproblem!r}: use one of {SUBPROBLEMS}.")
    delta0, delta_max, eta = _check_tr_constants(delta0, delta_max, eta)
    gtol, xtol = _positive("gtol", gtol), _positive("xtol", xtol)
    return _loop(fun, grad, hess, x0, _solver(subproblem), delta0=delta0, delta_max=delta_max, eta=eta,
                 gtol=gtol, xtol=xtol, maxiter=_maxiter(maxiter))


# ----------------------------------------------------------------------- Levenberg-Marquardt


def lm_step(J, r, lam: float) -> np.ndarray:
    r"""The Levenberg-Marquardt step for :math:`f = \tfrac12\|r\|^2` with damping :math:`\lambda \ge 0`:

    .. math::

        (J^\top J + \lambda I)\, p = -J^\top r .

    It is computed as the least-squares solution of the stacked system
    :math:`\begin{pmatrix} J \\ \sqrt\lambda I \end{pmatrix} p \approx -\begin{pmatrix} r \\ 0 \end{pmatrix}`,
    which avoids squaring the condition number of :math:`J`. At :math:`\lambda = 0` it is the
    Gauss-Newton step; as :math:`\lambda \to \infty`, :math:`\lambda p \to -J^\top r`: a short step
    along the negative gradient.

    Raises
    ------
    ValueError
        If ``J`` is not a finite matrix with as many rows as ``r`` has entries, or ``lam`` is
        negative or not finite.

    References
    ----------
    NW Section 10.3, eq. (10.34); Moré (1978), eq. (2.3).

    Examples
    --------
    >>> J = np.array([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]]); r = np.array([1.0, 2.0, 3.0])
    >>> lm_step(J, r, 0.0)                      # Gauss-Newton: the linear least-squares step
    array([-1., -1.])
    >>> lm_step(J, r, 4.0)
    array([-0.2, -0.5])
    """
    r = _vector("r", r)
    J = np.atleast_2d(np.array(J, dtype=float))
    if J.ndim != 2 or J.shape[0] != r.size:
        raise ValueError(f"Invalid J: it has shape {J.shape}, but r has {r.size} entries; J must be "
                         f"({r.size}, number of parameters).")
    if not np.all(np.isfinite(J)):
        raise ValueError("Invalid J: it has non-finite entries.")
    if isinstance(lam, bool) or not np.isfinite(lam) or lam < 0:
        raise ValueError(f"Invalid lam={lam!r}: the damping must be a finite number >= 0.")
    d = J.shape[1]
    A = np.vstack([J, np.sqrt(lam) * np.eye(d)])
    rhs = -np.concatenate([r, np.zeros(d)])
    return np.linalg.lstsq(A, rhs, rcond=None)[0]


def levenberg_marquardt(residual: Callable, jac: Callable, x0, *, delta0: float | None = None, scale: bool = False,
                        delta_max: float = 1e10, eta: float = 1e-4, gtol: float = 1e-10, xtol: float = 1e-12,
                        maxiter: int = 200) -> TrustRegionResult:
    r"""Levenberg-Marquardt for :math:`\min_x f(x) = \tfrac12\|r(x)\|^2` as a trust-region Gauss-Newton method.

    The model of :math:`f` at :math:`x_k` is that of the linearised residual,
    :math:`m_k(p) = \tfrac12\|r_k + J_k p\|^2`, so :math:`g_k = J_k^\top r_k` and
    :math:`B_k = J_k^\top J_k`, and the step solves the subproblem exactly (NW Section 10.3):

    .. math::

        \min_p \tfrac12\|r_k + J_k p\|^2 \ \text{ s.t. } \|D_k p\| \le \Delta_k
        \iff (J_k^\top J_k + \lambda_k D_k^2)\, p_k = -J_k^\top r_k,\ \ \lambda_k \ge 0,\
        \lambda_k(\Delta_k - \|D_k p_k\|) = 0 .

    The damping :math:`\lambda_k` is the multiplier of the radius: :math:`\lambda_k = 0` when the
    Gauss-Newton step fits, and large when the radius is small, where the step is short and
    close to :math:`-J_k^\top r_k / \lambda_k`. The radius follows the ratio test of
    :func:`trust_region` (NW Algorithm 4.1), except that a poor step shrinks it to a quarter of
    :math:`\min(\Delta_k, \|D_k p_k\|)` (Moré), not of :math:`\Delta_k`: a Gauss-Newton step far
    inside the region that fails would otherwise take many rejections to be cut down. With ``scale=True``, :math:`D_k` is Moré's diagonal
    scaling, :math:`D_k = \operatorname{diag}(\max(D_{k-1}, \|J_k e_j\|))`, which makes the method
    insensitive to the units of each parameter; otherwise :math:`D_k = I`. The default first radius
    is Moré's, :math:`\Delta_0 = 100\,\|D_0 x_0\|` (100 if :math:`x_0 = 0`).

    The subproblem is solved with :func:`solve_subproblem` on :math:`J^\top J`, which squares the
    condition number of :math:`J`; Moré's MINPACK (``scipy.optimize.least_squares(method="lm")``)
    works with a QR factorisation of :math:`J` instead. Fine for the small problems of the course.

    Parameters
    ----------
    residual : callable
        ``x -> r(x)``, shape (m,).
    jac : callable
        ``x -> J(x)``, shape (m, d).
    x0 : array_like, shape (d,)
    delta0, delta_max, eta, gtol, xtol, maxiter
        As in :func:`trust_region`; the tests are :math:`\|J_k^\top r_k\| \le` ``gtol`` and
        :math:`\Delta_k \le` ``xtol`` :math:`\|D_k x_k\|`.

    Returns
    -------
    TrustRegionResult
        ``fun`` is :math:`\tfrac12\|r\|^2`, ``jac`` the gradient :math:`J^\top r`, ``damping`` the
        :math:`\lambda_k` of every iteration.

    References
    ----------
    J. J. Moré (1978), Sections 2-4; NW Section 10.3; K. Levenberg, Quart. Appl. Math. 2 (1944);
    D. W. Marquardt, J. SIAM 11 (1963).

    Examples
    --------
    Fit :math:`a e^{-b t}` to exact data from :math:`a = 2, b = 0.5`:

    >>> t = np.linspace(0.0, 4.0, 9)
    >>> r = lambda x: x[0] * np.exp(-x[1] * t) - 2.0 * np.exp(-0.5 * t)
    >>> J = lambda x: np.column_stack([np.exp(-x[1] * t), -x[0] * t * np.exp(-x[1] * t)])
    >>> res = levenberg_marquardt(r, J, [1.0, 2.0])
    >>> res.success, np.allclose(res.x, [2.0, 0.5])
    (True, True)
    """
    x0 = _vector("x0", x0)
    D0 = np.linalg.norm(np.atleast_2d(jac(x0)), axis=0) if scale else np.ones_like(x0)
    D0 = np.where(D0 > 0, D0, 1.0)
    if delta0 is None:
        delta0 = 100.0 * float(np.linalg.norm(D0 * x0)) or 100.0
        delta_max = max(delta_max, delta0)
    delta0, delta_max, eta = _check_tr_constants(delta0, delta_max, eta)
    gtol, xtol = _positive("gtol", gtol), _positive("xtol", xtol)
    cache = {}

    def at(x):
        key = x.tobytes()
        if key not in cache:
            cache.clear()
            r, J = np.atleast_1d(np.asarray(residual(x), dtype=float)), np.atleast_2d(np.asarray(jac(x), dtype=float))
            if J.shape != (r.size, x.size):
                raise ValueError(f"jac returned shape {J.shape}; expected ({r.size}, {x.size}) "
                                 "(one row per residual, one column per parameter).")
            cache[key] = (r, J)
        return cache[key]

    def fun(x):
        r = np.atleast_1d(np.asarray(residual(x), dtype=float))
        return 0.5 * float(r @ r)

    def grad(x):
        r, J = at(x)
        return J.T @ r

    def gauss_newton(x):
        _, J = at(x)
        return J.T @ J

    def more_scale(x, D_prev):
        cols = np.linalg.norm(at(x)[1], axis=0)
        D = cols if D_prev is None else np.maximum(D_prev, cols)
        return np.where(D > 0, D, 1.0)

    return _loop(fun, grad, gauss_newton, x0, _solver("exact"), delta0=delta0, delta_max=delta_max, eta=eta,
                 gtol=gtol, xtol=xtol, maxiter=_maxiter(maxiter), scale=more_scale if scale else None,
                 shrink_to_step=True)
