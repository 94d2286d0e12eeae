r"""The second-order Taylor model and its error.

For a twice continuously differentiable :math:`C` and a point :math:`\theta`, the model

.. math::

    m_\theta(d) = C(\theta) + \nabla C(\theta)^\top d + \tfrac12 d^\top \nabla^2 C(\theta)\, d

satisfies :math:`C(\theta + d) - m_\theta(d) = o(\|d\|^2)`: the remainder divided by
:math:`\|d\|^2` tends to zero. When :math:`C` has three continuous derivatives the remainder
is :math:`O(\|d\|^3)`, so the ratio falls in proportion to :math:`\|d\|`.
"""

from __future__ import annotations

import numpy as np


def quadratic_model(fun, grad, hess, x):
    r"""Return the second-order model :math:`m_x(d)` of ``fun`` around ``x``.

    Parameters
    ----------
    fun, grad, hess : callables
        The objective and its exact derivatives.
    x : array_like
        The expansion point.

    Returns
    -------
    callable
        ``model(d)`` evaluates :math:`C(x) + g^\top d + \tfrac12 d^\top H d`.

    References
    ----------
    000, eq. (2.1); 004, eq. (4.55).

    Examples
    --------
    >>> from course_lib.problems import rosenbrock
    >>> p = rosenbrock()
    >>> m = quadratic_model(p.fun, p.grad, p.hess, np.array([0.0, 0.0]))
    >>> float(m(np.zeros(2)))
    1.0
    """
    x = np.atleast_1d(np.asarray(x, dtype=float))
    f0 = float(np.squeeze(fun(x)))
    g = np.atleast_1d(grad(x)).astype(float)
    H = np.atleast_2d(hess(x)).astype(float)

    def model(d):
        d = np.atleast_1d(np.asarray(d, dtype=float))
        return f0 + g @ d + 0.5 * d @ H @ d

    return model


def taylor_error_ratios(fun, grad, hess, x, direction, steps):
    r"""Relative error of the quadratic model along a ray.

    For each step length :math:`h` in ``steps``, with :math:`d = h u`,

    .. math::

        r(h) = \frac{|C(x + d) - m_x(d)|}{\|d\|^2}.

    :math:`r(h) \to 0` as :math:`h \to 0` is exactly the statement
    :math:`C(x + d) - m_x(d) = o(\|d\|^2)`.

    Returns
    -------
    ndarray, shape (len(steps),)
    """
    x, u, steps = _ray(x, direction, steps)
    model = quadratic_model(fun, grad, hess, x)
    ratios = []
    for h in steps:
        d = h * u
        remainder = float(np.squeeze(fun(x + d))) - model(d)
        ratios.append(abs(remainder) / (d @ d))
    return np.array(ratios)


def linear_model_error_ratios(fun, grad, x, direction, steps):
    r"""Error of the *first-order* model along a ray, divided by :math:`\|d\|^2`.

    For each step length :math:`h` in ``steps``, with :math:`d = h u`,

    .. math::

        r_1(h) = \frac{|C(x + d) - C(x) - \nabla C(x)^\top d|}{\|d\|^2}
        \;\longrightarrow\; \tfrac12 \frac{|u^\top \nabla^2 C(x)\, u|}{\|u\|^2}
        \quad (h \to 0).

    The tangent-plane model misses the curvature term, so unlike
    :func:`taylor_error_ratios` this ratio tends to a non-zero constant whenever the
    directional curvature :math:`u^\top \nabla^2 C(x) u` is non-zero.

    Parameters
    ----------
    fun, grad : callables
        The objective and its exact gradient.
    x : array_like
        The expansion point.
    direction : array_like
        A non-zero direction :math:`u` of the same shape as ``x``.
    steps : array_like
        Non-zero step lengths :math:`h`.

    Returns
    -------
    ndarray, shape (len(steps),)

    References
    ----------
    000, eq. (2.1) (the expansion whose quadratic term this model drops).

    Examples
    --------
    >>> fun, grad = (lambda x: float(x @ x)), (lambda x: 2 * x)
    >>> linear_model_error_ratios(fun, grad, np.zeros(2), np.array([1.0, 0.0]), [0.1, 0.01])
    array([1., 1.])
    """
    x, u, steps = _ray(x, direction, steps)
    f0 = float(np.squeeze(fun(x)))
    g = np.atleast_1d(grad(x)).astype(float)
    ratios = []
    for h in steps:
        d = h * u
        remainder = float(np.squeeze(fun(x + d))) - f0 - g @ d
        ratios.append(abs(remainder) / (d @ d))
    return np.array(ratios)


def _ray(x, direction, steps):
    """Validate a point, a direction and step lengths for the ratio functions."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    u = np.atleast_1d(np.asarray(direction, dtype=float))
    if u.shape != x.shape:
        raise ValueError(f"direction has shape {u.shape} but x has shape {x.shape}.")
    if not np.any(u):
        raise ValueError("direction must be a non-zero vector.")
    steps = np.asarray(steps, dtype=float)
    if np.any(steps == 0):
        raise ValueError("step lengths must be non-zero (the ratio divides by |d|^2).")
    return x, u, steps
