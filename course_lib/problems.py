r"""Test functions with exact gradients and Hessians.

Every problem is a :class:`Problem`: a named bundle of ``fun``, ``grad`` and ``hess``
written out by hand from the formula in its docstring. The tests compare each derivative
with central finite differences and, for Rosenbrock, with :mod:`scipy.optimize`.

Univariate problems act element-wise on arrays, so ``fun(np.linspace(...))`` plots the
curve; their ``grad`` and ``hess`` return the first and second derivative.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np


class Problem(NamedTuple):
    """A smooth objective with its derivatives.

    Attributes
    ----------
    name : str
    fun : callable ``x -> float``
    grad : callable ``x -> ndarray``
    hess : callable ``x -> ndarray``
    x_min : ndarray or None
        A known local minimiser, if there is one.
    """

    name: str
    fun: Callable
    grad: Callable
    hess: Callable
    x_min: np.ndarray | None = None


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Problem:
    r"""Rosenbrock's banana function in two variables.

    .. math::

        C(\theta) = (a - \theta_1)^2 + b\,(\theta_2 - \theta_1^2)^2,

        \nabla C = \begin{pmatrix} -2(a - \theta_1) - 4 b \theta_1 (\theta_2 - \theta_1^2) \\
                                    2 b (\theta_2 - \theta_1^2) \end{pmatrix},\qquad
        \nabla^2 C = \begin{pmatrix} 2 - 4b(\theta_2 - 3\theta_1^2) & -4 b \theta_1 \\
                                      -4 b \theta_1 & 2b \end{pmatrix}.

    The unique minimiser is :math:`(a, a^2)`.

    References
    ----------
    004, eq. (4.9) (with :math:`a = 1, b = 100`).

    Examples
    --------
    >>> p = rosenbrock()
    >>> float(p.fun(np.array([1.0, 1.0])))
    0.0
    """
    if b <= 0:
        raise ValueError(f"Invalid Rosenbrock parameter b={b}: it must be positive.")

    def fun(x):
        x1, x2 = _pair(x)
        return (a - x1) ** 2 + b * (x2 - x1**2) ** 2

    def grad(x):
        x1, x2 = _pair(x)
        return np.array([-2 * (a - x1) - 4 * b * x1 * (x2 - x1**2), 2 * b * (x2 - x1**2)])

    def hess(x):
        x1, x2 = _pair(x)
        return np.array([[2 - 4 * b * (x2 - 3 * x1**2), -4 * b * x1], [-4 * b * x1, 2 * b]])

    return Problem(f"Rosenbrock (a={a:g}, b={b:g})", fun, grad, hess, np.array([a, a**2]))


def quadratic(A, b=None) -> Problem:
    r"""The quadratic :math:`C(\theta) = \tfrac12 \theta^\top A \theta - b^\top \theta`.

    Its gradient is :math:`A\theta - b` and its Hessian the constant :math:`A`. When
    :math:`A` is symmetric positive definite the minimiser is :math:`A^{-1} b`.
    """
    A = np.asarray(A, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be a square matrix, got an array of shape {A.shape}.")
    if not np.allclose(A, A.T):
        raise ValueError("A must be symmetric: the Hessian of a quadratic form is symmetric.")
    b = np.zeros(A.shape[0]) if b is None else np.asarray(b, dtype=float)
    if b.shape != (A.shape[0],):
        raise ValueError(f"b must have shape ({A.shape[0]},), got {b.shape}.")
    eigenvalues = np.linalg.eigvalsh(A)
    x_min = np.linalg.solve(A, b) if eigenvalues[0] > 0 else None
    return Problem(
        f"quadratic (d={A.shape[0]})",
        lambda x: 0.5 * x @ A @ x - b @ x,
        lambda x: A @ x - b,
        lambda x: A,
        x_min,
    )


def spd_matrix(eigenvalues, seed: int | None = 0) -> np.ndarray:
    r"""A symmetric matrix :math:`Q \operatorname{diag}(\lambda) Q^\top` with a random rotation.

    ``Q`` is the orthogonal factor of the QR decomposition of a Gaussian matrix drawn with
    ``seed`` (sign-corrected so that it is uniformly distributed). The eigenvalues may have
    any sign; the name says what it is most often used for.
    """
    eigenvalues = np.asarray(eigenvalues, dtype=float)
    d = eigenvalues.size
    rng = np.random.default_rng(seed)
    Q, R = np.linalg.qr(rng.standard_normal((d, d)))
    Q = Q * np.sign(np.diag(R))
    A = (Q * eigenvalues) @ Q.T
    return 0.5 * (A + A.T)


def overshoot_cubic() -> Problem:
    r"""The cubic :math:`C(\theta) = (\theta - 3)^2 (\theta + 3)`.

    .. math::

        C'(\theta) = 3(\theta - 3)(\theta + 1), \qquad C''(\theta) = 6(\theta - 1).

    A local minimum at 3, a local maximum at -1, an inflection point at 1.

    References
    ----------
    004, eq. (4.52).
    """
    return Problem(
        "(θ-3)²(θ+3)",
        lambda t: (t - 3) ** 2 * (t + 3),
        lambda t: 3 * (t - 3) * (t + 1),
        lambda t: 6 * (t - 1),
        np.array([3.0]),
    )


def oscillating_quartic() -> Problem:
    r"""The double well :math:`C(\theta) = \tfrac14 \theta^4 - \tfrac52 \theta^2`.

    .. math::

        C'(\theta) = \theta^3 - 5\theta, \qquad C''(\theta) = 3\theta^2 - 5.

    Minima at :math:`\pm\sqrt5`, a maximum at 0. From :math:`\theta = \pm 1` Newton's
    method jumps to :math:`\mp 1` for ever.

    References
    ----------
    004, Section 4.6 (the signs of the quartic are lost in some extractions of the text;
    with :math:`+\tfrac52\theta^2` the function is convex and nothing oscillates).
    """
    return Problem(
        "θ⁴/4 - 5θ²/2",
        lambda t: 0.25 * t**4 - 2.5 * t**2,
        lambda t: t**3 - 5 * t,
        lambda t: 3 * t**2 - 5,
        np.array([np.sqrt(5.0)]),
    )


def monkey_saddle() -> Problem:
    r"""The monkey saddle :math:`C(x, y) = x^3 - 3 x y^2`.

    Its gradient and Hessian both vanish at the origin, so the second-derivative test says
    nothing there, yet the origin is neither a minimum nor a maximum.
    """

    def fun(x):
        x1, x2 = _pair(x)
        return x1**3 - 3 * x1 * x2**2

    def grad(x):
        x1, x2 = _pair(x)
        return np.array([3 * x1**2 - 3 * x2**2, -6 * x1 * x2])

    def hess(x):
        x1, x2 = _pair(x)
        return np.array([[6 * x1, -6 * x2], [-6 * x2, -6 * x1]])

    return Problem("monkey saddle", fun, grad, hess, None)


def strict_saddle() -> Problem:
    r"""A strict saddle between two minima: :math:`C(\theta) = \tfrac12\theta_1^2 - \tfrac12\theta_2^2 + \tfrac14\theta_2^4`.

    .. math::

        \nabla C = \begin{pmatrix} \theta_1 \\ \theta_2^3 - \theta_2 \end{pmatrix}, \qquad
        \nabla^2 C = \begin{pmatrix} 1 & 0 \\ 0 & 3\theta_2^2 - 1 \end{pmatrix}.

    The origin is a saddle with Hessian eigenvalues :math:`1` and :math:`-1` (strict: one is
    negative, none is zero); :math:`(0, \pm 1)` are the minima, with :math:`C = -\tfrac14`.
    Gradient descent started on the axis :math:`\theta_2 = 0` stays on it and converges to
    the saddle.

    References
    ----------
    001 (strict saddles and perturbed SGD).
    """

    def fun(x):
        x1, x2 = _pair(x)
        return 0.5 * x1**2 - 0.5 * x2**2 + 0.25 * x2**4

    def grad(x):
        x1, x2 = _pair(x)
        return np.array([x1, x2**3 - x2])

    def hess(x):
        x1, x2 = _pair(x)
        return np.array([[1.0, 0.0], [0.0, 3 * x2**2 - 1]])

    return Problem("strict saddle", fun, grad, hess, np.array([0.0, 1.0]))


def sharp_and_flat(sharp_width: float = 0.1, flat_width: float = 0.75, centre: float = 1.5,
                   confinement: float = 0.1) -> Problem:
    r"""A one-dimensional landscape with a sharp and a flat minimum of (almost) equal depth.

    .. math::

        C(\theta) = \tfrac{k}{2}\theta^2 - e^{-(\theta + m)^2 / (2 s^2)} - e^{-(\theta - m)^2 / (2 w^2)},

    with the narrow well (width :math:`s`) at :math:`-m`, the wide one (width :math:`w`) at
    :math:`+m`, and a weak bowl :math:`k\theta^2/2` that brings far-away iterates back. The
    curvature at the bottom of a Gaussian well of width :math:`s` is about :math:`1/s^2` (plus
    :math:`k`): 100 against 1.8 with the defaults, so gradient descent can rest in the sharp
    well only with a step below about :math:`2/100`. Acts element-wise (univariate).

    References
    ----------
    001 (sharp versus flat minima; Keskar et al. 2017).
    """
    for name, value in (("sharp_width", sharp_width), ("flat_width", flat_width), ("centre", centre)):
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"Invalid {name}: {value!r} (it must be a positive number).")
    if not (np.isfinite(confinement) and confinement >= 0):
        raise ValueError(f"Invalid confinement: {confinement!r} (it must be a non-negative number).")
    s2, w2, m, k = sharp_width**2, flat_width**2, centre, confinement

    def wells(t):
        return np.exp(-((t + m) ** 2) / (2 * s2)), np.exp(-((t - m) ** 2) / (2 * w2))

    def fun(t):
        a, b = wells(t)
        return 0.5 * k * t**2 - a - b

    def grad(t):
        a, b = wells(t)
        return k * t + a * (t + m) / s2 + b * (t - m) / w2

    def hess(t):
        a, b = wells(t)
        return k + a * (1 / s2 - (t + m) ** 2 / s2**2) + b * (1 / w2 - (t - m) ** 2 / w2**2)

    return Problem("sharp and flat wells", fun, grad, hess, None)


def _pair(x):
    x = np.asarray(x, dtype=float)
    if x.shape[:1] != (2,):
        raise ValueError(f"this function takes a point in R^2, got an array of shape {x.shape}.")
    return x[0], x[1]
