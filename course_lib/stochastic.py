r"""Finite-sum objectives, mini-batch gradients and stochastic gradient descent.

Convention: the MEAN form
-------------------------
A training objective is a finite sum over :math:`n` examples, written here as a *mean*,

.. math::

    C(\theta) = \frac1n \sum_{i=1}^n C_i(\theta), \qquad
    \nabla C(\theta) = \frac1n \sum_{i=1}^n \nabla C_i(\theta),

as in 002 and 004 (eq. 4.4). Source 000 uses the SUM form
:math:`\mathcal L_N = \sum_i C_i = n\, C`, whose gradient is :math:`n` times larger: a step
:math:`\eta` on the sum form is a step :math:`n\eta` on the mean form, and its estimator
:math:`N\,\nabla C_I` (eq. 2.5) is :math:`n` times the one used here. Nothing else changes.
In code, examples are indexed :math:`0, \dots, n-1`.

Mini-batch estimator
--------------------
For a batch :math:`B = (i_1, \dots, i_b)` of indices drawn uniformly, with or without
replacement, the estimator is the batch mean of the per-example gradients,

.. math::

    \hat g_B(\theta) = \frac1b \sum_{j=1}^b \nabla C_{i_j}(\theta),
    \qquad \mathbb E\,\hat g_B = \nabla C(\theta).

It is unbiased because each :math:`i_j` is (marginally) uniform on :math:`\{1,\dots,n\}`, so
:math:`\mathbb E \nabla C_{i_j} = \frac1n\sum_i \nabla C_i`, and expectation is linear. No
central limit theorem is needed for that (002 invokes one); the CLT says something else:
that :math:`\hat g_B` is approximately Gaussian for large :math:`b`.
Its noise, :math:`\mathbb E\|\hat g_B - \nabla C\|^2`, is computed exactly by
:func:`minibatch_variance`: :math:`\sigma^2/b` with replacement, smaller without.

SGD steps follow the convention of :mod:`course_lib.optim`: an update is what is *added* to
the parameters, :math:`\theta_{t+1} = \theta_t + u_t` with :math:`u_t = -\eta_t \hat g_t`.

References
----------
000, Section 2.2 (Algorithm 1, Exercise 2.3); 002 (standard error, mini-batches,
Algorithm 8.1); 004, Section 4.2 (eqs. 4.10-4.13, epochs, mini-batch variance).
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from course_lib import checks
from course_lib.activations import sigmoid


class FiniteSum(NamedTuple):
    r"""A finite-sum objective :math:`C(\theta) = \frac1n \sum_i C_i(\theta)` (mean form).

    Attributes
    ----------
    name : str
    n : int
        Number of examples :math:`n`.
    fun : callable ``theta -> float``
        :math:`C(\theta)`, the *mean* of the per-example losses.
    grad : callable ``theta -> ndarray (d,)``
        The full gradient :math:`\nabla C(\theta) = \frac1n\sum_i \nabla C_i(\theta)`.
    fun_i : callable ``(theta, idx) -> ndarray (len(idx),)``
        The per-example losses :math:`C_i(\theta)` for ``i`` in the index array ``idx``.
    grad_i : callable ``(theta, idx) -> ndarray (len(idx), d)``
        The per-example gradients :math:`\nabla C_i(\theta)`, one row per index (repeated
        indices give repeated rows).
    x_min : ndarray or None
        The minimiser of :math:`C`, when it is known in closed form.
    grad_rows : callable ``(thetas, idx) -> ndarray (R, b, d)`` or None
        Per-example gradients for ``R`` runs at once: row ``r`` holds ``grad_i(thetas[r], idx[r])``
        (``thetas`` of shape ``(R, d)``, ``idx`` of shape ``(R, b)``). Problems built from data
        ``(X, y)`` provide it; :func:`sgd_runs` uses it to advance many runs side by side.

    Notes
    -----
    For the sum form :math:`\sum_i C_i` (source 000) multiply ``fun`` and ``grad`` by ``n``.
    """

    name: str
    n: int
    fun: Callable
    grad: Callable
    fun_i: Callable
    grad_i: Callable
    x_min: np.ndarray | None = None
    grad_rows: Callable | None = None


class Dataset(NamedTuple):
    """A synthetic data set: inputs ``X`` (n, d), targets ``y`` (n,), and the parameter used."""

    X: np.ndarray
    y: np.ndarray
    theta_true: np.ndarray


# --------------------------------------------------------------------------- problems


def least_squares(X, y) -> FiniteSum:
    r"""Linear least squares as a finite sum.

    .. math::

        C_i(\theta) = \tfrac12 (x_i^\top\theta - y_i)^2, \qquad
        \nabla C_i(\theta) = (x_i^\top\theta - y_i)\, x_i, \qquad
        C(\theta) = \frac{1}{2n} \|X\theta - y\|^2 .

    ``x_min`` is the least-squares solution (:func:`numpy.linalg.lstsq`, the minimum-norm one
    if :math:`X` has dependent columns).

    References
    ----------
    004, Section 4.1 (linear regression as a convex finite sum).

    Examples
    --------
    >>> p = least_squares(np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([0.0, 0.0]))
    >>> p.grad_i(np.ones(2), np.array([0, 1]))   # rows (x_i^T theta - y_i) x_i
    array([[1., 0.],
           [0., 4.]])
    >>> p.fun(np.ones(2)), p.fun(p.x_min)         # (1/2n) ||X theta - y||^2
    (1.25, 0.0)
    """
    X, y = _data(X, y)

    def fun_i(theta, idx):
        idx = _indices(idx, len(y))
        return 0.5 * (X[idx] @ _theta(theta, X) - y[idx]) ** 2

    def grad_i(theta, idx):
        idx = _indices(idx, len(y))
        residual = X[idx] @ _theta(theta, X) - y[idx]
        return residual[:, None] * X[idx]

    def grad_rows(thetas, idx):
        Xb, r = _rows(thetas, idx, X, y)
        return r[..., None] * Xb

    def fun(theta):
        return float(0.5 * np.mean((X @ _theta(theta, X) - y) ** 2))

    def grad(theta):
        return X.T @ (X @ _theta(theta, X) - y) / len(y)

    x_min = np.linalg.lstsq(X, y, rcond=None)[0]
    return FiniteSum(f"least squares (n={len(y)}, d={X.shape[1]})", len(y), fun, grad, fun_i, grad_i, x_min,
                     grad_rows)


def logistic_regression(X, y, l2: float = 0.0) -> FiniteSum:
    r"""Logistic regression (binary cross-entropy) with an optional ridge penalty.

    With labels :math:`y_i \in \{0, 1\}`, :math:`z_i = x_i^\top\theta` and
    :math:`\sigma(z) = 1/(1+e^{-z})`,

    .. math::

        C_i(\theta) = -y_i \log\sigma(z_i) - (1-y_i)\log(1-\sigma(z_i))
                      + \tfrac{\lambda}{2}\|\theta\|^2
                    = \log(1 + e^{z_i}) - y_i z_i + \tfrac{\lambda}{2}\|\theta\|^2,

        \nabla C_i(\theta) = (\sigma(z_i) - y_i)\, x_i + \lambda\theta .

    The penalty is put in every :math:`C_i`, so the mean :math:`C` carries it once. The
    softplus :math:`\log(1+e^z)` is evaluated as ``logaddexp(0, z)`` and :math:`\sigma(z)` as
    :math:`e^{-\log(1+e^{-z})}`, so neither overflows for large :math:`|z|`. There is no
    closed-form minimiser (``x_min`` is None); with :math:`\lambda > 0` it exists and is unique.

    Parameters
    ----------
    X : array, shape (n, d)
    y : array, shape (n,), entries 0 or 1
    l2 : float
        Ridge coefficient :math:`\lambda \ge 0`.

    References
    ----------
    004, Section 4.1 (convexity of logistic regression).

    Examples
    --------
    >>> p = logistic_regression(np.array([[1.0], [-1.0]]), np.array([1, 0]))
    >>> round(p.fun(np.zeros(1)), 6)   # log 2 at theta = 0
    0.693147
    >>> p.grad_i(np.zeros(1), np.array([0, 1]))
    array([[-0.5],
           [-0.5]])
    """
    X, y = _data(X, y)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"labels must be 0 or 1, got the values {np.unique(y)[:10]}.")
    if isinstance(l2, bool) or not isinstance(l2, (int, float, np.integer, np.floating)) or not (
        np.isfinite(l2) and l2 >= 0
    ):
        raise ValueError(f"Invalid l2 coefficient: {l2!r} (it must be a non-negative number).")

    def fun_i(theta, idx):
        idx, theta = _indices(idx, len(y)), _theta(theta, X)
        z = X[idx] @ theta
        return np.logaddexp(0.0, z) - y[idx] * z + 0.5 * l2 * (theta @ theta)

    def grad_i(theta, idx):
        idx, theta = _indices(idx, len(y)), _theta(theta, X)
        z = X[idx] @ theta
        return (sigmoid(z) - y[idx])[:, None] * X[idx] + l2 * theta

    def fun(theta):
        theta = _theta(theta, X)
        z = X @ theta
        return float(np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * (theta @ theta))

    def grad(theta):
        theta = _theta(theta, X)
        return X.T @ (sigmoid(X @ theta) - y) / len(y) + l2 * theta

    name = f"logistic regression (n={len(y)}, d={X.shape[1]}, l2={l2:g})"
    return FiniteSum(name, len(y), fun, grad, fun_i, grad_i, None)


def cauchy_regression(X, y, scale: float = 1.0) -> FiniteSum:
    r"""Robust linear regression with the Cauchy loss: a smooth, *non-convex* finite sum.

    With residuals :math:`r_i = x_i^\top\theta - y_i` and scale :math:`c > 0`,

    .. math::

        C_i(\theta) = \frac{c^2}{2} \log\Big(1 + \frac{r_i^2}{c^2}\Big), \qquad
        \nabla C_i(\theta) = \frac{r_i}{1 + r_i^2/c^2}\, x_i, \qquad
        \nabla^2 C_i(\theta) = \frac{1 - r_i^2/c^2}{(1 + r_i^2/c^2)^2}\, x_i x_i^\top .

    For small residuals it is least squares; large ones (outliers) pull with a force of at most
    :math:`c/2`, and where :math:`|r_i| > c` the curvature factor is negative, so the loss is
    not convex. The factor :math:`\rho''(r) = (1-u)/(1+u)^2`, :math:`u = r^2/c^2`, lies in
    :math:`[-\tfrac18, 1]` (its minimum is at :math:`u = 3`), which gives the constants of
    the non-convex SGD theorem (001) in closed form:

    - the gradient is :math:`L`-Lipschitz with
      :math:`L = \lambda_{\max}\big(\tfrac1n X^\top X\big)`, since
      :math:`-\tfrac1n X^\top X \preceq \nabla^2 C \preceq \tfrac1n X^\top X`;
    - a one-example gradient has :math:`\|\nabla C_i\| \le \tfrac c2 \|x_i\|`, so its
      variance is at most :math:`\sigma^2 = \tfrac{c^2}{4}\cdot\tfrac1n\sum_i \|x_i\|^2`;
    - :math:`C \ge 0`.

    :func:`cauchy_constants` returns these bounds.

    References
    ----------
    001 (convergence of SGD for non-convex problems: the assumptions it needs).

    Examples
    --------
    >>> p = cauchy_regression(np.array([[1.0], [1.0]]), np.array([0.0, 10.0]))
    >>> p.grad_i(np.zeros(1), np.array([0, 1]))   # r = -10: the outlier pulls with force 10/101 only
    array([[ 0.       ],
           [-0.0990099]])
    """
    X, y = _data(X, y)
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not (
        np.isfinite(scale) and scale > 0
    ):
        raise ValueError(f"Invalid scale: {scale!r} (it must be a positive number).")
    c2 = float(scale) ** 2

    def residuals(theta, idx):
        return X[idx] @ _theta(theta, X) - y[idx]

    def fun_i(theta, idx):
        r = residuals(theta, _indices(idx, len(y)))
        return 0.5 * c2 * np.log1p(r**2 / c2)

    def grad_i(theta, idx):
        idx = _indices(idx, len(y))
        r = residuals(theta, idx)
        return (r / (1 + r**2 / c2))[:, None] * X[idx]

    def grad_rows(thetas, idx):
        Xb, r = _rows(thetas, idx, X, y)
        return (r / (1 + r**2 / c2))[..., None] * Xb

    def fun(theta):
        r = X @ _theta(theta, X) - y
        return float(np.mean(0.5 * c2 * np.log1p(r**2 / c2)))

    def grad(theta):
        r = X @ _theta(theta, X) - y
        return X.T @ (r / (1 + r**2 / c2)) / len(y)

    name = f"Cauchy regression (n={len(y)}, d={X.shape[1]}, c={scale:g})"
    return FiniteSum(name, len(y), fun, grad, fun_i, grad_i, None, grad_rows)


class SmoothnessConstants(NamedTuple):
    """Bounds used by the non-convex SGD theorem: gradient Lipschitz constant ``L`` and
    one-example gradient variance ``sigma2`` (both upper bounds)."""

    L: float
    sigma2: float


def cauchy_constants(X, scale: float = 1.0) -> SmoothnessConstants:
    r"""The constants :math:`L` and :math:`\sigma^2` of :func:`cauchy_regression` (see there).

    Examples
    --------
    >>> cauchy_constants(np.array([[1.0, 0.0], [0.0, 2.0]]), scale=2.0)
    SmoothnessConstants(L=2.0, sigma2=2.5)
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a non-empty 2-D array (n, d), got shape {X.shape}.")
    n = X.shape[0]
    L = float(np.linalg.eigvalsh(X.T @ X / n)[-1])
    sigma2 = float(scale) ** 2 / 4 * float(np.mean(np.sum(X**2, axis=1)))
    return SmoothnessConstants(L, sigma2)


#: The data of 004's Figure 4.3(a), from the authors' companion script.
HULL_POINTS = np.array([[1.0, 1.0], [2.0, 0.0], [3.0, 1.0], [2.0, 3.0], [1.0, 2.0]])
HULL_WEIGHTS = np.array([1.0, 2.0, 3.0, 2.0, 4.0])
HULL_START = np.array([6.0, 6.0])


def convex_hull_example(u=None, a=None) -> FiniteSum:
    r"""The two-dimensional example of 004, eq. (4.12), where SGD is drawn to a convex hull.

    .. math::

        C_i(\theta) = a_i\,(\theta_1 - u_{i,1})^2 + (\theta_2 - u_{i,2})^2, \qquad
        \nabla C_i(\theta) = \begin{pmatrix} 2 a_i (\theta_1 - u_{i,1}) \\
                                             2 (\theta_2 - u_{i,2}) \end{pmatrix},

    with :math:`a_i > 0`. Each :math:`C_i` is convex with unique minimiser :math:`u_i`, and
    the mean :math:`C` is minimised at

    .. math::

        \theta^*_1 = \frac{\sum_i a_i u_{i,1}}{\sum_i a_i}, \qquad
        \theta^*_2 = \frac1n \sum_i u_{i,2}.

    **Reading of the source.** The extraction of (4.12) lost its minus signs and shows no
    bracket, so :math:`a_i` could scale one square or both. The authors' companion script
    (``yoninazarathy/MathematicalEngineeringDeepLearning``, file
    ``Python/Stochastic-gradient-descent.py``) scales only the first, as here, and supplies
    the data used by default: :math:`u_1..u_5 = (1,1), (2,0), (3,1), (2,3), (1,2)`,
    :math:`a = (1, 2, 3, 2, 4)` (:data:`HULL_POINTS`, :data:`HULL_WEIGHTS`); its runs start
    from :math:`\theta^{(0)} = (6, 6)` (:data:`HULL_START`) with step 0.01.

    **Caveat.** 004 argues that the minimiser of :math:`C` lies in the convex hull :math:`S`
    of the :math:`u_i`, and that outside :math:`S` every :math:`-\nabla C_i` points towards
    :math:`S`, whichever example is drawn. Both hold when :math:`a_i` scales both squares
    (then :math:`-\nabla C_i \propto u_i - \theta` and :math:`\theta^*` is a convex
    combination of the :math:`u_i`). Under the literal (4.12) they can fail. The minimiser:
    with :math:`u = (0,0), (1,1)` and :math:`a = (1, 100)`, :math:`\theta^* = (100/101, 1/2)`
    is off the segment :math:`S` (for the default data it is inside). The directions, even
    for the default data: at :math:`\theta = (2.25, 0.1)`, just outside the edge from
    :math:`(2,0)` to :math:`(3,1)`, a small step along :math:`-\nabla C_3` moves *away* from
    :math:`S`. The figure's observation survives: with the source's step 0.01, SGD from
    :math:`(6, 6)` enters :math:`S` and then rarely leaves it (``tests/test_stochastic.py``).

    Parameters
    ----------
    u : array, shape (n, 2), optional
        The minimisers :math:`u_i`; default :data:`HULL_POINTS`.
    a : array, shape (n,), optional
        The positive weights :math:`a_i`; default :data:`HULL_WEIGHTS`.

    References
    ----------
    004, Section 4.2, eq. (4.12) and Figure 4.3.

    Examples
    --------
    >>> p = convex_hull_example()
    >>> p.n, p.x_min
    (5, array([1.83333333, 1.4       ]))
    """
    u = HULL_POINTS if u is None else np.asarray(u, dtype=float)
    a = HULL_WEIGHTS if a is None else np.asarray(a, dtype=float)
    if u.ndim != 2 or u.shape[1] != 2 or u.shape[0] < 1:
        raise ValueError(f"u must have shape (n, 2) with n >= 1, got {u.shape}.")
    if a.shape != (u.shape[0],):
        raise ValueError(f"a must have shape ({u.shape[0]},), one weight per point, got {a.shape}.")
    if not np.all(np.isfinite(u)) or not np.all(np.isfinite(a)):
        raise ValueError("u and a must be finite.")
    if not np.all(a > 0):
        raise ValueError(f"every weight a_i must be positive, got a = {a}.")
    n = u.shape[0]
    scale = np.stack([a, np.ones(n)], axis=1)  # row i: (a_i, 1)

    def fun_i(theta, idx):
        idx = _indices(idx, n)
        return np.sum(scale[idx] * (_point(theta) - u[idx]) ** 2, axis=1)

    def grad_i(theta, idx):
        idx = _indices(idx, n)
        return 2 * scale[idx] * (_point(theta) - u[idx])

    def fun(theta):
        return float(np.mean(np.sum(scale * (_point(theta) - u) ** 2, axis=1)))

    def grad(theta):
        return np.mean(2 * scale * (_point(theta) - u), axis=0)

    x_min = np.array([a @ u[:, 0] / a.sum(), u[:, 1].mean()])
    return FiniteSum(f"convex-hull example (n={n})", n, fun, grad, fun_i, grad_i, x_min)


def make_regression(n: int, d: int, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    r"""Synthetic linear-regression data :math:`y = X\theta_{\rm true} + \varepsilon`.

    :math:`X`, :math:`\theta_{\rm true}` and :math:`\varepsilon/\text{noise}` have independent
    standard normal entries, drawn from ``numpy.random.default_rng(seed)``.

    Examples
    --------
    >>> data = make_regression(5, 2, noise=0.0, seed=1)
    >>> data.X.shape, data.y.shape, bool(np.allclose(data.X @ data.theta_true, data.y))
    ((5, 2), (5,), True)
    """
    _check_sizes(n, d)
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.integer, np.floating)) or not (
        np.isfinite(noise) and noise >= 0
    ):
        raise ValueError(f"Invalid noise level: {noise!r} (it must be a non-negative number).")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    theta_true = rng.standard_normal(d)
    y = X @ theta_true + noise * rng.standard_normal(n)
    return Dataset(X, y, theta_true)


def make_classification(n: int, d: int, seed: int | None = 0) -> Dataset:
    r"""Synthetic logistic-regression data: :math:`y_i \sim \text{Bernoulli}(\sigma(x_i^\top\theta_{\rm true}))`.

    :math:`X` and :math:`\theta_{\rm true}` have independent standard normal entries; labels
    are 0 or 1 (as floats), drawn from ``numpy.random.default_rng(seed)``.

    Examples
    --------
    >>> data = make_classification(6, 3, seed=0)
    >>> data.X.shape, sorted(set(data.y.tolist())) <= [0.0, 1.0]
    ((6, 3), True)
    """
    _check_sizes(n, d)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    theta_true = rng.standard_normal(d)
    y = (rng.random(n) < sigmoid(X @ theta_true)).astype(float)
    return Dataset(X, y, theta_true)


# --------------------------------------------------------------------------- mini-batches


def minibatch_indices(rng: np.random.Generator, n: int, batch_size: int, replace: bool = False) -> np.ndarray:
    r"""Draw one mini-batch of ``batch_size`` indices uniformly from :math:`\{0, \dots, n-1\}`.

    Without replacement (``replace=False``) the batch is a uniformly random subset of distinct
    indices (000's mini-batch), so ``batch_size <= n``. With replacement the indices are
    independent and uniform (000's Algorithm 1 when ``batch_size = 1``; 004's simplification
    for the variance).

    Examples
    --------
    >>> idx = minibatch_indices(np.random.default_rng(0), 10, 4)
    >>> idx.shape, len(set(idx.tolist()))
    ((4,), 4)
    """
    _check_rng(rng)
    _check_batch(n, batch_size, replace)
    return rng.choice(n, size=batch_size, replace=replace)


def minibatch_gradient(problem: FiniteSum, theta, idx) -> np.ndarray:
    r"""The mini-batch gradient :math:`\hat g_B = \frac1b \sum_{i \in B} \nabla C_i(\theta)`.

    An unbiased estimate of the full mean-form gradient :math:`\nabla C(\theta)` when the
    batch is drawn uniformly, with or without replacement (see the module docstring).
    (000 scales the batch sum by a binomial coefficient; the unbiased scaling of a sum over
    :math:`|B|` distinct indices is :math:`N/|B|` in its sum form, :math:`1/|B|` here.)

    References
    ----------
    004, eq. (4.13); 002, Algorithm 8.1; 000, Section 2.2.

    Examples
    --------
    >>> p = least_squares(np.eye(2), np.array([1.0, 3.0]))
    >>> minibatch_gradient(p, np.zeros(2), [0, 1]), p.grad(np.zeros(2))
    (array([-0.5, -1.5]), array([-0.5, -1.5]))
    """
    idx = np.asarray(idx)
    if idx.ndim != 1 or idx.size == 0:
        raise ValueError(f"idx must be a non-empty 1-D array of indices, got shape {idx.shape}.")
    return np.mean(problem.grad_i(theta, idx), axis=0)


def minibatch_variance(problem: FiniteSum, theta, batch_size: int, replace: bool = False) -> float:
    r"""The exact noise :math:`\mathbb E\|\hat g_B - \nabla C(\theta)\|^2` of a uniform mini-batch.

    This is the trace of the covariance matrix of :math:`\hat g_B`. With :math:`g_i = \nabla
    C_i(\theta)`, :math:`\bar g = \frac1n \sum_i g_i = \nabla C(\theta)` and the per-example
    spread :math:`\sigma^2 = \frac1n \sum_i \|g_i - \bar g\|^2`,

    .. math::

        \mathbb E\|\hat g_B - \bar g\|^2 = \begin{cases}
            \dfrac{\sigma^2}{b} & \text{with replacement,} \\[1ex]
            \dfrac{\sigma^2}{b}\,\dfrac{n - b}{n - 1} & \text{without replacement.}
        \end{cases}

    *With replacement* the :math:`b` terms are independent, each with
    :math:`\mathbb E\|g_{i_j} - \bar g\|^2 = \sigma^2`, and the variance of a mean of
    :math:`b` independent terms is :math:`1/b` of theirs (004's :math:`1/n_b`; 002's standard
    error :math:`\sigma/\sqrt N`).

    *Without replacement* write :math:`h_i = g_i - \bar g` (so :math:`\sum_i h_i = 0`) and
    :math:`Z_i = 1` if :math:`i \in B`, else 0. Then :math:`\hat g_B - \bar g = \frac1b
    \sum_i Z_i h_i`, with :math:`\mathbb E Z_i = b/n`,
    :math:`v := \operatorname{Var} Z_i = \frac bn \frac{n-b}{n}` and, for :math:`i \ne j`,
    :math:`c := \operatorname{Cov}(Z_i, Z_j) = \frac{b(b-1)}{n(n-1)} - \frac{b^2}{n^2}
    = -\frac{v}{n-1}`. Hence

    .. math::

        \mathbb E\|\hat g_B - \bar g\|^2
        = \frac1{b^2}\Big[(v - c)\sum_i \|h_i\|^2 + c\,\Big\|\sum_i h_i\Big\|^2\Big]
        = \frac{1}{b^2}\,\frac{v\,n}{n-1}\, n\sigma^2
        = \frac{\sigma^2}{b}\,\frac{n-b}{n-1}.

    The factor :math:`(n-b)/(n-1) \le 1` is the finite-population correction: sampling without
    replacement is never noisier, and the full batch (:math:`b = n`) has no noise at all.

    References
    ----------
    004, Section 4.2 (variance :math:`1/n_b` with replacement); 002 (standard error of the
    mean).

    Examples
    --------
    >>> p = least_squares(np.eye(2), np.array([1.0, -1.0]))
    >>> minibatch_variance(p, np.zeros(2), 1, replace=True)
    0.5
    >>> minibatch_variance(p, np.zeros(2), 2, replace=False)
    0.0
    """
    n = problem.n
    _check_batch(n, batch_size, replace)
    g = problem.grad_i(theta, np.arange(n))
    sigma2 = float(np.mean(np.sum((g - g.mean(axis=0)) ** 2, axis=1)))
    if replace:
        return sigma2 / batch_size
    if n == 1:
        return 0.0
    return sigma2 / batch_size * (n - batch_size) / (n - 1)


def epoch_batches(rng: np.random.Generator, n: int, batch_size: int) -> list[np.ndarray]:
    r"""One epoch: a random permutation of :math:`0..n-1` cut into consecutive batches.

    Every index appears exactly once. There are :math:`\lceil n/b \rceil` batches; all have
    ``batch_size`` indices except the last, which has :math:`n - b(\lceil n/b\rceil - 1)`
    (fewer when :math:`b` does not divide :math:`n`; 004 counts :math:`n/n_b` batches
    assuming it does). Each batch is a uniformly random subset, so its gradient is unbiased;
    the batches of one epoch are not independent of each other.

    References
    ----------
    004, Section 4.2 ("Working with mini-batches and the concept of epochs").

    Examples
    --------
    >>> [b.size for b in epoch_batches(np.random.default_rng(0), 10, 4)]
    [4, 4, 2]
    """
    _check_rng(rng)
    _check_batch(n, batch_size, replace=False)
    perm = rng.permutation(n)
    return [perm[start : start + batch_size] for start in range(0, n, batch_size)]


# --------------------------------------------------------------------------- SGD


class SGDResult(NamedTuple):
    """The outcome of :func:`sgd_run`.

    Attributes
    ----------
    x : ndarray, shape (d,)
        The last iterate.
    trajectory : ndarray, shape (nit + 1, d)
        Every iterate, ``theta0`` first, then one row after each step.
    learning_rates : ndarray, shape (nit,)
        The rate used at each step.
    epoch_ends : ndarray of int
        The rows of ``trajectory`` reached at the end of each completed epoch.
    nit : int
        The number of steps taken.
    diverged : bool
        True if an iterate stopped being finite; the run then ends at the last finite one.
    """

    x: np.ndarray
    trajectory: np.ndarray
    learning_rates: np.ndarray
    epoch_ends: np.ndarray
    nit: int
    diverged: bool


def sgd_run(
    problem: FiniteSum,
    theta0,
    learning_rate,
    num_epochs: int,
    batch_size: int,
    seed: int | None,
    replace: bool = False,
) -> SGDResult:
    r"""Mini-batch stochastic gradient descent for ``num_epochs`` epochs.

    .. math::

        \theta_{t+1} = \theta_t + u_t, \qquad u_t = -\eta_t\, \hat g_{B_t}(\theta_t),
        \qquad \hat g_{B_t} = \frac{1}{|B_t|}\sum_{i\in B_t} \nabla C_i(\theta_t).

    Each epoch makes :math:`\lceil n/b \rceil` steps. Without replacement (the default) the
    batches of an epoch are :func:`epoch_batches`: reshuffled every epoch, disjoint, covering
    every example once. With ``replace=True`` each step draws an independent batch with
    replacement (000's Algorithm 1 for ``batch_size=1``), and an "epoch" is just
    :math:`\lceil n/b\rceil` such steps. ``batch_size = n`` without replacement is full-batch
    gradient descent.

    Parameters
    ----------
    problem : FiniteSum
    theta0 : array_like, shape (d,)
        Starting point; not modified.
    learning_rate : float or callable ``t -> rate``
        A constant rate :math:`\eta > 0`, or a schedule from :mod:`course_lib.schedules`
        (as for the optimizers of :mod:`course_lib.optim`); step ``t`` counts from 0 over the
        whole run (not per epoch).
    num_epochs : int
        Number of epochs (>= 0).
    batch_size : int
        Mini-batch size :math:`b`, between 1 and ``n`` (any positive size with replacement).
    seed : int or None
        Seed of the ``numpy.random.Generator`` drawing the batches: the same seed gives the
        same run.
    replace : bool
        Draw batches with replacement.

    References
    ----------
    000, Algorithm 1; 002, Algorithm 8.1; 001 (minibatch SGD); 004, eq. (4.10) and Section 4.2.

    Examples
    --------
    >>> p = least_squares(np.eye(2), np.array([1.0, 2.0]))
    >>> res = sgd_run(p, np.zeros(2), 1.0, num_epochs=1, batch_size=1, seed=0)
    >>> res.trajectory.shape, res.x           # each step solves one equation exactly
    ((3, 2), array([1., 2.]))
    """
    schedule, num_epochs, theta = _sgd_arguments(problem, theta0, learning_rate, num_epochs, batch_size, replace)
    n = problem.n
    rng = np.random.default_rng(seed)
    trajectory, rates, epoch_ends = [theta], [], []
    diverged = False
    t = 0
    # The loop body is the whole cost of a long run: the batches are drawn as minibatch_indices
    # and epoch_batches draw them (rng.integers is what rng.choice does with replacement: the
    # same stream), and the batch mean is minibatch_gradient's, without re-checking what was
    # checked above; a finite sum proves a finite step (the entries are checked only when it is not).
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(num_epochs):
            for idx in _epoch(rng, n, batch_size, replace):
                lr = float(schedule(t))
                g = problem.grad_i(theta, idx)
                new = theta - lr * (np.add.reduce(g, axis=0) / len(idx))
                if not math.isfinite(np.add.reduce(new, axis=None)) and not np.all(np.isfinite(new)):
                    diverged = True
                    break
                theta = new
                trajectory.append(theta)
                rates.append(lr)
                t += 1
            if diverged:
                break
            epoch_ends.append(t)
    return SGDResult(theta, np.array(trajectory), np.array(rates), np.array(epoch_ends, dtype=int), t, diverged)


def _sgd_arguments(problem, theta0, learning_rate, num_epochs, batch_size, replace):
    """The schedule, the number of epochs and a copy of theta0, checked (sgd_run's arguments)."""
    schedule = checks.schedule("learning_rate", learning_rate)
    num_epochs = checks.integer("num_epochs", num_epochs)
    _check_batch(problem.n, batch_size, replace)
    theta = checks.array("theta0", theta0, atleast_1d=True).copy()
    try:
        problem.grad_i(theta, np.arange(1))
    except ValueError as err:
        raise ValueError(f"Invalid theta0 for the problem {problem.name!r}: {err}") from None
    return schedule, num_epochs, theta


def _epoch(rng, n, batch_size, replace):
    """One epoch's batches: ceil(n/b) independent draws with replacement, or epoch_batches."""
    if replace:
        return [rng.integers(0, n, size=batch_size) for _ in range(-(-n // batch_size))]
    return epoch_batches(rng, n, batch_size)


def sgd_runs(problem: FiniteSum, theta0, learning_rate, num_epochs: int, batch_size: int, seeds,
             replace: bool = False) -> list[SGDResult]:
    r"""Independent runs of :func:`sgd_run`, one per seed, advanced side by side.

    The result is ``[sgd_run(problem, theta0, learning_rate, num_epochs, batch_size, seed,
    replace) for seed in seeds]``: each run draws its batches from its own seed exactly as
    :func:`sgd_run` does and takes the same steps. When the problem has ``grad_rows`` (problems
    built from data ``(X, y)``), each step computes the gradients of every run at once, which is
    several times faster than the runs one after another; the numbers then agree with
    :func:`sgd_run`'s to rounding (the residuals are summed in another order). A run that
    diverges ends where :func:`sgd_run` would end it, and the others go on.

    Examples
    --------
    >>> p = least_squares(np.eye(2), np.array([1.0, 2.0]))
    >>> [r.nit for r in sgd_runs(p, np.zeros(2), 0.5, num_epochs=3, batch_size=1, seeds=[0, 1])]
    [6, 6]
    """
    seeds = list(seeds)
    if problem.grad_rows is None or len(seeds) < 2:
        return [sgd_run(problem, theta0, learning_rate, num_epochs, batch_size, s, replace) for s in seeds]
    schedule, num_epochs, start = _sgd_arguments(problem, theta0, learning_rate, num_epochs, batch_size, replace)
    n, runs = problem.n, len(seeds)
    rngs = [np.random.default_rng(s) for s in seeds]
    steps = num_epochs * -(-n // batch_size)
    paths = np.empty((runs, steps + 1, start.size))
    paths[:, 0] = start
    rates, epoch_ends = [], []
    live = np.arange(runs)                    # the runs still going
    ends = np.full(runs, steps)               # the step at which each run stopped
    theta = paths[:, 0]
    t = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(num_epochs):
            # batch k of every live run: idx[k] has shape (runs still going, size of batch k)
            epochs = [_epoch(rngs[r], n, batch_size, replace) for r in live]
            batches = [np.stack(column) for column in zip(*epochs)]
            for k in range(len(batches)):
                idx = batches[k]
                lr = float(schedule(t))
                g = problem.grad_rows(theta, idx)
                new = theta - lr * (np.add.reduce(g, axis=1) / idx.shape[1])
                if not np.isfinite(new).all():
                    ok = np.isfinite(new).all(axis=1)
                    ends[live[~ok]] = t
                    batches = [b[ok] for b in batches]
                    live, new = live[ok], new[ok]
                    if live.size == 0:
                        break
                paths[live, t + 1] = new
                theta = new
                rates.append(lr)
                t += 1
            if live.size == 0:
                break
            epoch_ends.append(t)
    rates = np.array(rates)
    epoch_ends = np.array(epoch_ends, dtype=int)
    results = []
    for r in range(runs):
        nit = int(ends[r])
        results.append(SGDResult(paths[r, nit].copy(), paths[r, : nit + 1].copy(), rates[:nit].copy(),
                                 epoch_ends[epoch_ends <= nit] if nit < steps else epoch_ends.copy(), nit,
                                 nit < steps))
    return results


def polyak_average(trajectory) -> np.ndarray:
    r"""Running (Polyak-Ruppert) average of iterates: row :math:`k` is
    :math:`\bar\theta_k = \frac{1}{k+1} \sum_{j=0}^{k} \theta_j`.

    Averaging cancels much of the back-and-forth of SGD around a minimiser. 003 averages only
    the last :math:`N` iterates; that is ``polyak_average(trajectory[-N:])[-1]`` (or
    ``trajectory[-N:].mean(axis=0)``). Dropping a burn-in is the same slicing.

    References
    ----------
    003, "Polyak averaging"; Polyak and Juditsky (1992).

    Examples
    --------
    >>> polyak_average(np.array([[0.0], [2.0], [4.0]]))
    array([[0.],
           [1.],
           [2.]])
    """
    trajectory = np.asarray(trajectory, dtype=float)
    if trajectory.ndim != 2 or trajectory.shape[0] == 0:
        raise ValueError(f"trajectory must be a non-empty (steps, d) array, got shape {trajectory.shape}.")
    return np.cumsum(trajectory, axis=0) / np.arange(1, trajectory.shape[0] + 1)[:, None]


def perturbed_gradient_descent(grad, x0, learning_rate: float, num_steps: int, radius: float = 1.0,
                               seed: int | None = 0) -> np.ndarray:
    r"""Perturbed (stochastic) gradient descent: a random kick of fixed length at every step.

    .. math::

        \theta_{t+1} = \theta_t - \eta\,\big(g(\theta_t) + \xi_t\big), \qquad
        \xi_t \sim \text{uniform on the sphere } \{\|\xi\| = r\},

    where ``grad`` may itself be a stochastic gradient. The kick gives the iterate a component
    along every direction, in particular along a Hessian eigenvector with a negative
    eigenvalue, which gradient descent then amplifies: the iterate leaves a strict saddle
    instead of converging to it. Returns the ``num_steps + 1`` iterates, ``x0`` first.

    References
    ----------
    001 (perturbed SGD, with :math:`r = 1`); Ge, Huang, Jin and Yuan (2015).

    Examples
    --------
    >>> xs = perturbed_gradient_descent(lambda x: 0 * x, np.zeros(3), 0.1, 2, radius=1.0, seed=0)
    >>> np.round(np.linalg.norm(np.diff(xs, axis=0), axis=1), 12)   # each kick moves by eta * r
    array([0.1, 0.1])
    """
    learning_rate = checks.real("learning_rate", learning_rate, positive=True)
    num_steps = checks.integer("num_steps", num_steps)
    radius = checks.real("radius", radius, nonnegative=True)
    rng = np.random.default_rng(seed)
    x = checks.array("x0", x0, atleast_1d=True).copy()
    xs = [x]
    for t in range(num_steps):
        xi = rng.standard_normal(x.shape)
        xi *= radius / np.linalg.norm(xi)           # a Gaussian direction, normalised: uniform on the sphere
        g = checks.returned("grad", grad(x), at=lambda: f"step {t} (x = {checks.point(x)})", shape=x.shape)
        x = x - learning_rate * (g + xi)
        xs.append(x)
    return np.array(xs)


# --------------------------------------------------------------------------- helpers


def _data(X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a non-empty 2-D array (n, d), got shape {X.shape}.")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), one target per row of X, got {y.shape}.")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise ValueError("X and y must be finite (no nan or inf).")
    return X, y


def _theta(theta, X):
    theta = np.asarray(theta, dtype=float)
    if theta.shape != (X.shape[1],):
        raise ValueError(f"theta must have shape ({X.shape[1]},), got {theta.shape}.")
    return theta


def _rows(thetas, idx, X, y):
    """``X[idx]`` (R, b, d) and the residuals ``x_i^T theta_r - y_i`` (R, b) of R runs at once."""
    thetas = np.asarray(thetas, dtype=float)
    if thetas.ndim != 2 or thetas.shape[1] != X.shape[1]:
        raise ValueError(f"thetas must have shape (R, {X.shape[1]}) (one run per row), got {thetas.shape}.")
    idx = np.asarray(idx)
    if idx.shape[:1] != thetas.shape[:1] or idx.ndim != 2 or not np.issubdtype(idx.dtype, np.integer):
        raise ValueError(f"idx must be an integer array of shape ({thetas.shape[0]}, b), one batch per run; "
                         f"got {idx.dtype} of shape {idx.shape}.")
    if idx.size and (idx.min() < 0 or idx.max() >= len(y)):
        raise IndexError(f"indices must lie in 0..{len(y) - 1}, got values from {idx.min()} to {idx.max()}.")
    Xb = X[idx]
    return Xb, np.einsum("rbd,rd->rb", Xb, thetas) - y[idx]


def _point(theta):
    theta = np.asarray(theta, dtype=float)
    if theta.shape != (2,):
        raise ValueError(f"this example takes a point in R^2, got an array of shape {theta.shape}.")
    return theta


def _indices(idx, n):
    idx = np.asarray(idx)
    if idx.ndim != 1 or not (np.issubdtype(idx.dtype, np.integer) or idx.size == 0):
        raise ValueError(f"idx must be a 1-D array of integer indices, got {idx!r}.")
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise IndexError(f"indices must lie in 0..{n - 1}, got values from {idx.min()} to {idx.max()}.")
    return idx.astype(int)


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {type(rng).__name__}."
        )


def _check_batch(n, batch_size, replace):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}.")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"Invalid batch_size: {batch_size!r} (it must be a positive integer).")
    if not replace and batch_size > n:
        raise ValueError(
            f"Invalid batch_size: {batch_size} > n = {n}; without replacement a batch holds at most n indices."
        )


def _check_sizes(n, d):
    for name, value in (("n", n), ("d", d)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")


