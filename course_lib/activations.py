r"""The logistic function and the derivatives of sigmoid and tanh, accurate to a few ulps.

The textbook forms :math:`\sigma' = \sigma(1 - \sigma)` and :math:`\tanh' = 1 - \tanh^2` are
exact in real arithmetic but not in floating point: once :math:`\sigma(x)` or :math:`\tanh x`
is within a few ulps of 1, the subtraction :math:`1 - a` cancels, and its result carries the
rounding error of :math:`a` (up to :math:`\varepsilon_{\mathrm{mach}}/2` absolute) as a
*relative* error of order :math:`\varepsilon_{\mathrm{mach}}/(1 - a)`. In double precision,
from about :math:`x = 37` on, :math:`\sigma(x)` rounds to 1 or to its neighbour
:math:`1 - 2^{-53}`, so :math:`\sigma(1 - \sigma)` is 0 or :math:`2^{-53}` where the true
derivative is :math:`e^{-x}(1 + O(e^{-x}))`.

The forms used here never subtract two close numbers:

.. math::

    \sigma'(x) = \sigma(x)\,\sigma(-x) = \frac{e^{-|x|}}{(1 + e^{-|x|})^2}, \qquad
    \tanh'(x) = \frac{1}{\cosh^2 x} = \frac{4\,e^{-2|x|}}{(1 + e^{-2|x|})^2} .

With :math:`e = e^{-|x|}` (or :math:`e^{-2|x|}`) in :math:`(0, 1]` every operation is an
``exp`` of an exact argument, an addition of two positive numbers, a square and a quotient, so
the relative error is a small multiple of the unit roundoff :math:`u = 2^{-53}`: at most about
:math:`3\,\delta_{\exp} + 4u` (:math:`\delta_{\exp}` the error of ``np.exp``, under one ulp),
about :math:`10^{-15}`. This holds while :math:`e` is a normal number, that is for
:math:`|x| \le 708` (:math:`\sigma'`) and :math:`|x| \le 354` (:math:`\tanh'`); beyond, the
true values are subnormal or below the smallest double, and only an absolute accuracy of
about :math:`5\times10^{-324}` is possible in any double-precision code.

:func:`sigmoid` uses the same idea for the value: :math:`1/(1 + e^{-|x|})` for :math:`x \ge 0`
and :math:`e^{-|x|}/(1 + e^{-|x|})` for :math:`x < 0`, accurate to a few ulps everywhere
(computing it as ``exp(-logaddexp(0, -x))`` loses about :math:`|x|\,u` relative for large
negative :math:`x`).

References
----------
N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., SIAM, 2002
(Sections 1.7 and 2.2: cancellation, the standard model of floating-point arithmetic).

Examples
--------
>>> float(dsigmoid(40.0)) > 0.0, float(dtanh(20.0)) > 0.0
(True, True)
>>> abs(float(dsigmoid(40.0)) / float(np.exp(-40.0)) - 1.0) < 1e-15   # sigma'(x) ~ e^{-x}
True
"""

from __future__ import annotations

import numpy as np


def sigmoid(x):
    r"""The logistic function :math:`\sigma(x) = 1/(1 + e^{-x})`, without overflow and accurate
    to a few ulps for every :math:`x`.

    Examples
    --------
    >>> float(sigmoid(0.0)), float(sigmoid(-800.0)), float(sigmoid(800.0))
    (0.5, 0.0, 1.0)
    """
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0.0, 1.0, e) / (1.0 + e)


def dsigmoid(x):
    r""":math:`\sigma'(x) = \sigma(x)\,\sigma(-x) = e^{-|x|} / (1 + e^{-|x|})^2`, without the
    cancellation of :math:`\sigma(1 - \sigma)` (see the module docstring).

    Examples
    --------
    >>> float(dsigmoid(0.0))
    0.25
    """
    return _ratio(np.asarray(x, dtype=float), -1.0, 1.0)


def dtanh(x):
    r""":math:`\tanh'(x) = 1/\cosh^2 x = 4e^{-2|x|} / (1 + e^{-2|x|})^2`, without the
    cancellation of :math:`1 - \tanh^2 x` and without the overflow of :math:`\cosh x`.

    Examples
    --------
    >>> float(dtanh(0.0))
    1.0
    """
    return _ratio(np.asarray(x, dtype=float), -2.0, 4.0)


def _ratio(x, k, c):
    r""":math:`c\, e / (1 + e)^2` with :math:`e = e^{k|x|}`; arrays in two buffers (one pass of
    ``exp``, the rest in place), which keeps the backward pass within a few percent of the
    cancelling form's speed."""
    if x.ndim == 0:
        e = np.exp(k * abs(x))
        return c * e / ((1.0 + e) * (1.0 + e))
    e = np.abs(x)
    e *= k
    np.exp(e, out=e)
    d = e + 1.0
    d *= d
    np.divide(e, d, out=e)
    if c != 1.0:
        e *= c
    return e
