r"""Automatic differentiation on a tape: forward mode (jvp), reverse mode (vjp) and their tables.

Vocabulary (JAX's)
------------------
For :math:`F:\mathbb R^d\to\mathbb R^m` at a *primal* point :math:`\theta`, a *tangent*
:math:`v\in\mathbb R^d` is pushed forward and a *cotangent* :math:`u\in\mathbb R^m` is pulled back:

.. math::

    \operatorname{jvp}:\ (\theta, v) \mapsto \big(F(\theta),\ J_F(\theta)\, v\big), \qquad
    \operatorname{vjp}:\ (\theta, u) \mapsto \big(F(\theta),\ u^\top J_F(\theta)\big),

so that :math:`\langle u, J v\rangle = \langle J^\top u, v\rangle`. For a scalar loss
(:math:`m = 1`) one vjp with :math:`u = 1` is the whole gradient; a jvp with :math:`v = e_j`
is one partial derivative (004, Section 4.4).

One mechanism
-------------
Calling ``f`` on traced values (:class:`Node`) records every elementary operation on a *tape*,
a list in execution order: each node holds its primitive's name, its parents and its value.
Forward mode sweeps the tape in order with each primitive's jvp rule,

.. math::

    \dot a_i = \sum_{k} \frac{\partial f_i}{\partial u_k}\, \dot u_k \qquad \text{(004, eq. 4.29)},

and reverse mode sweeps it backwards with each primitive's vjp rule, accumulating the adjoint
of every node over its children,

.. math::

    \zeta_i = \frac{\partial C}{\partial a_i} = \sum_{\text{children } c \text{ of } i}
    \frac{\partial a_c}{\partial a_i}\, \zeta_c \qquad \text{(004, eq. 4.31; 000, after eq. 2.10)}.

Both rules of a primitive stand side by side in one table, ``RULES``. Arrays and scalars use
the same machinery (a scalar is a 0-d value), so the tape that differentiates an MLP loss also
prints the small tables of the sources.

Tables and node numbering
-------------------------
:func:`trace` keeps the record, and its :meth:`Trace.primal_table`,
:meth:`Trace.forward_table` and :meth:`Trace.reverse_table` print it (aligned text and HTML),
for graphs of scalars. Two numberings are supported:

- ``numbering="004"`` (default, the book chapter): inputs :math:`\theta_1, \dots, \theta_d`
  (the components of the arguments, in order); intermediate nodes :math:`a_1, \dots, a_n`
  numbered by *iteration* (a node's iteration is one more than the largest iteration of its
  operands, inputs being iteration 0), then by tape order; tangents :math:`\dot a_i`, adjoints
  :math:`\zeta_i`, and :math:`\partial C/\partial\theta_j` for the inputs.
- ``numbering="000"`` (the lecture notes, eq. 2.10): one sequence :math:`v_1, \dots, v_N`,
  inputs first, then the nodes in tape order; adjoints :math:`\bar v_i`.

Mapping: 004's :math:`\theta_j` is 000's :math:`v_j`; 004's :math:`a_i` is a 000 node
:math:`v_{d+k}`; Griewank and Walther's :math:`v_{j-d}` (inputs :math:`v_{1-d}, \dots, v_0`)
is :math:`\theta_j`. With ``merge_sums=True`` (default) a chain of ``+``/``-`` whose inner
results are used only once is shown as one node, as 004 does (its node 6 sums three inputs).
Repeated indexing ``t[1]`` of a traced vector returns the same node, so ``t[1]`` used twice is
one input with two children.

References
----------
004, Section 4.4 (eqs. 4.26-4.32, Tables 4.1-4.3); 000, Section 2.4 (eqs. 2.9-2.11,
Exercise 2.5); A. Griewank and A. Walther, *Evaluating Derivatives*, 2nd ed., SIAM (2008);
A. G. Baydin et al., "Automatic differentiation in machine learning: a survey", JMLR 18 (2018);
the JAX documentation (``jax.jvp``, ``jax.vjp``); autograd (``defvjp``) and micrograd.

Examples
--------
>>> import course_lib.autodiff as ad
>>> C = lambda t: ad.sin(t[0] * t[1]) + ad.exp(t[1] + t[2]) - 2 * t[2]
>>> g = ad.grad(C)(np.array([np.pi / 6, 2.0, 5.0]))
>>> np.allclose(g, [1.0, np.pi / 12 + np.exp(7), np.exp(7) - 2])
True
"""

from __future__ import annotations

import ast
import html
import math
import numbers
import re
import unicodedata
from typing import Callable, NamedTuple

import numpy as np

from course_lib.activations import dsigmoid as _dsigmoid, dtanh as _dtanh, sigmoid as _sigmoid

__all__ = [
    "Node", "RULES", "Trace", "Table", "trace", "jvp", "vjp", "grad", "value_and_grad",
    "sin", "cos", "exp", "log", "log1p", "tanh", "sigmoid", "softplus", "relu", "matmul",
    "sum", "mean", "reshape", "transpose", "softmax_cross_entropy",
    "parse_expression", "numerical_derivative",
]

_builtin_sum = sum


# =========================================================================== traced values


class Node:
    """A traced value: a record on the tape (primitive, parents, value) that behaves like an array.

    Users never build nodes; :func:`jvp`, :func:`vjp`, :func:`grad` and :func:`trace` pass them
    to the function being differentiated. Operators ``+ - * / ** @`` (with numbers or arrays on
    either side), unary ``-``, indexing, ``.T``, ``.reshape``, ``.sum`` and ``.mean`` record new
    nodes. ``value`` is the primal value.
    """

    __slots__ = ("value", "prim", "parents", "params", "tape", "index", "_items")
    __array_ufunc__ = None          # numpy defers to our reflected operators (array + node works)

    def __init__(self, value, prim, parents, params, tape):
        self.value, self.prim, self.parents, self.params = value, prim, parents, params
        self.tape, self._items = tape, None
        if tape is None:             # a constant operand: not on the tape, never differentiated
            self.index = -1
        else:
            self.index = len(tape)
            tape.append(self)

    # -- array-like attributes
    shape = property(lambda self: np.shape(self.value))
    ndim = property(lambda self: np.ndim(self.value))
    size = property(lambda self: np.size(self.value))
    T = property(lambda self: transpose(self))

    def __len__(self):
        return len(self.value)

    def __repr__(self):
        return f"Node({self.prim}, shape={self.shape}, value={np.array2string(np.asarray(self.value), precision=6)})"

    def __array__(self, *args, **kwargs):
        raise TypeError("A traced value cannot become a NumPy array inside a differentiated function: "
                        "use the functions of course_lib.autodiff (ad.exp, ad.sum, ...) instead of numpy's.")

    def __bool__(self):
        raise TypeError("A traced value has no truth value (branching on it would not be differentiated).")

    # -- arithmetic
    def __add__(self, other): return _apply("add", self, other)
    def __radd__(self, other): return _apply("add", other, self)
    def __sub__(self, other): return _apply("sub", self, other)
    def __rsub__(self, other): return _apply("sub", other, self)
    def __mul__(self, other): return _apply("mul", self, other)
    def __rmul__(self, other): return _apply("mul", other, self)
    def __truediv__(self, other): return _apply("truediv", self, other)
    def __rtruediv__(self, other): return _apply("truediv", other, self)
    def __matmul__(self, other): return _apply("matmul", self, other)
    def __rmatmul__(self, other): return _apply("matmul", other, self)
    def __neg__(self): return _apply("neg", self)
    def __pos__(self): return self

    def __pow__(self, p):
        if isinstance(p, Node) or np.ndim(p) != 0 or not isinstance(p, (numbers.Real, np.number)):
            raise TypeError(f"Only powers by a constant number are supported (x ** 2, x ** 0.5), got exponent {p!r}; "
                            "write exp(y * log(x)) for a traced exponent.")
        return _apply("pow", self, p=float(p))

    def __rpow__(self, base):
        raise TypeError("A traced exponent is not supported (c ** x); write exp(x * log(c)).")

    def __getitem__(self, index):
        if isinstance(index, (int, np.integer)) and not isinstance(index, bool):
            # t[1] twice is one node: one input with two children, as in the sources' graphs
            if self._items is None:
                self._items = {}
            key = int(index)
            if key not in self._items:
                self._items[key] = _apply("getitem", self, index=key)
            return self._items[key]
        return _apply("getitem", self, index=index)

    def reshape(self, *shape):
        return reshape(self, shape[0] if len(shape) == 1 else shape)

    def transpose(self, *axes):
        return transpose(self, axes if axes else None)

    def sum(self, axis=None):
        return sum(self, axis)

    def mean(self, axis=None):
        return mean(self, axis)


def _check_operand(x):
    """A constant operand: a number or a numeric array (lists become arrays)."""
    if isinstance(x, (numbers.Number, np.ndarray, np.generic)):
        return x
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"Unsupported operand of type {type(x).__name__}: expected a number, an array "
                        "or a traced value.") from None
    return arr


def _apply(prim, *operands, **params):
    """Evaluate primitive ``prim``; if an operand is traced, record the result on its tape."""
    rule = RULES[prim]
    tape = None
    values = []
    for o in operands:
        if isinstance(o, Node):
            if o.tape is None:
                raise ValueError("This traced value belongs to a finished trace: it escaped the function being "
                                 "differentiated (use .value, or compute it inside the function).")
            if tape is None:
                tape = o.tape
            elif o.tape is not tape:
                raise ValueError("Values traced by two different calls (two tapes) cannot be combined.")
            values.append(o.value)
        else:
            values.append(_check_operand(o))
    value = rule.fun(*values, **params)
    if tape is None:
        return value
    parents = tuple(o if isinstance(o, Node) else Node(v, "const", (), {}, None)
                    for o, v in zip(operands, values))
    return Node(value, prim, parents, params, tape)


# =========================================================================== the rules table


class Rule(NamedTuple):
    """One primitive: evaluation, per-argument jvp and vjp rules, and how tables print it.

    ``jvp[k](t, ans, *args, **params)`` is argument k's contribution to the output tangent;
    ``vjp[k](g, ans, *args, **params)`` is argument k's cotangent (``None``: not differentiable
    in that argument). ``fmt`` writes the node in terms of its operands ``{0}, {1}``; ``partials[k]``
    writes :math:`\\partial a / \\partial u_k` the same way (``^`` marks a power).
    """

    fun: Callable
    jvp: tuple
    vjp: tuple
    fmt: str
    partials: tuple


def _unbroadcast(g, shape):
    """Sum a cotangent over the axes that broadcasting added or stretched, back to ``shape``."""
    if np.shape(g) == shape:
        return g
    g = np.asarray(g)
    extra = g.ndim - len(shape)
    if extra:
        g = g.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if stretched:
        g = g.sum(axis=stretched, keepdims=True)
    return g


def _dpow(x, p):
    return np.zeros_like(x, dtype=float) if p == 0 else p * np.power(x, p - 1)


def _sum_back(g, shape, axis):
    """Broadcast a cotangent of ``x.sum(axis)`` back to the shape of ``x`` (a read-only view)."""
    if axis is not None:
        g = np.expand_dims(g, axis)
    return np.broadcast_to(g, shape)


def _mm_vjp_x(g, ans, x, y):
    x, y = np.asarray(x), np.asarray(y)
    if y.ndim == 1:
        g, y = np.expand_dims(g, -1), y[:, None]
    gx = g @ np.swapaxes(y, -1, -2)
    if x.ndim == 1:
        gx = gx[..., 0, :] if gx.ndim >= 2 else gx
    return _unbroadcast(gx, x.shape)


def _mm_vjp_y(g, ans, x, y):
    x, y = np.asarray(x), np.asarray(y)
    if y.ndim == 1:
        g = np.expand_dims(g, -1)
    if x.ndim == 1:
        g, x = np.expand_dims(g, -2), x[None, :]
    gy = np.swapaxes(x, -1, -2) @ g
    if y.ndim == 1:
        gy = gy[..., 0]
    return _unbroadcast(gy, y.shape)


def _getitem_vjp(g, ans, x, index):
    out = np.zeros(np.shape(x))
    if _basic_index(index):
        out[index] = g
    else:
        np.add.at(out, index, g)                # repeated indices accumulate
    return out


def _basic_index(index):
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, np.integer, slice)) or i is None or i is Ellipsis for i in items)


def _log_softmax(z):
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _targets(labels, z):
    """Integer class labels (shape ``z.shape[:-1]``) or class probabilities (shape of ``z``)."""
    labels = np.asarray(labels)
    if np.issubdtype(labels.dtype, np.integer) and labels.shape == z.shape[:-1]:
        if labels.size and (labels.min() < 0 or labels.max() >= z.shape[-1]):
            raise ValueError(f"Labels must lie in 0..{z.shape[-1] - 1}, got values from {labels.min()} to {labels.max()}.")
        return labels
    if labels.shape == z.shape:
        return labels.astype(float)
    raise ValueError(f"Labels must be integers of shape {z.shape[:-1]} or probabilities of shape {z.shape}, "
                     f"got {labels.dtype} of shape {labels.shape}.")


def _sce(z, labels):
    logp = _log_softmax(z)
    y = _targets(labels, z)
    if y.shape == z.shape:
        return -(y * logp).sum(axis=-1)
    return -np.take_along_axis(logp, y[..., None], axis=-1)[..., 0]


def _sce_dlogits(z, labels):
    """:math:`\\partial \\ell / \\partial z = \\mathrm{softmax}(z) - y` (one-hot ``y`` for integer labels)."""
    p = np.exp(_log_softmax(z))
    y = _targets(labels, z)
    if y.shape == z.shape:
        p -= y
    else:
        np.put_along_axis(p, y[..., None], np.take_along_axis(p, y[..., None], axis=-1) - 1.0, axis=-1)
    return p


def _inverse_axes(axes, ndim):
    return None if axes is None else tuple(np.argsort(axes))


_u, _shape = _unbroadcast, np.shape

RULES: dict[str, Rule] = {
    # name:        evaluation,
    #              jvp: argument tangent t -> output tangent,   vjp: output cotangent g -> argument cotangent
    "add": Rule(np.add,
                (lambda t, a, x, y: t, lambda t, a, x, y: t),
                (lambda g, a, x, y: _u(g, _shape(x)), lambda g, a, x, y: _u(g, _shape(y))),
                "{0} + {1}", ("1", "1")),
    "sub": Rule(np.subtract,
                (lambda t, a, x, y: t, lambda t, a, x, y: -t),
                (lambda g, a, x, y: _u(g, _shape(x)), lambda g, a, x, y: _u(-g, _shape(y))),
                "{0} - {1}", ("1", "-1")),
    "mul": Rule(np.multiply,
                (lambda t, a, x, y: t * y, lambda t, a, x, y: x * t),
                (lambda g, a, x, y: _u(g * y, _shape(x)), lambda g, a, x, y: _u(g * x, _shape(y))),
                "{0} {1}", ("{1}", "{0}")),
    "truediv": Rule(np.true_divide,
                (lambda t, a, x, y: t / y, lambda t, a, x, y: -t * a / y),
                (lambda g, a, x, y: _u(g / y, _shape(x)), lambda g, a, x, y: _u(-g * a / y, _shape(y))),
                "{0} / {1}", ("1 / {1}", "-{0} / {1}^2")),
    "neg": Rule(np.negative, (lambda t, a, x: -t,), (lambda g, a, x: -g,), "-{0}", ("-1",)),
    "pow": Rule(lambda x, p: np.power(x, p),
                (lambda t, a, x, p: t * _dpow(x, p),),
                (lambda g, a, x, p: g * _dpow(x, p),),
                "{0}^{p}", ("{p} {0}^{q}",)),
    "sin": Rule(np.sin, (lambda t, a, x: t * np.cos(x),), (lambda g, a, x: g * np.cos(x),),
                "sin({0})", ("cos({0})",)),
    "cos": Rule(np.cos, (lambda t, a, x: -t * np.sin(x),), (lambda g, a, x: -g * np.sin(x),),
                "cos({0})", ("-sin({0})",)),
    "exp": Rule(np.exp, (lambda t, a, x: t * a,), (lambda g, a, x: g * a,),
                "exp({0})", ("exp({0})",)),
    "log": Rule(np.log, (lambda t, a, x: t / x,), (lambda g, a, x: g / x,),
                "log({0})", ("1 / {0}",)),
    "log1p": Rule(np.log1p, (lambda t, a, x: t / (1.0 + x),), (lambda g, a, x: g / (1.0 + x),),
                "log1p({0})", ("1 / (1 + {0})",)),
    # tanh' = 1/cosh^2 and sigmoid' = sigmoid(x) sigmoid(-x), computed from x: the textbook
    # 1 - tanh^2 and sigmoid (1 - sigmoid) cancel once the value rounds near 1 (course_lib.activations)
    "tanh": Rule(np.tanh, (lambda t, a, x: t * _dtanh(x),), (lambda g, a, x: g * _dtanh(x),),
                "tanh({0})", ("1 - tanh({0})^2",)),
    "sigmoid": Rule(_sigmoid, (lambda t, a, x: t * _dsigmoid(x),), (lambda g, a, x: g * _dsigmoid(x),),
                "sigmoid({0})", ("sigmoid({0}) (1 - sigmoid({0}))",)),
    "softplus": Rule(lambda x: np.logaddexp(0.0, x),       # log(1 + e^x) without overflow
                (lambda t, a, x: t * _sigmoid(x),), (lambda g, a, x: g * _sigmoid(x),),
                "softplus({0})", ("sigmoid({0})",)),
    "relu": Rule(lambda x: np.maximum(x, 0.0), (lambda t, a, x: t * (x > 0),), (lambda g, a, x: g * (x > 0),),
                "relu({0})", ("[{0} > 0]",)),
    "matmul": Rule(np.matmul,
                (lambda t, a, x, y: t @ y, lambda t, a, x, y: x @ t),
                (_mm_vjp_x, _mm_vjp_y),
                "{0} @ {1}", ("", "")),
    "sum": Rule(lambda x, axis: np.sum(x, axis=axis),
                (lambda t, a, x, axis: np.sum(t, axis=axis),),
                (lambda g, a, x, axis: _sum_back(g, _shape(x), axis),),
                "sum({0})", ("1",)),
    "mean": Rule(lambda x, axis: np.mean(x, axis=axis),
                (lambda t, a, x, axis: np.mean(t, axis=axis),),
                (lambda g, a, x, axis: _sum_back(g / (np.size(x) // max(np.size(a), 1)), _shape(x), axis),),
                "mean({0})", ("1",)),
    "reshape": Rule(lambda x, shape: np.reshape(x, shape),
                (lambda t, a, x, shape: np.reshape(t, shape),),
                (lambda g, a, x, shape: np.reshape(g, _shape(x)),),
                "reshape({0})", ("1",)),
    "transpose": Rule(lambda x, axes: np.transpose(x, axes),
                (lambda t, a, x, axes: np.transpose(t, axes),),
                (lambda g, a, x, axes: np.transpose(g, _inverse_axes(axes, np.ndim(x))),),
                "transpose({0})", ("1",)),
    "getitem": Rule(lambda x, index: x[index],
                (lambda t, a, x, index: t[index],),
                (_getitem_vjp,),
                "{0}[{index}]", ("1",)),
    "softmax_cross_entropy": Rule(_sce,   # -sum_j y_j log softmax(z)_j, stable (log-sum-exp)
                (lambda t, a, z, y: (_sce_dlogits(z, y) * t).sum(axis=-1), None),
                (lambda g, a, z, y: np.expand_dims(g, -1) * _sce_dlogits(z, y), None),
                "softmax_cross_entropy({0}, {1})", ("", "")),
}


# =========================================================================== user functions


def sin(x):
    """Sine, :math:`\\frac{d}{dx}\\sin x = \\cos x`."""
    return _apply("sin", x)


def cos(x):
    """Cosine, :math:`\\frac{d}{dx}\\cos x = -\\sin x`."""
    return _apply("cos", x)


def exp(x):
    """Exponential, its own derivative."""
    return _apply("exp", x)


def log(x):
    """Natural logarithm, derivative :math:`1/x`."""
    return _apply("log", x)


def log1p(x):
    """:math:`\\log(1 + x)`, accurate for small :math:`x`; derivative :math:`1/(1+x)`."""
    return _apply("log1p", x)


def tanh(x):
    """Hyperbolic tangent, derivative :math:`1 - \\tanh^2 x = 1/\\cosh^2 x` (computed as the latter)."""
    return _apply("tanh", x)


def sigmoid(x):
    r"""Logistic function :math:`\sigma(x) = 1/(1+e^{-x})` (no overflow), :math:`\sigma' = \sigma(1-\sigma)`,
    computed as :math:`\sigma(x)\,\sigma(-x)` (no cancellation)."""
    return _apply("sigmoid", x)


def softplus(x):
    r"""Softplus :math:`\log(1 + e^{x})`, computed without overflow; its derivative is :math:`\sigma(x)`.

    Examples
    --------
    >>> float(softplus(1000.0)), float(softplus(-1000.0))
    (1000.0, 0.0)
    """
    return _apply("softplus", x)


def relu(x):
    """:math:`\\max(x, 0)`; the derivative used at 0 is 0."""
    return _apply("relu", x)


def matmul(x, y):
    """Matrix product ``x @ y`` (numpy's rules for 1-d and stacked operands)."""
    return _apply("matmul", x, y)


def _normalise_axis(x, axis):
    if axis is None:
        return None
    ndim = np.ndim(x.value if isinstance(x, Node) else x)
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    try:
        return tuple(sorted(_norm_one(a, ndim) for a in axes))
    except TypeError:
        raise TypeError(f"axis must be None, an int or a tuple of ints, got {axis!r}.") from None


def _norm_one(a, ndim):
    if not isinstance(a, (int, np.integer)) or isinstance(a, bool):
        raise TypeError
    if not -ndim <= a < ndim:
        raise ValueError(f"axis {a} is out of bounds for an array of dimension {ndim}.")
    return int(a) % ndim


def sum(x, axis=None):
    """Sum over ``axis`` (None: all); the vjp broadcasts the cotangent back."""
    return _apply("sum", x, axis=_normalise_axis(x, axis))


def mean(x, axis=None):
    """Mean over ``axis`` (None: all)."""
    return _apply("mean", x, axis=_normalise_axis(x, axis))


def reshape(x, shape):
    """``x.reshape(shape)``."""
    return _apply("reshape", x, shape=tuple(np.atleast_1d(shape).tolist()) if np.ndim(shape) else (int(shape),))


def transpose(x, axes=None):
    """Permute axes (reverse them by default)."""
    return _apply("transpose", x, axes=None if axes is None else tuple(int(a) for a in axes))


def softmax_cross_entropy(logits, labels):
    r"""Per-example softmax cross-entropy, one fused and stable primitive.

    .. math::

        \ell(z, y) = -\sum_j y_j \log \operatorname{softmax}(z)_j
        = \log\sum_j e^{z_j} - z_{y} \quad\text{(integer label } y\text{)}, \qquad
        \frac{\partial \ell}{\partial z} = \operatorname{softmax}(z) - y,

    with the log-sum-exp taken after subtracting :math:`\max_j z_j`. ``logits`` has classes on
    the last axis; ``labels`` are integer classes (shape ``logits.shape[:-1]``) or probability
    vectors (the shape of ``logits``), and are constants. Take :func:`mean` for a batch loss.

    References
    ----------
    001 (softmax and cross-entropy); 004, Section 3 (multinomial regression).

    Examples
    --------
    >>> softmax_cross_entropy(np.array([[0.0, np.log(3.0)]]), np.array([1]))   # -log(3/4)
    array([0.28768207])
    """
    if isinstance(labels, Node):
        raise TypeError("softmax_cross_entropy differentiates with respect to the logits only; labels must be constants.")
    if np.ndim(logits.value if isinstance(logits, Node) else logits) < 1:
        raise ValueError("softmax_cross_entropy needs logits with the classes on a last axis (ndim >= 1).")
    return _apply("softmax_cross_entropy", logits, labels)


# =========================================================================== the record: Trace


def _as_primal(p, i):
    try:
        a = np.asarray(p, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"Primal {i} must be a number or a numeric array, got {type(p).__name__}.") from None
    return a[()] if a.ndim == 0 else a       # scalars as np.float64, arrays as arrays


class Trace:
    """The tape of one call ``f(*primals)``: the record that both modes and all tables read.

    Attributes
    ----------
    value : ndarray or numpy float
        The output :math:`F(\\theta)`.
    primals : tuple
        The inputs, as floats or float arrays.
    tape : list of Node
        Every recorded operation, inputs first, in execution order.

    Use :func:`trace` to build one.
    """

    def __init__(self, f, primals, numbering="004", merge_sums=True, input_names=None):
        if not callable(f):
            raise TypeError(f"f must be callable, got {type(f).__name__}.")
        if numbering not in ("004", "000"):
            raise ValueError(f"Unknown numbering {numbering!r}: use '004' (theta_j, a_i) or '000' (v_i).")
        self.primals = tuple(_as_primal(p, i) for i, p in enumerate(primals))
        self.tape = []
        self.inputs = [Node(p, "input", (), {}, self.tape) for p in self.primals]
        try:
            out = f(*self.inputs)
        finally:
            for node in self.tape:    # close the tape: no reference cycles, so memory is freed at once
                node.tape, node._items = None, None
        if isinstance(out, (tuple, list, dict)):
            raise TypeError(f"f must return one array or number, got a {type(out).__name__}.")
        if isinstance(out, Node):
            if out.index >= len(self.tape) or self.tape[out.index] is not out:
                raise ValueError("f returned a value traced in another call.")
            self.output, self.value = out, out.value
        else:
            self.output, self.value = None, _as_primal(_check_operand(out), "output")
        self.numbering, self.merge_sums, self.input_names = numbering, merge_sums, input_names
        self._f = f
        self._display = None

    # ----------------------------------------------------------------- the two sweeps
    def _tangents(self, tangents):
        """Forward sweep: the tangent of every node on the tape (004, eq. 4.29)."""
        if not isinstance(tangents, (tuple, list)) or len(tangents) != len(self.primals):
            raise ValueError(f"tangents must be a tuple with one entry per primal ({len(self.primals)}), "
                             f"got {tangents!r}.")
        tans = [None] * len(self.tape)
        for i, (t, p) in enumerate(zip(tangents, self.primals)):
            t = _as_primal(t, i)
            if np.shape(t) != np.shape(p):
                raise ValueError(f"Tangent {i} has shape {np.shape(t)} but its primal has shape {np.shape(p)}.")
            tans[i] = t
        for node in self.tape[len(self.primals):]:
            rule, args = RULES[node.prim], [p.value for p in node.parents]
            t = None
            for k, parent in enumerate(node.parents):
                if parent.index >= 0:
                    c = rule.jvp[k](tans[parent.index], node.value, *args, **node.params)
                    t = c if t is None else t + c
            if np.shape(t) != np.shape(node.value):
                t = np.broadcast_to(t, np.shape(node.value))
            tans[node.index] = t
        return tans

    def _cotangents(self, cotangent, keep=False, release=False):
        """Reverse sweep: adjoints, accumulated over each node's children (004, eq. 4.31).

        ``keep`` keeps every adjoint (for the tables); ``release`` frees each node's value once
        its own rule has run (its children ran before it), for a one-shot gradient.
        """
        n = len(self.tape)
        cts, owned = [None] * n, [False] * n
        cts[self.output.index] = cotangent
        for node in reversed(self.tape[len(self.primals):self.output.index + 1]):
            g = cts[node.index]
            if g is None:
                if release:
                    node.value = None
                continue
            if not keep:
                cts[node.index] = None            # free as we go
            rule, args = RULES[node.prim], [p.value for p in node.parents]
            for k, parent in enumerate(node.parents):
                j = parent.index
                if j < 0:
                    continue
                back = rule.vjp[k]
                if back is None:
                    raise TypeError(f"{node.prim} is not differentiable with respect to argument {k}.")
                c = back(g, node.value, *args, **node.params)
                prev = cts[j]
                if prev is None:
                    cts[j] = c
                elif owned[j] and isinstance(prev, np.ndarray) and prev.ndim:
                    prev += c                     # our own buffer: accumulate in place
                else:
                    cts[j], owned[j] = prev + c, True
            if release:
                node.value = args = None
        return cts

    def jvp(self, tangents):
        """The output tangent :math:`J_F(\\theta)\\, v` for ``tangents`` (one per primal)."""
        if self.output is None:
            self._tangents(tangents)           # validates
            return np.zeros_like(self.value)
        t = self._tangents(tangents)[self.output.index]
        return t[()] if np.ndim(t) == 0 else np.asarray(t)

    def vjp(self, cotangent, _release=False):
        """The cotangents :math:`u^\\top J_F(\\theta)`, one per primal (a tuple)."""
        ct = _as_primal(cotangent, "cotangent")
        if np.shape(ct) != np.shape(self.value):
            raise ValueError(f"The cotangent has shape {np.shape(ct)} but the output has shape {np.shape(self.value)}.")
        if self.output is None:
            return tuple(np.zeros_like(p) for p in self.primals)
        cts = self._cotangents(ct, release=_release)
        results = []
        for node, p in zip(self.inputs, self.primals):
            c = cts[node.index]
            if c is None:
                c = np.zeros_like(p)
            elif np.ndim(c) == 0:
                c = np.float64(c)
            else:
                c = np.asarray(c)
                # never hand out a read-only view, the caller's array, or one buffer twice
                if not c.flags.writeable or any(np.may_share_memory(c, o) for o in results + [ct]):
                    c = c.copy()
            results.append(c)
        return tuple(results)

    # ----------------------------------------------------------------- tables
    def primal_table(self, precision: int = 6) -> "Table":
        """004's Table 4.1: each node, its expression in earlier nodes, its value, by iteration."""
        d = self._graph()
        rows = []
        for n in d.order:
            expr = d.input_cell(n) if n.kind == "input" else _eq(n.name.pair(), d.expression(n))
            rows.append((d.iteration_label(n), expr, _num_pair(n.value, precision)))
        return Table("Primals (forward evaluation)", ("iteration", "node", "value"), rows)

    def forward_table(self, tangents, precision: int = 6) -> "Table":
        """004's Table 4.2: primals and tangents (forward mode) for ``tangents`` (one per primal)."""
        d = self._graph()
        tans = self._tangents(tangents)
        rows = []
        for n in d.order:
            tval = _component(tans, n)
            if n.kind == "input":
                prim, tan = d.input_cell(n), n.name.pair("tangent")
            else:
                prim = _eq(n.name.pair(), d.expression(n))
                tan = _eq(n.name.pair("tangent"), d.linear_combination(n, "tangent"))
            rows.append((d.iteration_label(n), prim, tan, _num_pair(n.value, precision), _num_pair(tval, precision)))
        return Table("Forward mode: primals and tangents", ("iteration", "primal", "tangent", "value", "tangent value"), rows)

    def reverse_table(self, cotangent=1.0, precision: int = 6) -> "Table":
        """004's Table 4.3: each adjoint as a sum over the node's children of local partial times child adjoint."""
        d = self._graph()
        cts = self._cotangents(_as_primal(cotangent, "cotangent"), keep=True)
        adj = {id(n): _component(cts, n) for n in d.order}
        rows = []
        for n in d.reverse_order:
            name = n.name.pair("adjoint")
            if n is d.output:
                expr, nums = _eq(name, _pair(_num(cotangent))), ("(seed)", "(seed)")
            elif not n.children:
                expr, nums = _eq(name, ("0", "0")), ("", "")
            else:
                expr = _eq(name, d.adjoint_sum(n))
                nums = _join_pairs([_pair(f"{_signed(pv, precision)} × {_signed(adj[id(c)], precision)}")
                                    for c, k, pv in n.children], " + ")
            rows.append((d.reverse_label(n), expr, nums, _num_pair(adj[id(n)], precision)))
        return Table("Reverse mode: adjoints", ("iteration", "adjoint", "with values", "value"), rows)

    def graph(self) -> list["GraphNode"]:
        """The computational graph as the tables number it: one :class:`GraphNode` per row of
        :meth:`primal_table`, inputs first; ``operands`` index into this list.

        >>> import course_lib.autodiff as ad
        >>> [(n.name, n.expression, n.operands) for n in ad.trace(lambda x, y: ad.exp(x * y), 1.0, 2.0).graph()]
        [('θ₁', 'x', ()), ('θ₂', 'y', ()), ('a₁', 'θ₁ θ₂', (0, 1)), ('a₂', 'exp(a₁)', (2,))]
        """
        d = self._graph()
        position = {id(n): i for i, n in enumerate(d.order)}
        nodes = []
        for n in d.order:
            if n.kind == "input":
                expression = n.label
            else:
                expression = d.expression(n)[0]
            operands = tuple(position[id(o)] for o in n.operands if isinstance(o, _DNode))
            nodes.append(GraphNode(n.name.pair()[0], expression, 0 if n.kind == "input" else n.level,
                                   float(n.value), operands, n is d.output))
        return nodes

    def reverse_rows(self) -> list[int]:
        """The rows of :meth:`reverse_table`, in their order (the reverse sweep's), as positions
        in :meth:`graph`: the output first, the inputs last.

        >>> import course_lib.autodiff as ad
        >>> tr = ad.trace(lambda x, y: ad.exp(x * y), 1.0, 2.0)
        >>> [tr.graph()[i].name for i in tr.reverse_rows()]
        ['a₂', 'a₁', 'θ₁', 'θ₂']
        """
        d = self._graph()
        position = {id(n): i for i, n in enumerate(d.order)}
        return [position[id(n)] for n in d.reverse_order]

    def _graph(self):
        if self._display is None:
            self._display = _Display(self)
        return self._display


class GraphNode(NamedTuple):
    """A node of :meth:`Trace.graph`: its name (θ₁, a₃ or v₅), what it computes from earlier
    nodes (an input's own name for an input), its iteration (0 for inputs), its value, the
    positions of its operands in the graph list, and whether it is the output."""

    name: str
    expression: str
    level: int
    value: float
    operands: tuple
    is_output: bool


def _parameter_names(f, n):
    """``f``'s positional parameter names, if it has exactly ``n`` of them."""
    import inspect
    try:
        params = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        return None
    names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return names if len(names) == n else None


def trace(f: Callable, *primals, numbering: str = "004", merge_sums: bool = True, input_names=None) -> Trace:
    """Run ``f(*primals)`` on traced values and keep the record (for jvp, vjp and the tables).

    Parameters
    ----------
    f : callable
        A function of the primals written with operators and this module's functions.
    *primals : float or array
    numbering : {"004", "000"}
        Node names in the tables: 004's :math:`\\theta_j, a_i` (by iteration) or 000's
        :math:`v_i` (inputs, then tape order); see the module docstring.
    merge_sums : bool
        Show a chain of ``+``/``-`` as one node (004's node 6).
    input_names : sequence of str, optional
        Labels of the inputs in 000's tables (``v1 = x``); default: ``f``'s parameter names.

    References
    ----------
    004, Tables 4.1-4.3; 000, eqs. (2.10)-(2.11).

    Examples
    --------
    >>> def f(x, y):                                   # 000, eq. (2.9), x y computed once
    ...     v3 = x * y
    ...     return v3 - log(1 + exp(v3))
    >>> t = trace(f, 1.0, 2.0, numbering="000")
    >>> [round(float(v), 6) for v in (t.value, *t.vjp(1.0))]      # f, df/dx = y/(1+e^xy), df/dy
    [-0.126928, 0.238406, 0.119203]
    >>> print(t.reverse_table())
    Reverse mode: adjoints
    iteration  adjoint               with values                    value
    ---------  --------------------  -----------------------------  ---------
    start      v̄₇ = 1                (seed)                         1
    1          v̄₆ = -v̄₇              (-1) × 1                       -1
    2          v̄₅ = (1 / v₅) v̄₆      0.119203 × (-1)                -0.119203
    3          v̄₄ = v̄₅               1 × (-0.119203)                -0.119203
    4          v̄₃ = exp(v₃) v̄₄ + v̄₇  7.38906 × (-0.119203) + 1 × 1  0.119203
    5          v̄₁ = v₂ v̄₃            2 × 0.119203                   0.238406
    5          v̄₂ = v₁ v̄₃            1 × 0.119203                   0.119203
    """
    return Trace(f, primals, numbering, merge_sums, input_names)


def jvp(f: Callable, primals, tangents):
    """Forward mode: ``(f(*primals), J v)`` with ``v = tangents``, one tangent per primal.

    Examples
    --------
    >>> g = lambda t1, t2, t3: t1 - 7 * t2 + 5 * t3      # 004's g_1, d = 3
    >>> y, y_dot = jvp(g, (2.5, 2.1, 1.4), (0.0, 1.0, 0.0))   # dg_1/dtheta_2
    >>> round(float(y), 12), float(y_dot)
    (-5.2, -7.0)
    """
    if not isinstance(primals, (tuple, list)):
        raise TypeError(f"primals must be a tuple or list (one entry per argument), got {type(primals).__name__}.")
    t = Trace(f, primals)
    return t.value, t.jvp(tangents)


def vjp(f: Callable, *primals):
    """Reverse mode: ``(f(*primals), pullback)`` with ``pullback(u) = (u^T J_1, ..., u^T J_k)``.

    Examples
    --------
    >>> y, pullback = vjp(lambda x, y: x * y, 3.0, 4.0)
    >>> [float(c) for c in pullback(1.0)]
    [4.0, 3.0]
    """
    t = Trace(f, primals)
    return t.value, t.vjp


def value_and_grad(f: Callable, argnums=0):
    """``(f(*args), gradient)``; ``argnums`` an int or a tuple of ints (then a tuple of gradients)."""
    single = isinstance(argnums, (int, np.integer)) and not isinstance(argnums, bool)
    nums = (int(argnums),) if single else argnums
    if not isinstance(nums, tuple) or not nums or not all(isinstance(a, (int, np.integer)) for a in nums):
        raise TypeError(f"argnums must be an int or a non-empty tuple of ints, got {argnums!r}.")

    def value_and_grad_f(*args):
        for a in nums:
            if not -len(args) <= a < len(args):
                raise ValueError(f"argnums {a} is out of range for {len(args)} positional arguments.")
        tr = Trace(f, args)
        y = tr.value
        if np.shape(y) != ():
            raise TypeError(f"grad needs a function with a scalar output; this one returned shape {np.shape(y)}. "
                            "Use vjp (with a cotangent) or jvp for vector outputs.")
        cts = tr.vjp(1.0, _release=True)          # one pullback: values are freed as the sweep goes
        return y, (cts[nums[0]] if single else tuple(cts[a] for a in nums))

    return value_and_grad_f


def grad(f: Callable, argnums=0):
    """The gradient of a scalar function: one vjp with cotangent 1.

    Examples
    --------
    >>> float(grad(sin)(0.0))
    1.0
    """
    vg = value_and_grad(f, argnums)

    def grad_f(*args):
        return vg(*args)[1]

    return grad_f


# =========================================================================== tables: display graph


_SUB = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
_DOT, _BAR = "\u0307", "\u0304"


def _pair(text):
    """A piece of table text in its two renderings: (plain text, HTML)."""
    return (text, html.escape(text))


def _eq(lhs, rhs):
    return (f"{lhs[0]} = {rhs[0]}", f"{lhs[1]} = {rhs[1]}")


def _join_pairs(pairs, sep):
    return (sep.join(p[0] for p in pairs), sep.join(p[1] for p in pairs))


def _num(v, precision=6):
    v = float(v)
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.{precision}g}"


def _signed(v, precision):
    s = _num(v, precision)
    return f"({s})" if s.startswith("-") else s


def _num_pair(v, precision):
    return _pair(_num(v, precision))


def _component(values, n):
    """The value of a display node in a per-tape-node list (0 for an unused input component)."""
    return 0.0 if n.node is None or values[n.node.index] is None else values[n.node.index]


class _Name:
    """A node name such as a₃, θ₁ or v₅, with its tangent and adjoint names in text and HTML."""

    def __init__(self, base, index, numbering, is_input):
        self.base, self.index, self.numbering, self.is_input = base, index, numbering, is_input

    def pair(self, kind="primal"):
        i = str(self.index)
        if kind == "adjoint" and self.numbering == "004":
            if self.is_input:
                return (f"∂C/∂{self.base}{i.translate(_SUB)}", f"∂C/∂{self.base}<sub>{i}</sub>")
            return (f"ζ{i.translate(_SUB)}", f"ζ<sub>{i}</sub>")
        accent = {"primal": "", "tangent": _DOT, "adjoint": _BAR}[kind]
        base = unicodedata.normalize("NFC", self.base + accent)      # ȧ as one character
        return (f"{base}{i.translate(_SUB)}", f"{base}<sub>{i}</sub>")


class _DNode:
    """A row of the tables: a tape node (or a merged chain of sums) with operands and partials."""

    def __init__(self, node, kind):
        self.node, self.kind = node, kind
        self.value = 0.0 if node is None else node.value
        self.operands, self.template, self.partials, self.partial_values = [], "", [], []
        self.children = []          # (child, operand position, partial value)
        self.level = 0


def _needs_parens(s):
    depth = 0
    for ch in s:
        depth += ch in "(["
        depth -= ch in ")]"
        if ch == " " and depth == 0:
            return True
    return s.startswith("-")


def _render(template, names, params=None):
    """Format a template in text and HTML; in HTML ``^x`` becomes a superscript."""
    params = params or {}
    text = template.format(*(n[0] for n in names), **params)
    markup = re.sub(r"\^(\{[^}]*\}|[\w.\-]+)", r"<sup>\1</sup>", html.escape(template))
    return (text, markup.format(*(n[1] for n in names), **{k: html.escape(str(v)) for k, v in params.items()}))


def _unwrap_leading_constant(s):
    """``(-2) θ₃`` reads ``-2 θ₃``: a negative constant needs no parentheses at the front."""
    return re.sub(r"^\((-[0-9.e+]+)\)(?= |$)", r"\1", s)


class _Display:
    """The scalar graph of a :class:`Trace` as the sources draw it, numbered and levelled."""

    def __init__(self, tr: Trace):
        if tr.output is None:
            raise ValueError("The output does not depend on the inputs: there is no graph to tabulate.")
        tape, d_in = tr.tape, len(tr.primals)
        live = [False] * len(tape)
        live[tr.output.index] = True
        consumers = [0] * len(tape)
        for node in reversed(tape):
            if live[node.index]:
                for p in node.parents:
                    if p.index >= 0:
                        live[p.index] = True
                        consumers[p.index] += 1
        # inputs: one row per scalar component; a vector input enters through t[j]
        dmap, inputs = {}, []
        for i, (node, p) in enumerate(zip(tr.inputs, tr.primals)):
            if np.ndim(p) == 0:
                dn = _DNode(node, "input")
                dmap[node.index] = dn
                inputs.append(dn)
            elif np.ndim(p) == 1:
                comps = [_DNode(None, "input") for _ in range(np.size(p))]
                for j, dn in enumerate(comps):
                    dn.value = p[j]
                    dn.label = f"{self._arg_name(tr, i)}[{j}]"
                inputs.extend(comps)
                for item in tape[d_in:]:        # t[j] is one node per j (Node.__getitem__)
                    if (live[item.index] and item.prim == "getitem" and item.parents[0] is node
                            and isinstance(item.params["index"], int)):
                        comps[item.params["index"]].node = item
                        dmap[item.index] = comps[item.params["index"]]
            else:
                raise ValueError(f"Tables are for graphs of scalars; primal {i} has shape {np.shape(p)}.")
            if np.ndim(p) == 0:
                dn.label = self._arg_name(tr, i)
        # operations, merging chains of sums used once
        absorbed = set()
        merge = {}
        if tr.merge_sums:
            for node in reversed(tape[d_in:]):
                if live[node.index] and node.prim in ("add", "sub") and node.index not in absorbed:
                    merge[node.index] = self._expand(node, 1, consumers, absorbed)
        ops = []
        for node in tape[d_in:]:
            if not live[node.index] or node.index in absorbed or node.index in dmap:
                continue
            if node.prim == "getitem" and node.parents[0].prim == "input":
                raise ValueError("Tables need scalar inputs or a vector indexed by single integers (t[0]); "
                                 f"found t[{node.params['index']!r}].")
            if np.shape(node.value) != ():
                raise ValueError(f"Tables are for graphs of scalars; the node {node.prim} has shape {np.shape(node.value)}.")
            dn = _DNode(node, "op")
            rule = RULES[node.prim]
            if node.index in merge:
                terms = merge[node.index]
                dn.operands = [p for _, p in terms]
                dn.template = "".join(("{%d}" % k if s > 0 else "-{%d}" % k) if k == 0 else
                                      (" + {%d}" % k if s > 0 else " - {%d}" % k) for k, (s, _) in enumerate(terms))
                dn.partials = ["1" if s > 0 else "-1" for s, _ in terms]
                dn.partial_values = [float(s) for s, _ in terms]
            else:
                dn.operands = list(node.parents)
                dn.template = rule.fmt
                params = dict(node.params)
                if node.prim == "pow":
                    params = {"p": _num(params["p"]), "q": _num(params["p"] - 1)}
                dn.params = params
                dn.partials = list(rule.partials)
                args = [p.value for p in node.parents]
                dn.partial_values = [None if p.index < 0 else
                                     float(rule.vjp[k](np.float64(1.0), node.value, *args, **node.params))
                                     for k, p in enumerate(node.parents)]
            dmap[node.index] = dn
            ops.append(dn)
        for dn in ops:
            dn.operands = [dmap[p.index] if isinstance(p, Node) and p.index >= 0 else p for p in dn.operands]
            dn.level = 1 + max((o.level for o in dn.operands if isinstance(o, _DNode)), default=0)
            for k, o in enumerate(dn.operands):
                if isinstance(o, _DNode):
                    o.children.append((dn, k, dn.partial_values[k]))
        self.output = dmap[tr.output.index]
        # numbering
        if tr.numbering == "004":
            ops.sort(key=lambda n: (n.level, n.node.index))
            for j, dn in enumerate(inputs, 1):
                dn.name = _Name("θ", j, "004", True)
            for j, dn in enumerate(ops, 1):
                dn.name = _Name("a", j, "004", False)
        else:
            for j, dn in enumerate(inputs + ops, 1):
                dn.name = _Name("v", j, "000", dn.kind == "input")
        self.numbering = tr.numbering
        self.order = inputs + ops
        # reverse iterations: one more than the latest child's
        rank = {id(n): i for i, n in enumerate(self.order)}
        rlevel = {}
        for dn in reversed(self.order):
            rlevel[id(dn)] = 1 + max((rlevel[id(c)] for c, _, _ in dn.children), default=-1) if dn.children else (
                0 if dn is self.output else None)
        self.max_rlevel = max(v for v in rlevel.values() if v is not None)
        self.rlevel = {k: (self.max_rlevel if v is None else v) for k, v in rlevel.items()}
        self.reverse_order = sorted(self.order, key=lambda n: (self.rlevel[id(n)], rank[id(n)]))

    @staticmethod
    def _arg_name(tr, i):
        names = tr.input_names
        if names is None:
            names = getattr(tr._f, "variables", None) or _parameter_names(tr._f, len(tr.primals))
        if names is not None and i < len(names):
            return str(names[i])
        return f"x{i + 1}"

    def _expand(self, node, sign, consumers, absorbed):
        terms = []
        for k, p in enumerate(node.parents):
            s = -sign if (node.prim == "sub" and k == 1) or node.prim == "neg" else sign
            if p.index >= 0 and p.prim in ("add", "sub", "neg") and consumers[p.index] == 1:
                absorbed.add(p.index)
                terms.extend(self._expand(p, s, consumers, absorbed))
            else:
                terms.append((s, p))
        return terms

    # -- cells
    def input_cell(self, n):
        """``θ₁`` (004) or ``v₁ = x`` (000, eq. 2.10)."""
        return n.name.pair() if self.numbering == "004" else _eq(n.name.pair(), _pair(n.label))

    def operand_pair(self, o, kind="primal"):
        if isinstance(o, _DNode):
            return o.name.pair(kind)
        s = _num(o.value)
        return _pair(f"({s})" if s.startswith("-") else s)

    def expression(self, n):
        text, markup = _render(n.template, [self.operand_pair(o) for o in n.operands], getattr(n, "params", None))
        return _unwrap_leading_constant(text), _unwrap_leading_constant(markup)

    def _scaled(self, partial, factor):
        """``partial × factor`` as a signed term: (sign, text pair)."""
        text, markup = (_unwrap_leading_constant(p) for p in partial)
        sign = 1
        if text == "1":
            return sign, factor
        if text == "-1":
            return -1, factor
        if text.startswith("-"):
            sign, text, markup = -1, text[1:], markup[1:]
        if _needs_parens(text):
            text, markup = f"({text})", f"({markup})"
        return sign, (f"{text} {factor[0]}", f"{markup} {factor[1]}")

    @staticmethod
    def _signed_sum(terms):
        text, markup = "", ""
        for i, (s, (t, m)) in enumerate(terms):
            if i == 0:
                text, markup = ("-" if s < 0 else "") + t, ("-" if s < 0 else "") + m
            else:
                op = " - " if s < 0 else " + "
                text, markup = text + op + t, markup + op + m
        return (text, markup) if terms else ("0", "0")

    def linear_combination(self, n, kind):
        names = [self.operand_pair(o) for o in n.operands]
        terms = []
        for k, o in enumerate(n.operands):
            if isinstance(o, _DNode):
                partial = _render(n.partials[k], names, getattr(n, "params", None))
                terms.append(self._scaled(partial, o.name.pair(kind)))
        return self._signed_sum(terms)

    def adjoint_sum(self, n):
        terms = []
        for c, k, _ in n.children:
            names = [self.operand_pair(o) for o in c.operands]
            partial = _render(c.partials[k], names, getattr(c, "params", None))
            terms.append(self._scaled(partial, c.name.pair("adjoint")))
        return self._signed_sum(terms)

    def iteration_label(self, n):
        if n.kind == "input":
            return _pair("input")
        return _pair(f"{n.level} (output)" if n is self.output else str(n.level))

    def reverse_label(self, n):
        r = self.rlevel[id(n)]
        return _pair("start" if r == 0 else str(r))


class Table:
    """A table of text cells printed aligned (``str``) or as an HTML ``<table>`` (``_repr_html_``).

    ``rows`` holds the plain-text cells; every run prints the same characters.
    """

    def __init__(self, title, columns, cells):
        self.title, self.columns = title, tuple(columns)
        self._cells = [tuple(c if isinstance(c, tuple) else _pair(c) for c in row) for row in cells]
        self.rows = [tuple(c[0] for c in row) for row in self._cells]

    def __str__(self):
        widths = [max([_width(h)] + [_width(r[i]) for r in self.rows]) for i, h in enumerate(self.columns)]
        line = lambda cells: "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()
        out = [self.title, line(self.columns), "  ".join("-" * w for w in widths)]
        return "\n".join(out + [line(r) for r in self.rows])

    def __repr__(self):
        return str(self)

    def _repr_html_(self):
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{c[1]}</td>" for c in row) + "</tr>\n" for row in self._cells)
        return (f"<table>\n<caption>{html.escape(self.title)}</caption>\n<thead><tr>{head}</tr></thead>\n"
                f"<tbody>\n{body}</tbody>\n</table>")


def _width(s):
    """Printed width: combining accents (the dot of ȧ, the bar of v̄) take no column."""
    return _builtin_sum(0 if unicodedata.combining(ch) else 1 for ch in s)


# =========================================================================== expression front-end


_FUNCTIONS = {f.__name__: f for f in (sin, cos, exp, log, log1p, tanh, sigmoid, softplus, relu)}
_CONSTANTS = {"pi": math.pi, "e": math.e}
_BINOPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
           ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b}


def parse_expression(text: str, variables) -> Callable:
    """A function of ``variables`` from a formula such as ``"sin(x1*x2) + exp(x2 + x3) - 2*x3"``.

    Only numbers, the named variables, ``pi``, ``e``, ``+ - * / **`` (powers by constants),
    unary ``-`` and calls of ``sin, cos, exp, log, log1p, tanh, sigmoid, softplus, relu`` are
    accepted; the text is parsed with :mod:`ast` and walked, never evaluated, and anything else
    raises ValueError naming the offending piece. Repeated subexpressions share one node
    (``x*y`` twice is 000's single :math:`v_3`).

    Examples
    --------
    >>> C = parse_expression("sin(x1*x2) + exp(x2 + x3) - 2*x3", ["x1", "x2", "x3"])
    >>> [round(float(g), 4) for g in vjp(C, np.pi / 6, 2.0, 5.0)[1](1.0)]
    [1.0, 1096.895, 1094.6332]
    """
    if not isinstance(text, str):
        raise TypeError(f"The expression must be a string, got {type(text).__name__}.")
    if len(text) > 2000:
        raise ValueError("The expression is too long (more than 2000 characters).")
    if isinstance(variables, str):
        variables = [v.strip() for v in variables.replace(",", " ").split()]
    variables = list(variables)
    for v in variables:
        if not isinstance(v, str) or not v.isidentifier():
            raise ValueError(f"Invalid variable name {v!r}.")
        if v in _FUNCTIONS or v in _CONSTANTS:
            raise ValueError(f"Variable name {v!r} is reserved (a function or constant).")
    if len(set(variables)) != len(variables):
        raise ValueError(f"Repeated variable names in {variables}.")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise ValueError(f"Not a valid expression: {text!r} ({err.msg}).") from None

    def piece(node):
        return ast.get_source_segment(text.strip(), node) or ast.dump(node)

    def check(node):
        if isinstance(node, ast.Expression):
            return check(node.body)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise ValueError(f"Only numbers are allowed as constants, got {piece(node)!r}.")
        elif isinstance(node, ast.Name):
            if node.id not in variables and node.id not in _CONSTANTS:
                what = "a function (call it)" if node.id in _FUNCTIONS else "not a variable"
                raise ValueError(f"Unknown name {node.id!r}: {what}; variables are {', '.join(variables)}.")
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                raise ValueError(f"Operator not allowed in {piece(node)!r} (use + - * / **).")
            check(node.left)
            check(node.right)
            if isinstance(node.op, ast.Pow) and _mentions_variable(node.right, variables):
                raise ValueError(f"The exponent in {piece(node)!r} must be a constant.")
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise ValueError(f"Operator not allowed in {piece(node)!r} (only unary - and +).")
            check(node.operand)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise ValueError(f"Only calls of {', '.join(_FUNCTIONS)} are allowed, got {piece(node.func)!r}.")
            if node.func.id not in _FUNCTIONS:
                raise ValueError(f"Unknown function {node.func.id!r}; allowed: {', '.join(_FUNCTIONS)}.")
            if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
                raise ValueError(f"{node.func.id} takes exactly one positional argument: {piece(node)!r}.")
            check(node.args[0])
        else:
            kind = {ast.Attribute: "attribute access", ast.Lambda: "lambda", ast.Subscript: "indexing",
                    ast.Compare: "comparison", ast.BoolOp: "boolean operator", ast.IfExp: "conditional"}.get(
                        type(node), type(node).__name__)
            raise ValueError(f"{kind} is not allowed in an expression: {piece(node)!r}.")

    check(tree)

    def f(*args):
        if len(args) != len(variables):
            raise TypeError(f"This expression takes {len(variables)} arguments ({', '.join(variables)}), got {len(args)}.")
        env = dict(zip(variables, args))
        memo = {}

        def ev(node):
            key = ast.dump(node)
            if key in memo:
                return memo[key]
            if isinstance(node, ast.Constant):
                out = float(node.value)
            elif isinstance(node, ast.Name):
                out = env[node.id] if node.id in env else _CONSTANTS[node.id]
            elif isinstance(node, ast.BinOp):
                left, right = ev(node.left), ev(node.right)
                try:
                    out = _BINOPS[type(node.op)](left, right)
                except OverflowError:
                    raise ValueError(f"Overflow while evaluating {piece(node)!r}.") from None
            elif isinstance(node, ast.UnaryOp):
                out = -ev(node.operand) if isinstance(node.op, ast.USub) else ev(node.operand)
            else:
                out = _FUNCTIONS[node.func.id](ev(node.args[0]))
            memo[key] = out
            return out

        return ev(tree.body)

    f.__name__ = "expression"
    f.__doc__ = text
    f.variables = tuple(variables)
    return f


def _mentions_variable(node, variables):
    return any(isinstance(n, ast.Name) and n.id in variables for n in ast.walk(node))


# =========================================================================== finite differences


def numerical_derivative(f: Callable, x, h: float = 1e-6, scheme: str = "central"):
    r"""Finite-difference derivative (or gradient, or Jacobian) of ``f`` at ``x``.

    .. math::

        \text{forward:}\ \frac{f(x + h e_i) - f(x)}{h} = \partial_i f + O(h), \qquad
        \text{central:}\ \frac{f(x + h e_i) - f(x - h e_i)}{2h} = \partial_i f + O(h^2).

    Round-off adds an error of order :math:`\epsilon_{\text{mach}} |f| / h`, so the total error is
    smallest near :math:`h \approx \epsilon^{1/2}` (forward) or :math:`\epsilon^{1/3}` (central).
    The result has shape ``f(x).shape + x.shape``.

    References
    ----------
    004, eq. (4.26) (the forward scheme) and footnote 19.

    Examples
    --------
    >>> round(float(numerical_derivative(np.sin, 0.0, 1e-4)), 8)
    1.0
    """
    if scheme not in ("central", "forward"):
        raise ValueError(f"Unknown scheme {scheme!r}: use 'central' or 'forward'.")
    if isinstance(h, bool) or not isinstance(h, (numbers.Real, np.floating)) or not (math.isfinite(h) and h > 0):
        raise ValueError(f"Invalid step h: {h!r} (it must be a positive finite number).")
    x = np.asarray(x, dtype=float)
    f0 = np.asarray(f(x), dtype=float) if scheme == "forward" else None
    cols = []
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        e = e.reshape(x.shape)
        if scheme == "central":
            cols.append((np.asarray(f(x + e), dtype=float) - np.asarray(f(x - e), dtype=float)) / (2 * h))
        else:
            cols.append((np.asarray(f(x + e), dtype=float) - f0) / h)
    out = np.stack(cols, axis=-1).reshape(np.shape(cols[0]) + x.shape)
    return out[()] if out.ndim == 0 else out
