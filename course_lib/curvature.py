r"""Curvature: Hessian spectra, stationary points and the stability of gradient descent.

Convention: the eigenvalues of a symmetric matrix are sorted in *decreasing* order,
:math:`\lambda_1 \ge \lambda_2 \ge \dots \ge \lambda_D`, as in source 000; so
:math:`\lambda_1` is the largest curvature and :math:`\lambda_D` the smallest.
(:func:`numpy.linalg.eigh` returns them increasing; :func:`spectrum` reverses that.)

Near a minimiser :math:`\theta^*` with Hessian :math:`H = Q \Lambda Q^\top`, gradient descent
with step :math:`\eta` acts on the coordinates :math:`\alpha = Q^\top(\theta - \theta^*)` as

.. math::

    \alpha_{k+1} = (I - \eta\Lambda)\,\alpha_k, \qquad \alpha_{k} = (I - \eta\Lambda)^{k}\,\alpha_0,

exactly for a quadratic and to first order otherwise.
"""

from __future__ import annotations

import numpy as np

from course_lib import checks

MINIMUM, MAXIMUM, SADDLE, INCONCLUSIVE = "minimum", "maximum", "saddle", "inconclusive"


def spectrum(H):
    r"""Eigenvalues (decreasing) and orthonormal eigenvectors (columns) of a symmetric ``H``.

    Returns ``(lam, Q)`` with ``H = Q @ diag(lam) @ Q.T``.
    """
    H = _symmetric(H)
    lam, Q = np.linalg.eigh(H)
    return lam[::-1], Q[:, ::-1]


def classify_stationary_point(H, tol: float = 1e-8) -> str:
    r"""Second-derivative test at a stationary point from its Hessian ``H``.

    With eigenvalues :math:`\lambda_j` of :math:`H` (those with :math:`|\lambda_j| \le`
    ``tol`` count as zero):

    - all :math:`\lambda_j > 0`: ``"minimum"`` (strict local minimum);
    - all :math:`\lambda_j < 0`: ``"maximum"`` (strict local maximum);
    - some :math:`\lambda_j > 0` and some :math:`< 0`: ``"saddle"``, whatever the others are;
    - otherwise (a zero eigenvalue, the non-zero ones of one sign): ``"inconclusive"``.
      Higher derivatives decide: :math:`\theta^4` has a minimum, :math:`\theta^3` does not,
      and the monkey saddle :math:`x^3 - 3xy^2` has :math:`H = 0` at a point that is neither.

    References
    ----------
    002 (second-derivative test; its multivariate slide calls every indefinite case
    inconclusive, but a Hessian with eigenvalues of both signs proves a saddle);
    004, Section 4.1.
    """
    if not tol >= 0:
        raise ValueError(f"tol must be non-negative, got {tol}.")
    lam, _ = spectrum(H)
    positive, negative = np.any(lam > tol), np.any(lam < -tol)
    if positive and negative:
        return SADDLE
    if np.all(lam > tol):
        return MINIMUM
    if np.all(lam < -tol):
        return MAXIMUM
    return INCONCLUSIVE


def condition_number(H) -> float:
    r"""Condition number :math:`\kappa = \lambda_1 / \lambda_D` of a positive definite ``H``."""
    lam, _ = spectrum(H)
    if lam[-1] <= 0:
        raise ValueError(
            f"the condition number lambda_1/lambda_D is defined here for positive definite "
            f"matrices; the smallest eigenvalue is {lam[-1]:.3g}."
        )
    return float(lam[0] / lam[-1])


def max_stable_learning_rate(H) -> float:
    r"""The largest step for which gradient descent converges on the quadratic with Hessian ``H``.

    :math:`|1 - \eta\lambda_j| < 1` for every :math:`j` holds exactly when
    :math:`0 < \eta < 2/\lambda_1`. The bound itself is not stable: there the component along
    the top eigenvector flips sign forever without shrinking.
    """
    lam, _ = spectrum(H)
    _require_positive_definite(lam)
    return float(2.0 / lam[0])


def optimal_learning_rate(H) -> float:
    r"""The step :math:`\eta^* = 2 / (\lambda_1 + \lambda_D)` that minimises the contraction factor.

    It balances the slowest and the most oscillating directions, giving the factor
    :math:`(\kappa - 1)/(\kappa + 1)` per step.
    """
    lam, _ = spectrum(H)
    _require_positive_definite(lam)
    return float(2.0 / (lam[0] + lam[-1]))


def gd_contraction(H, learning_rate):
    r"""Per-step contraction factor of gradient descent on a quadratic: :math:`\max_j |1 - \eta\lambda_j|`.

    The error :math:`\|\theta_k - \theta^*\|` shrinks at most by this factor per step (and
    exactly by it along the worst eigenvector); it is below 1 iff :math:`0 < \eta < 2/\lambda_1`.
    ``learning_rate`` may be a 1-D array of rates (a scan): the factors are then an array, one per
    rate, from one eigendecomposition.

    >>> gd_contraction(np.diag([1.0, 4.0]), np.array([0.1, 0.4, 0.5]))
    array([0.9, 0.6, 1. ])
    """
    lam, _ = spectrum(H)
    if np.ndim(learning_rate) == 0:
        learning_rate = checks.real("learning_rate", learning_rate, positive=True)
        return float(np.max(np.abs(1.0 - learning_rate * lam)))
    rates = checks.array("learning_rate", learning_rate, ndim=1)
    if not np.all(rates > 0):
        raise ValueError(f"Invalid learning_rate: {float(rates[~(rates > 0)][0])} in the array (every rate must be "
                         "positive).")
    return np.max(np.abs(1.0 - np.multiply.outer(rates, lam)), axis=1)


def gd_eigen_coordinates(eigenvalues, learning_rate: float, alpha0, num_steps: int):
    r"""Closed-form gradient-descent iterates in the eigenbasis: :math:`\alpha_k = (I - \eta\Lambda)^k \alpha_0`.

    Returns an array of shape ``(num_steps + 1, D)`` whose row ``k`` is :math:`\alpha_k`.

    References
    ----------
    000, Section 2.1 (where the same formula is written with the first iterate called
    :math:`\alpha_1`; with that indexing it reads :math:`\alpha_{U} = (I - \eta\Lambda)^{U-1}\alpha_1`).
    """
    lam = checks.array("eigenvalues", eigenvalues, ndim=1)
    learning_rate = checks.real("learning_rate", learning_rate, positive=True)
    alpha0 = checks.matching("alpha0", alpha0, "eigenvalues", lam.shape)
    k = np.arange(checks.integer("num_steps", num_steps) + 1)[:, None]
    return (1.0 - learning_rate * lam) ** k * alpha0


def _symmetric(H):
    H = np.atleast_2d(np.asarray(H, dtype=float))
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError(f"Invalid H: a Hessian must be a square matrix, got shape {H.shape}.")
    if not np.all(np.isfinite(H)):
        raise ValueError("Invalid H: it contains inf or nan (every entry must be a finite number).")
    if not np.allclose(H, H.T, rtol=1e-10, atol=1e-12 * max(1.0, np.abs(H).max())):
        raise ValueError("Invalid H: it is not symmetric; a Hessian of a C^2 function is.")
    return 0.5 * (H + H.T)


def _require_positive_definite(lam):
    if lam[-1] <= 0:
        raise ValueError(
            "gradient descent converges on a quadratic for some step only if its Hessian is "
            f"positive definite; the smallest eigenvalue is {lam[-1]:.3g}."
        )


def best_gradient_step(g, H) -> float:
    r"""The step along :math:`-g` that minimises the second-order model.

    Along the ray :math:`\theta - \epsilon g` the quadratic model is

    .. math::

        C(\theta - \epsilon g) \approx C(\theta) - \epsilon\, g^\top g
        + \tfrac12 \epsilon^2\, g^\top H g,

    a parabola in :math:`\epsilon`. When :math:`g^\top H g > 0` it is minimised by

    .. math::

        \epsilon^* = \frac{g^\top g}{g^\top H g},
        \qquad\text{with predicted decrease}\qquad
        \frac{(g^\top g)^2}{2\, g^\top H g}.

    When :math:`g^\top H g \le 0` the model decreases without bound along :math:`-g` and
    this function returns ``inf``: the model is then no guide to the step length.

    For a quadratic objective the model is exact, so :math:`\epsilon^*` is the exact line
    search step; since :math:`g^\top H g / g^\top g` is a Rayleigh quotient,
    :math:`1/\lambda_1 \le \epsilon^* \le 1/\lambda_D` for positive definite :math:`H`.

    Parameters
    ----------
    g : array_like, shape (d,)
        Gradient at the current point (not zero).
    H : array_like, shape (d, d)
        Symmetric Hessian at the current point.

    Returns
    -------
    float

    References
    ----------
    002, slide on the second-order approximation along the gradient.

    Examples
    --------
    >>> best_gradient_step(np.array([1.0, 1.0]), np.diag([4.0, 0.0]))
    0.5
    """
    H = _symmetric(H)
    g = np.atleast_1d(np.asarray(g, dtype=float))
    if g.shape != (H.shape[0],):
        raise ValueError(f"g has shape {g.shape} but H has shape {H.shape}.")
    gg = float(g @ g)
    if gg == 0:
        raise ValueError("the gradient is zero: every step length leaves the model unchanged.")
    gHg = float(g @ H @ g)
    return gg / gHg if gHg > 0 else float("inf")


NEITHER = "neither"


def probe_stationary_point(fun, x, radius: float = 1e-2, num_directions: int = 64, seed: int = 0) -> str:
    r"""Evidence from function values on a small sphere around ``x``, for comparison with
    :func:`classify_stationary_point`.

    Evaluates :math:`\Delta(u) = C(x + r u) - C(x)` for unit vectors :math:`u`: both
    directions in one dimension, ``num_directions`` evenly spaced angles in two, and
    ``num_directions`` random directions (seeded) in more. Returns

    - ``"minimum"`` if every :math:`\Delta(u) > 0`,
    - ``"maximum"`` if every :math:`\Delta(u) < 0`,
    - ``"neither"`` if some are positive and some negative (within distance :math:`r`,
      ``x`` is neither the lowest nor the highest point),
    - ``"inconclusive"`` otherwise (some :math:`\Delta(u) = 0`).

    A sample is evidence, not a proof: ``"minimum"`` says only that no sampled point is
    lower. Unlike the second-derivative test it sees higher-order terms, which is what the
    degenerate cases (:math:`\theta^4`, :math:`\theta^3`, the monkey saddle) need.

    Parameters
    ----------
    fun : callable
        The objective, called with arrays of the shape of ``x`` (shape ``(1,)`` for a
        number); it may return a number or a one-element array.
    x : array_like
        The point to probe (usually a stationary point).
    radius : float
        Radius :math:`r > 0` of the sphere.
    num_directions : int
        Number of sampled directions in two or more dimensions (at least 2).
    seed : int
        Seed of the random directions in three or more dimensions.

    Examples
    --------
    >>> probe_stationary_point(lambda t: t**4, 0.0)
    'minimum'
    >>> probe_stationary_point(lambda t: t**3, 0.0)
    'neither'
    """
    if not radius > 0:
        raise ValueError(f"radius must be positive, got {radius}.")
    if int(num_directions) != num_directions or num_directions < 2:
        raise ValueError(f"num_directions must be an integer >= 2, got {num_directions}.")
    x = np.atleast_1d(np.asarray(x, dtype=float))
    if x.ndim != 1:
        raise ValueError(f"x must be a point (a 1-D array), got shape {x.shape}.")
    d = x.size
    if d == 1:
        directions = np.array([[1.0], [-1.0]])
    elif d == 2:
        angles = 2 * np.pi * np.arange(int(num_directions)) / int(num_directions)
        directions = np.column_stack([np.cos(angles), np.sin(angles)])
    else:
        directions = np.random.default_rng(seed).standard_normal((int(num_directions), d))
        directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    f0 = float(np.squeeze(fun(x)))
    deltas = np.array([float(np.squeeze(fun(x + radius * u))) - f0 for u in directions])
    if np.any(deltas > 0) and np.any(deltas < 0):
        return NEITHER
    if np.all(deltas > 0):
        return MINIMUM
    if np.all(deltas < 0):
        return MAXIMUM
    return INCONCLUSIVE
