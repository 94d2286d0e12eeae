r"""Convexity and the convergence rates of gradient methods (chapter 9).

Three groups of functions, numpy only:

- **Hessians and convexity tests**: :func:`fd_hessian` (central differences),
  :func:`min_hessian_eigenvalue` (the smallest Hessian eigenvalue over sampled points, a
  numerical second-order test), the Hessians of least squares, logistic regression, softmax
  (multinomial) regression and log-sum-exp, and the test functions :func:`bilinear_loss`
  (:math:`(1 - w_1 w_2)^2`, source 001), :func:`peaks` (source 004, Figure 4.1b) and the
  non-convex :func:`sigmoid_squared_loss` with its constant :func:`sigmoid_squared_smoothness`.
- **Constants**: :func:`least_squares_constants` gives the smoothness constant :math:`L`, the
  strong-convexity constant :math:`m` and :math:`\kappa = L/m` of least squares from the
  singular values of the data matrix.
- **Bounds of the convergence theorems**: :func:`descent_lemma_bound`,
  :func:`gd_nonconvex_bound`, :func:`gd_convex_bound`, :func:`gd_strongly_convex_bound`,
  :func:`gd_linear_rate`, :func:`sgd_convex_bound`, :func:`sgd_strongly_convex_bound`, and
  Nesterov's worst-case quadratic :func:`nesterov_worst_quadratic` with the lower bound
  :func:`krylov_lower_bound` that no first-order method beats on it.

Convention: :math:`C` is :math:`L`-smooth if :math:`\|\nabla C(\theta) - \nabla C(\phi)\| \le
L\|\theta - \phi\|`, and :math:`m`-strongly convex (:math:`m > 0`) if
:math:`C(\phi) \ge C(\theta) + \nabla C(\theta)^\top(\phi - \theta) + \tfrac m2\|\phi - \theta\|^2`.
For twice differentiable :math:`C` these say :math:`mI \preceq \nabla^2 C \preceq LI`.

References
----------
Y. Nesterov, *Lectures on Convex Optimization* (2018), Sections 2.1-2.2; S. Boyd and
L. Vandenberghe, *Convex Optimization* (2004), Chapter 3; L. Bottou, F. E. Curtis and
J. Nocedal, "Optimization methods for large-scale machine learning" (2018), Section 4;
sources 001, 002 and 004 (Section 4.1).
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from course_lib import checks
from course_lib.problems import Problem

# --------------------------------------------------------------------------- Hessians


def fd_hessian(fun: Callable, theta, h: float = 1e-4) -> np.ndarray:
    r"""The Hessian of ``fun`` at ``theta`` by central differences, symmetrised.

    .. math::

        H_{ij} \approx \frac{C(\theta + h e_i + h e_j) - C(\theta + h e_i - h e_j)
        - C(\theta - h e_i + h e_j) + C(\theta - h e_i - h e_j)}{4h^2},

    with error :math:`O(h^2)` (fourth derivatives) plus rounding of order
    :math:`\epsilon_{mach}|C|/h^2`; ``h = 1e-4`` balances the two for :math:`|C|` of order one.

    References
    ----------
    004, Section 4.4 (numerical differentiation).

    Examples
    --------
    >>> H = fd_hessian(lambda t: t[0] ** 2 + 3 * t[0] * t[1], np.array([1.0, 2.0]))
    >>> np.round(H, 6)
    array([[2., 3.],
           [3., 0.]])
    """
    theta = _vector("theta", theta)
    if not (isinstance(h, (int, float, np.floating)) and math.isfinite(h) and h > 0):
        raise ValueError(f"fd_hessian: h must be a positive finite step, got {h!r}.")
    d = theta.size
    E = h * np.eye(d)
    H = np.empty((d, d))
    for i in range(d):
        for j in range(i, d):
            H[i, j] = (fun(theta + E[i] + E[j]) - fun(theta + E[i] - E[j])
                       - fun(theta - E[i] + E[j]) + fun(theta - E[i] - E[j])) / (4 * h * h)
            H[j, i] = H[i, j]
    return H


class HessianScan(NamedTuple):
    """Result of :func:`min_hessian_eigenvalue`.

    Attributes
    ----------
    value : float
        The smallest eigenvalue found, :math:`\\min_k \\lambda_D(H(\\theta_k))`.
    point : ndarray
        The sampled point where it occurs.
    eigenvalues : ndarray, shape (N,)
        The smallest eigenvalue at each sampled point.
    """

    value: float
    point: np.ndarray
    eigenvalues: np.ndarray


def min_hessian_eigenvalue(hess: Callable, points) -> HessianScan:
    r"""The smallest Hessian eigenvalue over sampled points: a numerical second-order test.

    .. math::

        \hat\lambda = \min_{k=1..N} \lambda_D\big(\nabla^2 C(\theta_k)\big).

    A twice differentiable :math:`C` is convex on an open convex set iff :math:`\lambda_D(\nabla^2
    C) \ge 0` everywhere on it. One sampled point with :math:`\hat\lambda < 0` *proves* that
    :math:`C` is not convex; :math:`\hat\lambda \ge 0` on every sample is only evidence. Each
    Hessian is symmetrised, :math:`(H + H^\top)/2`, before ``eigvalsh`` (a finite-difference
    Hessian is symmetric only up to rounding).

    Parameters
    ----------
    hess : callable ``theta -> (D, D) array``
        The Hessian, analytic or :func:`fd_hessian` wrapped in a lambda.
    points : array, shape (N, D)

    References
    ----------
    004, Section 4.1 (the Hessian test of convexity); Boyd and Vandenberghe (2004), Section 3.1.4.

    Examples
    --------
    >>> scan = min_hessian_eigenvalue(lambda t: np.diag([2.0, 6 * t[1]]), np.array([[0.0, 1.0], [0.0, -1.0]]))
    >>> scan.value, scan.point
    (-6.0, array([ 0., -1.]))
    """
    pts = np.asarray(points, dtype=float)
    if pts.ndim != 2 or pts.shape[0] == 0:
        raise ValueError(f"min_hessian_eigenvalue: points must be a non-empty (N, D) array, got shape {pts.shape}; "
                         "stack the sampled points as rows.")
    if not np.all(np.isfinite(pts)):
        raise ValueError("min_hessian_eigenvalue: points contain non-finite values; sample finite points.")
    lows = np.empty(len(pts))
    for k, p in enumerate(pts):
        H = np.asarray(hess(p), dtype=float)
        if H.shape != (pts.shape[1], pts.shape[1]):
            raise ValueError(f"min_hessian_eigenvalue: hess returned shape {H.shape} at a point of dimension "
                             f"{pts.shape[1]}; it must return a (D, D) matrix.")
        lows[k] = np.linalg.eigvalsh(0.5 * (H + H.T))[0]
    k = int(np.argmin(lows))
    return HessianScan(float(lows[k]), pts[k].copy(), lows)


def least_squares_hessian(X, bias: bool = False) -> np.ndarray:
    r"""Hessian of least squares :math:`C(\theta) = \frac1{2n}\|X\theta - y\|^2`:

    .. math::

        \nabla^2 C = \frac1n X^\top X, \qquad v^\top \nabla^2 C\, v = \frac1n\|Xv\|^2 \ge 0 .

    It does not depend on :math:`\theta` or :math:`y`. With ``bias=True`` the model is
    :math:`w^\top x + b` and :math:`X` is replaced by :math:`[X\ \ \mathbf 1]`; if the columns of
    :math:`X` are standardised, the Hessian is then the features' correlation matrix bordered by
    a 1 (the bias decouples because the features are centred), chapter 11.

    References
    ----------
    004, Section 4.1 (convexity of linear regression); 002 (condition number, input
    standardisation).

    Examples
    --------
    >>> least_squares_hessian(np.array([[1.0, 0.0], [1.0, 2.0]]))
    array([[1., 1.],
           [1., 2.]])
    >>> least_squares_hessian(np.array([[1.0], [-1.0]]), bias=True)
    array([[1., 0.],
           [0., 1.]])
    """
    X = _matrix("X", X)
    if bias:
        X = np.hstack([X, np.ones((X.shape[0], 1))])
    return X.T @ X / X.shape[0]


def logistic_hessian(X, theta) -> np.ndarray:
    r"""Hessian of logistic regression :math:`C(\theta) = \frac1n\sum_i [\log(1 + e^{z_i}) - y_i z_i]`,
    :math:`z_i = x_i^\top\theta`:

    .. math::

        \nabla^2 C = \frac1n X^\top S X, \quad S = \operatorname{diag}\big(\sigma(z_i)(1 - \sigma(z_i))\big),
        \qquad v^\top \nabla^2 C\, v = \frac1n \sum_i \sigma(z_i)(1-\sigma(z_i)) (x_i^\top v)^2 \ge 0 .

    The labels do not enter. (The loss is course_lib.stochastic.logistic_regression with l2 = 0.)

    References
    ----------
    004, Section 4.1 (convexity of logistic regression).

    Examples
    --------
    >>> logistic_hessian(np.array([[2.0], [0.0]]), np.zeros(1))   # sigma(0)(1 - sigma(0)) = 1/4
    array([[0.5]])
    """
    X = _matrix("X", X)
    theta = _vector("theta", theta)
    if theta.size != X.shape[1]:
        raise ValueError(f"logistic_hessian: theta has {theta.size} entries but X has {X.shape[1]} columns.")
    z = X @ theta
    s = np.exp(-np.logaddexp(0.0, -z))          # sigma(z) without overflow
    w = s * (1.0 - s)
    return (X * w[:, None]).T @ X / X.shape[0]


def log_sum_exp() -> Problem:
    r"""Log-sum-exp :math:`C(z) = \log\sum_k e^{z_k}`, its gradient (the softmax) and Hessian.

    .. math::

        \nabla C = p = \operatorname{softmax}(z), \qquad \nabla^2 C = \operatorname{diag}(p) - p p^\top,

        v^\top \nabla^2 C\, v = \sum_k p_k v_k^2 - \Big(\sum_k p_k v_k\Big)^2 = \operatorname{Var}_{k\sim p}(v_k) \ge 0 .

    The Hessian is the covariance matrix of the one-hot vector of a categorical variable with
    probabilities :math:`p`; it is singular (:math:`\nabla^2 C\,\mathbf 1 = 0`), so log-sum-exp
    is convex but not strictly convex. Evaluated as :math:`\max z + \log\sum e^{z - \max z}`.

    References
    ----------
    004, Section 4.1 and its footnote 5; Boyd and Vandenberghe (2004), Section 3.1.5.

    Examples
    --------
    >>> p = log_sum_exp()
    >>> round(float(p.fun(np.zeros(4))), 6), p.grad(np.zeros(2))   # log 4; uniform softmax
    (1.386294, array([0.5, 0.5]))
    """

    def softmax(z):
        z = np.asarray(z, dtype=float)
        e = np.exp(z - z.max())
        return e / e.sum()

    def fun(z):
        z = np.asarray(z, dtype=float)
        top = z.max()
        return float(top + np.log(np.exp(z - top).sum()))

    def hess(z):
        p = softmax(z)
        return np.diag(p) - np.outer(p, p)

    return Problem("log-sum-exp", fun, softmax, hess, None)


def softmax_regression(X, Y) -> Problem:
    r"""Multinomial (softmax) regression as a function of the weight matrix, flattened.

    With weights :math:`W \in \mathbb R^{d \times K}` (``theta = W.ravel()``, row-major), scores
    :math:`z_i = W^\top x_i`, probabilities :math:`p_i = \operatorname{softmax}(z_i)` and one-hot
    labels :math:`y_i` (rows of ``Y``):

    .. math::

        C(W) = \frac1n\sum_i \Big[\log\sum_k e^{z_{ik}} - y_i^\top z_i\Big], \qquad
        \nabla_W C = \frac1n X^\top (P - Y),

        \nabla^2 C = \frac1n \sum_i (x_i x_i^\top) \otimes \big(\operatorname{diag}(p_i) - p_i p_i^\top\big) \succeq 0 .

    Each term is a Kronecker product of two positive semidefinite matrices, hence positive
    semidefinite: the loss is log-sum-exp (convex) composed with a linear map, plus a linear
    term. It is never strictly convex: adding one vector to every column of :math:`W` changes no
    probability (:math:`\nabla^2 C\,(u \otimes \mathbf 1) = 0`).

    References
    ----------
    004, Section 4.1 (convexity of multinomial regression).

    Examples
    --------
    >>> p = softmax_regression(np.array([[1.0, 0.0]]), np.array([[1.0, 0.0, 0.0]]))
    >>> round(p.fun(np.zeros(6)), 6)   # log 3 at W = 0
    1.098612
    """
    X = _matrix("X", X)
    Y = np.asarray(Y, dtype=float)
    if Y.ndim != 2 or Y.shape[0] != X.shape[0]:
        raise ValueError(f"softmax_regression: Y must be a (n, K) one-hot array with n = {X.shape[0]} rows, "
                         f"got shape {Y.shape}.")
    if not (np.all((Y == 0) | (Y == 1)) and np.all(Y.sum(axis=1) == 1)):
        raise ValueError("softmax_regression: each row of Y must be one-hot (one 1, the rest 0).")
    n, d = X.shape
    K = Y.shape[1]

    def weights(theta):
        theta = np.asarray(theta, dtype=float)
        if theta.shape != (d * K,):
            raise ValueError(f"softmax_regression: theta must have d * K = {d * K} entries, got shape {theta.shape}.")
        return theta.reshape(d, K)

    def probabilities(Z):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / E.sum(axis=1, keepdims=True)

    def fun(theta):
        Z = X @ weights(theta)
        top = Z.max(axis=1)
        lse = top + np.log(np.exp(Z - top[:, None]).sum(axis=1))
        return float(np.mean(lse - np.sum(Y * Z, axis=1)))

    def grad(theta):
        P = probabilities(X @ weights(theta))
        return (X.T @ (P - Y) / n).ravel()

    def hess(theta):
        P = probabilities(X @ weights(theta))
        H = np.zeros((d * K, d * K))
        for x, p in zip(X, P):
            H += np.kron(np.outer(x, x), np.diag(p) - np.outer(p, p))
        return H / n

    return Problem(f"softmax regression (n={n}, d={d}, K={K})", fun, grad, hess, None)


def bilinear_loss() -> Problem:
    r"""Source 001's loss :math:`C(w) = (1 - w_1 w_2)^2` of the linear two-layer "network"
    :math:`f(x) = w_2 w_1 x` on the sample :math:`(x, y) = (1, 1)`.

    .. math::

        \nabla C = -2(1 - w_1 w_2)\begin{pmatrix} w_2 \\ w_1 \end{pmatrix}, \qquad
        \nabla^2 C = \begin{pmatrix} 2 w_2^2 & 4 w_1 w_2 - 2 \\ 4 w_1 w_2 - 2 & 2 w_1^2 \end{pmatrix} .

    With :math:`p = w_1 w_2`, :math:`\det\nabla^2 C = -4(3p - 1)(p - 1)`: the Hessian is positive
    semidefinite exactly where :math:`1/3 \le w_1 w_2 \le 1` and indefinite elsewhere (at
    :math:`w = 0` its eigenvalues are :math:`\pm 2`), so :math:`C` is neither convex nor concave.
    The minimisers form the hyperbola :math:`w_1 w_2 = 1`.

    References
    ----------
    001 (exercise: neither convex nor concave).

    Examples
    --------
    >>> bilinear_loss().hess(np.zeros(2))
    array([[ 0., -2.],
           [-2.,  0.]])
    """

    def fun(w):
        w1, w2 = _pair(w)
        return (1 - w1 * w2) ** 2

    def grad(w):
        w1, w2 = _pair(w)
        r = 1 - w1 * w2
        return np.array([-2 * r * w2, -2 * r * w1])

    def hess(w):
        w1, w2 = _pair(w)
        c = 4 * w1 * w2 - 2
        return np.array([[2 * w2**2, c], [c, 2 * w1**2]])

    return Problem("(1 - w1 w2)^2", fun, grad, hess, np.array([1.0, 1.0]))


def peaks() -> Problem:
    r"""The "peaks" function of source 004's Figure 4.1(b) (MATLAB's ``peaks``):

    .. math::

        C(x, y) = 3(1-x)^2 e^{-x^2-(y+1)^2} - 10\Big(\frac x5 - x^3 - y^5\Big) e^{-x^2-y^2}
                  - \frac13 e^{-(x+1)^2-y^2} .

    ``fun``, ``grad`` and ``hess`` broadcast over arrays ``x`` of shape ``(2, ...)`` (a grid;
    ``hess`` then has shape ``(2, 2, ...)``). ``fun`` and ``grad`` are analytic; ``hess`` is the
    central-difference Jacobian of ``grad`` (step ``1e-5``, error about 1e-9), symmetrised. It
    has several local minima, maxima and saddles.

    References
    ----------
    004, Figure 4.1(b).

    Examples
    --------
    >>> round(float(peaks().fun(np.zeros(2))), 4)
    0.981
    """

    def parts(v):
        x, y = np.asarray(v[0], dtype=float), np.asarray(v[1], dtype=float)
        return x, y, np.exp(-x**2 - (y + 1) ** 2), np.exp(-x**2 - y**2), np.exp(-(x + 1) ** 2 - y**2)

    def fun(v):
        x, y, a, b, c = parts(v)
        return 3 * (1 - x) ** 2 * a - 10 * (x / 5 - x**3 - y**5) * b - c / 3

    def grad(v):
        x, y, a, b, c = parts(v)
        q = x / 5 - x**3 - y**5
        gx = (-6 * (1 - x) - 6 * x * (1 - x) ** 2) * a - 10 * ((0.2 - 3 * x**2) - 2 * x * q) * b \
            + (2 * (x + 1) / 3) * c
        gy = 3 * (1 - x) ** 2 * (-2 * (y + 1)) * a - 10 * (-5 * y**4 - 2 * y * q) * b + (2 * y / 3) * c
        return np.array([gx, gy])

    def hess(v):
        v = np.asarray(v, dtype=float)
        if v.shape[:1] != (2,):
            raise ValueError(f"peaks: a point has 2 coordinates (shape (2, ...)), got shape {v.shape}.")
        h = 1e-5
        shift = np.eye(2).reshape((2, 2) + (1,) * (v.ndim - 1))
        cols = [(grad(v + h * e) - grad(v - h * e)) / (2 * h) for e in shift]
        H = np.stack(cols, axis=1)
        return 0.5 * (H + np.swapaxes(H, 0, 1))

    return Problem("peaks", fun, grad, hess, None)


def sigmoid_squared_loss(X, y) -> Problem:
    r"""Logistic regression with the *squared* loss, :math:`C(\theta) = \frac1{2n}\sum_i (\sigma(z_i) - y_i)^2`,
    :math:`z_i = x_i^\top\theta`, labels :math:`y_i \in \{0, 1\}`: smooth, bounded below by 0, and
    not convex.

    .. math::

        \nabla C = \frac1n \sum_i (\sigma_i - y_i)\,\sigma_i'\, x_i, \qquad
        \nabla^2 C = \frac1n \sum_i w_i\, x_i x_i^\top, \quad
        w_i = \sigma_i'^2 + (\sigma_i - y_i)\,\sigma_i'' ,

    with :math:`\sigma' = \sigma(1-\sigma)`, :math:`\sigma'' = \sigma'(1 - 2\sigma)`. In terms of
    :math:`s = \sigma(z)`, :math:`w = s^2(1-s)(2-3s)` for :math:`y = 0` (and the mirror image for
    :math:`y = 1`), which is negative for :math:`s > 2/3`: the Hessian can be indefinite. See
    :func:`sigmoid_squared_smoothness` for its constant :math:`L`.

    References
    ----------
    004, Section 4.1 (logistic regression with "the wrong" loss may be non-convex).

    Examples
    --------
    >>> p = sigmoid_squared_loss(np.array([[1.0]]), np.array([1.0]))
    >>> p.fun(np.zeros(1))   # (1/2)(1/2 - 1)^2
    0.125
    """
    X = _matrix("X", X)
    y = np.asarray(y, dtype=float)
    if y.shape != (X.shape[0],) or not np.all((y == 0) | (y == 1)):
        raise ValueError(f"sigmoid_squared_loss: y must hold {X.shape[0]} labels, each 0 or 1.")
    n = X.shape[0]

    def parts(theta):
        theta = _vector("theta", theta)
        s = np.exp(-np.logaddexp(0.0, -(X @ theta)))
        return s, s * (1 - s)

    def fun(theta):
        s, _ = parts(theta)
        return float(0.5 * np.mean((s - y) ** 2))

    def grad(theta):
        s, ds = parts(theta)
        return X.T @ ((s - y) * ds) / n

    def hess(theta):
        s, ds = parts(theta)
        w = ds**2 + (s - y) * ds * (1 - 2 * s)
        return (X * w[:, None]).T @ X / n

    return Problem(f"sigmoid + squared loss (n={n}, d={X.shape[1]})", fun, grad, hess, None)


def sigmoid_squared_smoothness(X) -> float:
    r"""A smoothness constant of :func:`sigmoid_squared_loss`:

    .. math::

        \|\nabla^2 C\| \le c\,\frac{\sigma_{\max}(X)^2}{n}, \qquad
        c = \max_{s \in [0, 1]} |s^2 (1-s)(2-3s)| \approx 0.0770,

    since :math:`|w_i| \le c` for both labels and :math:`\|\sum_i w_i x_i x_i^\top\| \le c\,\|X^\top X\|`.
    :math:`c` is computed from the roots of the polynomial's derivative.

    Examples
    --------
    >>> round(sigmoid_squared_smoothness(np.eye(2)), 4)   # c / 2
    0.0385
    """
    X = _matrix("X", X)
    poly = np.polynomial.Polynomial([0.0, 0.0, 2.0, -5.0, 3.0])          # s^2 (1 - s)(2 - 3s)
    roots = poly.deriv().roots()
    candidates = np.concatenate([[0.0, 1.0], roots[np.isreal(roots)].real])
    candidates = candidates[(candidates >= 0) & (candidates <= 1)]
    c = float(np.max(np.abs(poly(candidates))))
    return c * float(np.linalg.norm(X, 2)) ** 2 / X.shape[0]


# --------------------------------------------------------------------------- constants


class Constants(NamedTuple):
    """Smoothness :math:`L`, strong convexity :math:`m` and condition number :math:`\\kappa = L/m`."""

    L: float
    m: float
    kappa: float


def least_squares_constants(X) -> Constants:
    r""":math:`L`, :math:`m` and :math:`\kappa` of :math:`C(\theta) = \frac1{2n}\|X\theta - y\|^2`
    from the singular values :math:`\sigma_1 \ge \dots \ge \sigma_D` of :math:`X` (n x D):

    .. math::

        \nabla^2 C = \frac1n X^\top X = \frac1n V \Sigma^2 V^\top, \qquad
        L = \frac{\sigma_1^2}{n}, \quad m = \frac{\sigma_D^2}{n}, \quad
        \kappa = \frac{\sigma_1^2}{\sigma_D^2} = \operatorname{cond}(X)^2 .

    ``m = 0`` (``kappa = inf``) when :math:`X` has fewer rows than columns; computing
    :math:`\kappa` from the SVD of :math:`X` avoids forming :math:`X^\top X`, whose condition
    number is the square of :math:`X`'s.

    References
    ----------
    002 (condition number); 004, Section 4.1; Nesterov (2018), Section 2.1.

    Examples
    --------
    >>> least_squares_constants(np.array([[2.0, 0.0], [0.0, 1.0]]))
    Constants(L=2.0, m=0.5, kappa=4.0)
    """
    X = _matrix("X", X)
    n, D = X.shape
    sigma = np.linalg.svd(X, compute_uv=False)
    L = float(sigma[0] ** 2 / n)
    m = float(sigma[-1] ** 2 / n) if n >= D else 0.0
    kappa = float((sigma[0] / sigma[-1]) ** 2) if m > 0 else math.inf
    return Constants(L, m, kappa)


# --------------------------------------------------------------------------- bounds


def descent_lemma_bound(cost: float, grad, learning_rate: float, L: float) -> float:
    r"""The descent lemma's upper bound on :math:`C` after one gradient step.

    For :math:`L`-smooth :math:`C` and :math:`\theta^+ = \theta - \eta g`:

    .. math::

        C(\theta^+) \le C(\theta) - \eta\Big(1 - \frac{L\eta}2\Big)\|g\|^2 ,

    a decrease whenever :math:`0 < \eta < 2/L`, largest (:math:`\|g\|^2/(2L)`) at :math:`\eta = 1/L`.

    References
    ----------
    Nesterov (2018), Lemma 1.2.3 and eq. (1.2.19); Bottou, Curtis and Nocedal (2018), Lemma 4.2.

    Examples
    --------
    >>> descent_lemma_bound(1.0, np.array([1.0, 1.0]), 0.5, 2.0)   # 1 - 0.5 (1 - 0.5) 2
    0.5
    """
    g = _vector("grad", grad)
    _positive("learning_rate", learning_rate)
    _positive("L", L)
    return float(cost - learning_rate * (1 - L * learning_rate / 2) * (g @ g))


def gd_nonconvex_bound(L: float, gap0: float, num_steps: int) -> float:
    r"""Bound on the smallest gradient norm of gradient descent with :math:`\eta = 1/L` on an
    :math:`L`-smooth function bounded below by :math:`C^*`:

    .. math::

        \min_{0 \le t < T} \|\nabla C(\theta_t)\| \le \sqrt{\frac{2L\,(C(\theta_0) - C^*)}{T}} .

    ``gap0`` is :math:`C(\theta_0) - C^*` (any lower bound of :math:`C` may replace :math:`C^*`).

    References
    ----------
    Nesterov (2018), eq. (1.2.22); 001 (the non-convex rate).

    Examples
    --------
    >>> gd_nonconvex_bound(2.0, 4.0, 16)
    1.0
    """
    _positive("L", L)
    _nonnegative("gap0", gap0)
    T = _count("num_steps", num_steps)
    return math.sqrt(2 * L * gap0 / T)


def gd_convex_bound(L: float, dist0_sq: float, num_steps) -> np.ndarray | float:
    r"""Bound on :math:`C(\theta_T) - C^*` for gradient descent with :math:`\eta = 1/L` on a
    convex :math:`L`-smooth function with a minimiser :math:`\theta^*`:

    .. math::

        C(\theta_T) - C^* \le \frac{L\,\|\theta_0 - \theta^*\|^2}{2T} .

    ``num_steps`` may be an array of positive integers.

    References
    ----------
    Nesterov (2018), Corollary 2.1.2 (which has the sharper :math:`2L\|\theta_0-\theta^*\|^2/(T+4)`);
    Bottou, Curtis and Nocedal (2018).

    Examples
    --------
    >>> gd_convex_bound(1.0, 2.0, 10)
    0.1
    """
    _positive("L", L)
    _nonnegative("dist0_sq", dist0_sq)
    T = np.asarray(num_steps, dtype=float)
    if np.any(T < 1) or np.any(T != np.round(T)):
        raise ValueError("gd_convex_bound: num_steps must be positive integers (the bound is for T >= 1).")
    out = L * dist0_sq / (2 * T)
    return float(out) if out.ndim == 0 else out


def gd_strongly_convex_bound(m: float, L: float, gap0: float, num_steps) -> np.ndarray | float:
    r"""Bound on :math:`C(\theta_t) - C^*` for gradient descent with :math:`\eta = 1/L` on an
    :math:`m`-strongly convex :math:`L`-smooth function:

    .. math::

        C(\theta_t) - C^* \le \Big(1 - \frac mL\Big)^t \big(C(\theta_0) - C^*\big) .

    Proof: the descent lemma gives :math:`C(\theta_{t+1}) \le C(\theta_t) - \|g_t\|^2/(2L)`, and
    strong convexity gives :math:`\|g_t\|^2 \ge 2m\,(C(\theta_t) - C^*)`.

    References
    ----------
    Nesterov (2018), Theorem 2.1.15; Bottou, Curtis and Nocedal (2018), Theorem 4.6 (no noise).

    Examples
    --------
    >>> gd_strongly_convex_bound(1.0, 4.0, 1.0, np.arange(3))
    array([1.    , 0.75  , 0.5625])
    """
    _check_m_L(m, L)
    _nonnegative("gap0", gap0)
    t = _steps(num_steps)
    out = gap0 * (1 - m / L) ** t
    return float(out) if out.ndim == 0 else out


def gd_linear_rate(m: float, L: float, learning_rate: float | None = None) -> float:
    r"""Contraction factor of the distance :math:`\|\theta_t - \theta^*\|` per step of gradient
    descent with step :math:`\eta` on an :math:`m`-strongly convex :math:`L`-smooth function:

    .. math::

        \|\theta_{t+1} - \theta^*\| \le q\,\|\theta_t - \theta^*\|, \qquad
        q(\eta) = \max(|1 - \eta m|, |1 - \eta L|) .

    :math:`q < 1` iff :math:`0 < \eta < 2/L`; the best step is :math:`\eta = 2/(L+m)` (the
    default), with :math:`q = (\kappa - 1)/(\kappa + 1)`, the rate of chapter 1.

    References
    ----------
    Nesterov (2018), Theorem 2.1.15 (for :math:`\eta = 2/(L+m)`); 000 (the quadratic case).

    Examples
    --------
    >>> gd_linear_rate(1.0, 3.0)          # (3 - 1) / (3 + 1)
    0.5
    >>> gd_linear_rate(1.0, 3.0, 1 / 3)   # 1 - m / L
    0.6666666666666667
    """
    _check_m_L(m, L)
    eta = 2.0 / (L + m) if learning_rate is None else learning_rate
    _positive("learning_rate", eta)
    return float(max(abs(1 - eta * m), abs(1 - eta * L)))


def sgd_convex_bound(dist0_sq: float, sigma2: float, learning_rate: float, L: float, num_steps) -> np.ndarray | float:
    r"""Bound on :math:`\mathbb E\,C(\bar\theta_T) - C^*` for SGD with a constant step on a convex
    :math:`L`-smooth function, :math:`\bar\theta_T = \frac1T\sum_{t=1}^T \theta_t`.

    The stochastic gradient is unbiased with :math:`\mathbb E\|\tilde g_t - \nabla C(\theta_t)\|^2
    \le \sigma^2`; for :math:`\eta \le 1/L`

    .. math::

        \mathbb E\, C(\bar\theta_T) - C^* \le \frac{\|\theta_0 - \theta^*\|^2}{2\eta T} + \eta\sigma^2 ,

    and :math:`\eta = \min(1/L, \|\theta_0-\theta^*\|/(\sigma\sqrt{2T}))` makes it
    :math:`O(1/\sqrt T)`: :math:`\sqrt 2\,\|\theta_0 - \theta^*\|\sigma/\sqrt T` once the second
    term wins.

    References
    ----------
    Bottou, Curtis and Nocedal (2018), Section 4; Nesterov (2018), Section 3.2 (the
    non-smooth version); 001 (the O(1/sqrt(T)) rate).

    Examples
    --------
    >>> sgd_convex_bound(1.0, 1.0, 0.1, 1.0, 50)   # 1 / (2 * 0.1 * 50) + 0.1
    0.2
    """
    _nonnegative("dist0_sq", dist0_sq)
    _nonnegative("sigma2", sigma2)
    _positive("learning_rate", learning_rate)
    _positive("L", L)
    if learning_rate > 1 / L * (1 + 1e-12):
        raise ValueError(f"sgd_convex_bound: the bound needs learning_rate <= 1/L = {1 / L:.6g}, got {learning_rate}.")
    T = np.asarray(num_steps, dtype=float)
    if np.any(T < 1):
        raise ValueError("sgd_convex_bound: num_steps must be at least 1.")
    out = dist0_sq / (2 * learning_rate * T) + learning_rate * sigma2
    return float(out) if out.ndim == 0 else out


def sgd_strongly_convex_bound(m: float, L: float, sigma2: float, gap1: float, beta: float, gamma: float,
                              num_steps) -> np.ndarray | float:
    r"""Bound on :math:`\mathbb E\,C(\theta_t) - C^*` for SGD with :math:`\eta_t = \beta/(\gamma + t)`,
    :math:`t = 1, 2, \dots`, on an :math:`m`-strongly convex :math:`L`-smooth function with
    unbiased gradients, :math:`\mathbb E\|\tilde g_t\|^2 \le \sigma^2 + \|\nabla C(\theta_t)\|^2`:

    .. math::

        \mathbb E\,C(\theta_t) - C^* \le \frac{\nu}{\gamma + t}, \qquad
        \nu = \max\Big(\frac{\beta^2 L \sigma^2}{2(\beta m - 1)},\ (\gamma + 1)\big(C(\theta_1) - C^*\big)\Big),

    provided :math:`\beta > 1/m` and :math:`\eta_1 = \beta/(\gamma+1) \le 1/L`. So the error
    decays like :math:`1/t` with steps :math:`\eta_t \approx \beta/t`, :math:`\beta` a little
    more than :math:`1/m`. ``gap1`` is :math:`C(\theta_1) - C^*` at the first iterate.

    References
    ----------
    Bottou, Curtis and Nocedal (2018), Theorem 4.7 (with :math:`c = m`, :math:`\mu = \mu_G = 1`,
    :math:`M = \sigma^2`, :math:`M_G = 1`).

    Examples
    --------
    >>> sgd_strongly_convex_bound(1.0, 1.0, 1.0, 0.5, 2.0, 1.0, 1)   # nu = max(2, 1) = 2, / 2
    1.0
    """
    _check_m_L(m, L)
    _nonnegative("sigma2", sigma2)
    _nonnegative("gap1", gap1)
    if not beta * m > 1:
        raise ValueError(f"sgd_strongly_convex_bound: beta must exceed 1/m = {1 / m:.6g}, got {beta}.")
    if not (gamma >= 0 and beta / (gamma + 1) <= 1 / L * (1 + 1e-12)):
        raise ValueError("sgd_strongly_convex_bound: gamma must be >= 0 with beta / (gamma + 1) <= 1/L "
                         "(the first step must not exceed 1/L).")
    t = np.asarray(num_steps, dtype=float)
    if np.any(t < 1):
        raise ValueError("sgd_strongly_convex_bound: num_steps (the index t) must be at least 1.")
    nu = max(beta**2 * L * sigma2 / (2 * (beta * m - 1)), (gamma + 1) * gap1)
    out = nu / (gamma + t)
    return float(out) if out.ndim == 0 else out


def nesterov_worst_quadratic(dim: int, m: float, L: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Nesterov's worst function in the class of :math:`m`-strongly convex :math:`L`-smooth ones:
    the quadratic :math:`C(\theta) = \tfrac12\theta^\top A\theta - b^\top\theta` with

    .. math::

        A = \frac{L - m}4\,M + m I, \qquad
        M = \begin{pmatrix} 2 & -1 & & \\ -1 & 2 & \ddots & \\ & \ddots & \ddots & -1 \\ & & -1 & 1 \end{pmatrix},
        \qquad b = \frac{L - m}4\, e_1 .

    The eigenvalues of :math:`M` lie in :math:`(0, 4)`, so :math:`mI \prec A \prec LI`. With
    :math:`m = 0` (convex, not strongly) the minimiser is :math:`\theta^* = \mathbf 1` exactly. Since
    :math:`A` is tridiagonal and :math:`b \propto e_1`, every method that starts at 0 and steps
    along combinations of past gradients keeps :math:`\theta_t` in
    :math:`\operatorname{span}(e_1, \dots, e_t)`: see :func:`krylov_lower_bound`. As ``dim`` grows
    the minimiser tends to :math:`\theta^*_i = q^i`, :math:`q = (\sqrt\kappa - 1)/(\sqrt\kappa + 1)`.

    References
    ----------
    Nesterov (2018), Section 2.1.4 (Theorem 2.1.13; the infinite-dimensional version).

    Examples
    --------
    >>> A, b = nesterov_worst_quadratic(3, 1.0, 5.0)
    >>> A
    array([[ 3., -1.,  0.],
           [-1.,  3., -1.],
           [ 0., -1.,  2.]])
    """
    dim = _count("dim", dim)
    _positive("L", L)
    _nonnegative("m", m)
    if m > L:
        raise ValueError(f"m = {m} exceeds L = {L}: did you swap them?")
    M = 2 * np.eye(dim) - np.eye(dim, k=1) - np.eye(dim, k=-1)
    M[-1, -1] = 1.0
    A = (L - m) / 4 * M + m * np.eye(dim)
    b = np.zeros(dim)
    b[0] = (L - m) / 4
    return A, b


def krylov_lower_bound(theta_star, num_steps) -> np.ndarray | float:
    r"""Lower bound on :math:`\|\theta_t - \theta^*\|^2` for any method with
    :math:`\theta_t \in \operatorname{span}(e_1, \dots, e_t)` (first-order methods from 0 on
    :func:`nesterov_worst_quadratic`):

    .. math::

        \|\theta_t - \theta^*\|^2 \ge \sum_{i > t} (\theta^*_i)^2 .

    With :math:`\theta^*_i = q^i` this is :math:`q^{2t}\|\theta^*\|^2`: no such method contracts
    the distance faster than :math:`q = (\sqrt\kappa-1)/(\sqrt\kappa+1)` per step, the rate of
    heavy ball (chapter 3) and conjugate gradients.

    Examples
    --------
    >>> krylov_lower_bound(np.array([0.5, 0.25, 0.125]), np.arange(4))
    array([0.328125, 0.078125, 0.015625, 0.      ])
    """
    x = _vector("theta_star", theta_star)
    t = _steps(num_steps).astype(int)
    tails = np.concatenate([np.cumsum((x**2)[::-1])[::-1], [0.0]])
    out = tails[np.minimum(t, x.size)]
    return float(out) if out.ndim == 0 else out


# --------------------------------------------------------------------------- validation


def _vector(name, value) -> np.ndarray:
    v = np.asarray(value, dtype=float)
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {v.shape}.")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{name} contains non-finite values (nan or inf); pass finite numbers.")
    return v


def _matrix(name, value) -> np.ndarray:
    M = checks.array(name, value, ndim=2)
    if 0 in M.shape:
        raise ValueError(f"Invalid {name}: it has shape {M.shape}; it must be a non-empty (n, D) matrix.")
    return M


def _positive(name, value):
    checks.real(name, value, positive=True)


def _nonnegative(name, value):
    checks.real(name, value, nonnegative=True)


def _check_m_L(m, L):
    _positive("m", m)
    _positive("L", L)
    if m > L:
        raise ValueError(f"m = {m} exceeds L = {L}: the strong-convexity constant is at most the smoothness "
                         "constant (m <= lambda_D <= lambda_1 <= L); did you swap them?")


def _count(name, value) -> int:
    return checks.integer(name, value, minimum=1)


def _steps(t) -> np.ndarray:
    t = np.asarray(t, dtype=float)
    if np.any(t < 0) or np.any(t != np.round(t)):
        raise ValueError("num_steps must be non-negative integers (step counts).")
    return t


def _pair(x):
    x = np.asarray(x, dtype=float)
    if x.shape != (2,):
        raise ValueError(f"expected a point with 2 coordinates, got shape {x.shape}.")
    return x[0], x[1]
