r"""Multilayer perceptrons and backpropagation, written out by hand.

Convention (source 001, "Forward pass scheme")
-----------------------------------------------
A network with :math:`k` layers maps an input :math:`x^{(0)} = x \in \mathbb R^{H_0}` through

.. math::

    u^{(l)} = W^{(l)} x^{(l-1)} + b^{(l)}, \qquad x^{(l)} = \sigma_l(u^{(l)}), \qquad l = 1, \dots, k,

with :math:`W^{(l)} \in \mathbb R^{H_l \times H_{l-1}}`; hidden layers share one activation
:math:`\sigma`, the last layer is linear (:math:`\sigma_k = \mathrm{id}`) and its output
:math:`x^{(k)}` (the *logits*) goes into the loss. Source 000 (eqs. 2.12-2.18) writes the same
network with :math:`a^{(l)} = u^{(l)}`, :math:`z_l = x^{(l-1)}` (so :math:`z_1 = x`) and
folds the biases into :math:`W`.

In code a batch of :math:`B` examples is a matrix with one example per **row** (as in
:mod:`course_lib.stochastic`), so the layer reads ``U = X @ W.T + b``; the formulas below are
per example and the code sums them over the batch. The loss is the *mean* over the batch.

Backward pass (001, "Complexity of backpropagation"; 000, eq. 2.18), with
:math:`\delta^{(l)} = \partial\mathcal L/\partial u^{(l)}`:

.. math::

    \delta^{(k)} = \nabla_{x^{(k)}}\mathcal L, \qquad
    \delta^{(l)} = \sigma'(u^{(l)}) \odot \big(W^{(l+1)}\big)^{\!\top} \delta^{(l+1)},

    \frac{\partial \mathcal L}{\partial W^{(l)}} = \delta^{(l)} \big(x^{(l-1)}\big)^{\!\top}, \qquad
    \frac{\partial \mathcal L}{\partial b^{(l)}} = \delta^{(l)} .

Each layer costs :math:`O(H^2)` forward and backward, so a gradient costs :math:`O(kH^2)`;
:func:`naive_gradient` recomputes the chain from the output for every layer, which costs
:math:`O(k^2H^2)`.

References
----------
000, Section 2.A (eqs. 2.12-2.18, Algorithm 2); 001 (forward and backward schemes, their cost,
softmax and cross-entropy).
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from course_lib.activations import dsigmoid, dtanh, sigmoid


class Activation(NamedTuple):
    """An element-wise activation with its derivative written in terms of ``u`` and ``x = f(u)``."""

    name: str
    fun: Callable
    deriv: Callable  # (u, x) -> sigma'(u)


ACTIVATIONS = {
    # the derivatives from u, not as 1 - x^2 and x (1 - x): those cancel where a unit saturates
    "tanh": Activation("tanh", np.tanh, lambda u, x: dtanh(u)),
    "sigmoid": Activation("sigmoid", sigmoid, lambda u, x: dsigmoid(u)),
    "relu": Activation("relu", lambda u: np.maximum(u, 0.0), lambda u, x: (u > 0).astype(u.dtype)),
    "identity": Activation("identity", lambda u: u, lambda u, x: np.ones_like(u)),
}


class Layer(NamedTuple):
    """Weights ``W`` of shape (H_l, H_{l-1}) and bias ``b`` of shape (H_l,)."""

    W: np.ndarray
    b: np.ndarray


class Forward(NamedTuple):
    """What the backward pass needs: the inputs ``xs[l]`` = x^(l) and pre-activations ``us[l-1]`` = u^(l)."""

    xs: list
    us: list


def init_mlp(sizes, seed: int | None = 0, scale: str | float = "xavier") -> list[Layer]:
    r"""Random layers for widths ``sizes = (H_0, H_1, ..., H_k)``, biases zero.

    ``scale="xavier"`` draws :math:`W^{(l)}_{ij} \sim \mathcal N(0, 1/H_{l-1})`; a number ``s``
    draws :math:`\mathcal N(0, s^2/H_{l-1})` (useful to show exploding and vanishing gradients).

    Examples
    --------
    >>> [layer.W.shape for layer in init_mlp((4, 8, 3))]
    [(8, 4), (3, 8)]
    """
    sizes = [int(h) for h in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list at least two positive widths (input, ..., output), got {sizes}.")
    gain = 1.0 if scale == "xavier" else float(scale)
    if not (np.isfinite(gain) and gain > 0):
        raise ValueError(f"Invalid scale: {scale!r} (use 'xavier' or a positive number).")
    rng = np.random.default_rng(seed)
    return [Layer(rng.normal(0.0, gain / np.sqrt(h_in), (h_out, h_in)), np.zeros(h_out))
            for h_in, h_out in zip(sizes[:-1], sizes[1:])]


def forward(layers, X, activation: str = "tanh") -> tuple[np.ndarray, Forward]:
    r"""The forward pass: logits :math:`x^{(k)}` for a batch ``X`` (B, H_0), and the stored values.

    Examples
    --------
    >>> layers = [Layer(np.array([[1.0, -1.0]]), np.array([0.5]))]
    >>> forward(layers, np.array([[2.0, 1.0]]))[0]       # one linear layer: 2 - 1 + 0.5
    array([[1.5]])
    """
    act = _activation(activation)
    x = _batch(X, layers)
    xs, us = [x], []
    for l, (W, b) in enumerate(layers, start=1):
        u = x @ W.T + b
        x = u if l == len(layers) else act.fun(u)
        us.append(u)
        xs.append(x)
    return x, Forward(xs, us)


def softmax(logits) -> np.ndarray:
    r"""Row-wise softmax :math:`p_j = e^{z_j} / \sum_i e^{z_i}`, computed as :math:`e^{z_j - \max z}` (no overflow).

    Examples
    --------
    >>> softmax(np.array([[0.0, np.log(3.0)]]))
    array([[0.25, 0.75]])
    """
    z = np.asarray(logits, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy(logits, labels) -> tuple[float, np.ndarray]:
    r"""Mean softmax cross-entropy over the batch and its gradient with respect to the logits.

    .. math::

        \mathcal L = \frac1B \sum_{n} \Big(\log \sum_j e^{z_{nj}} - z_{n y_n}\Big), \qquad
        \frac{\partial \mathcal L}{\partial z_{nj}} = \frac1B \big(p_{nj} - [j = y_n]\big).

    ``labels`` are class indices ``0..K-1``.

    Examples
    --------
    >>> loss, dz = cross_entropy(np.array([[0.0, 0.0]]), np.array([1]))
    >>> round(loss, 6), dz
    (0.693147, array([[ 0.5, -0.5]]))
    """
    z = np.asarray(logits, dtype=float)
    y = np.asarray(labels)
    if z.ndim != 2 or y.shape != (z.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"expected logits (B, K) and integer labels (B,), got shapes {z.shape} and {y.shape}.")
    if y.size and (y.min() < 0 or y.max() >= z.shape[1]):
        raise ValueError(f"labels must lie in 0..{z.shape[1] - 1}, got values from {y.min()} to {y.max()}.")
    B = z.shape[0]
    shifted = z - z.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=1))
    loss = float(np.mean(log_norm - shifted[np.arange(B), y]))
    dz = np.exp(shifted - log_norm[:, None])
    dz[np.arange(B), y] -= 1.0
    return loss, dz / B


def squared_error(outputs, targets) -> tuple[float, np.ndarray]:
    r"""Mean squared error :math:`\frac{1}{2B}\sum_n \|x^{(k)}_n - t_n\|^2` and its gradient.

    Examples
    --------
    >>> squared_error(np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]]))
    (1.25, array([[0.5],
           [1. ]]))
    """
    out = np.asarray(outputs, dtype=float)
    t = np.asarray(targets, dtype=float).reshape(out.shape)
    B = out.shape[0]
    r = out - t
    return float(0.5 * np.sum(r * r) / B), r / B


LOSSES = {"cross_entropy": cross_entropy, "squared": squared_error}


def backprop(layers, X, targets, activation: str = "tanh", loss: str = "cross_entropy"):
    r"""Loss and gradient of an MLP by one forward and one backward pass (see the module docstring).

    Returns ``(loss, grads)`` with ``grads[l]`` a :class:`Layer` holding
    :math:`\partial\mathcal L/\partial W^{(l+1)}` and :math:`\partial\mathcal L/\partial b^{(l+1)}`.

    Examples
    --------
    >>> layers = init_mlp((3, 5, 2), seed=0)
    >>> value, grads = backprop(layers, np.ones((4, 3)), np.array([0, 1, 1, 0]))
    >>> [g.W.shape for g in grads], [g.b.shape for g in grads]
    ([(5, 3), (2, 5)], [(5,), (2,)])
    """
    act = _activation(activation)
    loss_fn = _loss(loss)
    logits, cache = forward(layers, X, activation)
    value, delta = loss_fn(logits, targets)                 # delta^(k) = dL/du^(k), summed over the batch below
    grads = [None] * len(layers)
    for l in range(len(layers) - 1, -1, -1):               # layers k, ..., 1 (0-based l)
        grads[l] = Layer(delta.T @ cache.xs[l], delta.sum(axis=0))
        if l > 0:
            delta = (delta @ layers[l].W) * act.deriv(cache.us[l - 1], cache.xs[l])
    return value, grads


def naive_gradient(layers, X, targets, activation: str = "tanh", loss: str = "cross_entropy"):
    r"""The same gradient without reusing the backward recursion: for every layer the chain of
    Jacobian-vector products is rebuilt from the output down to that layer.

    Layer :math:`l` costs :math:`k - l + 1` matrix products, so the total is
    :math:`O(k^2 H^2)` against :func:`backprop`'s :math:`O(k H^2)` (001, "Complexity of naive
    derivative vs backpropagation"). It exists to measure that difference.
    """
    act = _activation(activation)
    loss_fn = _loss(loss)
    logits, cache = forward(layers, X, activation)
    value, top = loss_fn(logits, targets)
    grads = []
    for target in range(len(layers)):
        delta = top
        for l in range(len(layers) - 1, target, -1):         # rebuilt from scratch for every layer
            delta = (delta @ layers[l].W) * act.deriv(cache.us[l - 1], cache.xs[l])
        grads.append(Layer(delta.T @ cache.xs[target], delta.sum(axis=0)))
    return value, grads


def loss_value(layers, X, targets, activation: str = "tanh", loss: str = "cross_entropy") -> float:
    """The loss alone (for finite differences and line searches)."""
    logits, _ = forward(layers, X, activation)
    return _loss(loss)(logits, targets)[0]


def flatten(layers) -> np.ndarray:
    """All parameters in one vector: W^(1), b^(1), W^(2), ... (row-major)."""
    return np.concatenate([np.concatenate([W.ravel(), b.ravel()]) for W, b in layers])


def unflatten(theta, like) -> list[Layer]:
    """The inverse of :func:`flatten`, with the shapes of ``like``."""
    theta = np.asarray(theta, dtype=float)
    out, k = [], 0
    for W, b in like:
        Wn = theta[k:k + W.size].reshape(W.shape)
        k += W.size
        bn = theta[k:k + b.size].reshape(b.shape)
        k += b.size
        out.append(Layer(Wn, bn))
    if k != theta.size:
        raise ValueError(f"theta has {theta.size} entries, the network {k}.")
    return out


def _activation(name) -> Activation:
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}.") from None


def _loss(name):
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown loss {name!r}; choose one of {sorted(LOSSES)}.") from None


def _batch(X, layers):
    X = np.asarray(X, dtype=float)
    if not layers:
        raise ValueError("the network has no layers.")
    if X.ndim != 2 or X.shape[1] != layers[0].W.shape[1]:
        raise ValueError(f"X must have shape (B, {layers[0].W.shape[1]}), one example per row, got {X.shape}.")
    return X
