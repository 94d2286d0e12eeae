r"""Training deep networks in practice: clipping, initialisation, batch normalisation, schedules.

The pieces of chapter 11, each one function next to its equation:

- **Gradient clipping** (source 003, "Cliffs"; Pascanu et al. 2013): :func:`clip_by_value`,
  :func:`clip_by_norm`, :func:`clipped` (any optimizer of :mod:`course_lib.optim` fed clipped
  gradients), and :func:`cliff`, a two-dimensional objective with a steep wall to try them on.
- **Initialisation** (Glorot and Bengio 2010; He et al. 2015): :func:`init_std`,
  :func:`init_layers` (the :class:`course_lib.backprop.Layer` list of an MLP) and
  :func:`depth_statistics` (standard deviations of activations and back-propagated gradients,
  layer by layer).
- **Batch normalisation** (003; Ioffe and Szegedy 2015): :func:`batchnorm_forward`,
  :func:`batchnorm_backward`, :func:`update_running_stats`, :func:`batchnorm_inference`.
- **Conditioning and standardisation** (002): :func:`standardize`,
  :func:`course_lib.convexity.least_squares_hessian` (``bias=True``).
- The chapter's schedules live with the others in :mod:`course_lib.schedules`
  (:func:`~course_lib.schedules.linear_warmup`, :func:`~course_lib.schedules.momentum_warmup`,
  :func:`~course_lib.schedules.reduce_on_plateau`), its optimizers with the others in
  :mod:`course_lib.optim` (:func:`~course_lib.optim.scheduled_momentum`,
  :func:`~course_lib.optim.delta_bar_delta`).

Polyak averaging is :func:`course_lib.stochastic.polyak_average`; the MLP is
:mod:`course_lib.backprop`'s.

References
----------
002 (input standardisation, condition number); 003 (cliffs and clipping, exploding and vanishing
gradients, schedules, momentum warm-up, delta-bar-delta, Polyak averaging, batch normalisation,
pre-training); 001 (the MLP and its backward pass).
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from course_lib.activations import dsigmoid, sigmoid
from course_lib.backprop import ACTIVATIONS, Layer
from course_lib import checks
from course_lib.optim import GradientTransformation
from course_lib.problems import Problem

__all__ = [
    "clip_by_value", "clip_by_norm", "clipped", "cliff",
    "init_std", "init_layers", "depth_statistics", "DepthStatistics",
    "batchnorm_forward", "batchnorm_backward", "BatchNormCache", "update_running_stats",
    "batchnorm_inference", "standardize",
]


# --------------------------------------------------------------------------- clipping


def clip_by_value(g, threshold: float) -> np.ndarray:
    r"""Clip every entry of the gradient to :math:`[-\tau, \tau]`.

    .. math::

        \operatorname{clip}_\tau(g)_i = \max(-\tau, \min(g_i, \tau)).

    Entries clipped and entries kept are scaled differently, so the result points in another
    direction than :math:`g` whenever some but not all entries exceed :math:`\tau`. Source 003
    writes :math:`\min(\nabla J, th)`, which clips only from above (see chapter 11). The input
    is not modified.

    References
    ----------
    003, "Cliffs"; Pascanu, Mikolov and Bengio (2013).

    Examples
    --------
    >>> clip_by_value(np.array([3.0, -0.5, -7.0]), 1.0)
    array([ 1. , -0.5, -1. ])
    """
    g = checks.array("g", g)
    tau = checks.real("threshold", threshold, positive=True)
    return np.clip(g, -tau, tau)


def clip_by_norm(g, threshold: float) -> np.ndarray:
    r"""Rescale the gradient to Euclidean norm at most :math:`\tau`, keeping its direction.

    .. math::

        \operatorname{clip}_\tau(g) = \begin{cases} g, & \|g\| \le \tau, \\
            \tau\, g / \|g\|, & \|g\| > \tau. \end{cases}

    The result is a non-negative multiple of :math:`g`: the direction is kept, only the length
    is bounded. The input is not modified.

    References
    ----------
    Pascanu, Mikolov and Bengio (2013), Algorithm 1.

    Examples
    --------
    >>> clip_by_norm(np.array([3.0, 4.0]), 1.0)
    array([0.6, 0.8])
    >>> clip_by_norm(np.array([0.3, 0.4]), 1.0)
    array([0.3, 0.4])
    """
    g = checks.array("g", g)
    tau = checks.real("threshold", threshold, positive=True)
    norm = float(np.linalg.norm(g))
    return g.copy() if norm <= tau else g * (tau / norm)


_CLIPS = {"value": clip_by_value, "norm": clip_by_norm}


def clipped(optimizer: GradientTransformation, by: str, threshold: float) -> GradientTransformation:
    r"""The same optimizer fed clipped gradients: ``update(clip(g), state, params)``.

    ``by`` is ``"norm"`` (:func:`clip_by_norm`) or ``"value"`` (:func:`clip_by_value`).

    Examples
    --------
    >>> from course_lib.optim import gradient_descent
    >>> opt = clipped(gradient_descent(0.1), "norm", 1.0)
    >>> opt.update(np.array([30.0, 40.0]), opt.init(np.zeros(2)))[0]
    array([-0.06, -0.08])
    """
    if by not in _CLIPS:
        raise ValueError(f"Invalid by: {by!r} (choose 'norm' or 'value').")
    clip = _CLIPS[by]
    tau = checks.real("threshold", threshold, positive=True)

    def update(grads, state, params=None):
        return optimizer.update(clip(grads, tau), state, params)

    return GradientTransformation(optimizer.init, update)


def cliff(height: float = 8.0, steepness: float = 25.0, edge: float = 0.0) -> Problem:
    r"""A bowl with a cliff: a smooth step of height :math:`h` across the line :math:`\theta_1 = c`.

    .. math::

        C(\theta) = \tfrac12 (\theta_1 - 1)^2 + \tfrac12 \theta_2^2
                    + h\, \sigma\big(s\,(c - \theta_1)\big),

    with the logistic function :math:`\sigma`. Left of :math:`c` lies a plateau :math:`h`
    higher; the wall between them has width of order :math:`1/s` and its slope reaches
    :math:`h s / 4` at :math:`\theta_1 = c`, the picture of source 003's cliffs. The gradient is

    .. math::

        \nabla C = \begin{pmatrix} \theta_1 - 1 - h s\, \sigma'\big(s(c - \theta_1)\big) \\
                                    \theta_2 \end{pmatrix}.

    The global minimiser is near :math:`(1, 0)` (exactly where the first entry vanishes).

    References
    ----------
    003, "Cliffs"; Pascanu, Mikolov and Bengio (2013) (the cliff picture).

    Examples
    --------
    >>> p = cliff()
    >>> float(p.grad(np.array([0.0, 0.5]))[0])          # -1 - h s / 4 = -1 - 50
    -51.0
    """
    h = checks.real("height", height, positive=True)
    s = checks.real("steepness", steepness, positive=True)
    c = checks.real("edge", edge)

    def fun(theta):
        t1, t2 = _pair(theta)
        return 0.5 * (t1 - 1.0) ** 2 + 0.5 * t2**2 + h * sigmoid(s * (c - t1))

    def grad(theta):
        t1, t2 = _pair(theta)
        return np.array([t1 - 1.0 - h * s * dsigmoid(s * (c - t1)), t2 * np.ones_like(t1)])

    def hess(theta):
        t1, _ = _pair(theta)
        z = s * (c - t1)
        sig = sigmoid(z)
        d2 = sig * (1 - sig) * (1 - 2 * sig)            # sigma''(z)
        return np.array([[1.0 + h * s * s * float(d2), 0.0], [0.0, 1.0]])

    g0 = lambda x: x - 1.0 - h * s * float(dsigmoid(s * (c - x)))
    x = 1.0
    for _ in range(60):                                  # Newton on the first entry, from (1, 0)
        z = s * (c - x)
        sig = float(sigmoid(z))
        x -= g0(x) / (1.0 + h * s * s * sig * (1 - sig) * (1 - 2 * sig))
    return Problem(f"cliff (h={h:g}, s={s:g})", fun, grad, hess, np.array([x, 0.0]))


def _pair(theta):
    theta = np.asarray(theta, dtype=float)
    if theta.shape[0] != 2:
        raise ValueError(f"theta must have 2 entries (first axis), got shape {theta.shape}.")
    return theta[0], theta[1]


# --------------------------------------------------------------------------- initialisation


def init_std(scheme, fan_in: int, fan_out: int | None = None) -> float:
    r"""Standard deviation of the weights of a layer with ``fan_in`` inputs and ``fan_out`` outputs.

    .. math::

        \text{Glorot:}\ \sigma_W = \sqrt{\frac{2}{n_\text{in} + n_\text{out}}}, \qquad
        \text{He:}\ \sigma_W = \sqrt{\frac{2}{n_\text{in}}}, \qquad
        \text{LeCun:}\ \sigma_W = \sqrt{\frac{1}{n_\text{in}}} .

    A pre-activation :math:`u_i = \sum_j W_{ij} x_j` with independent zero-mean weights has
    :math:`\operatorname{Var} u_i = n_\text{in} \sigma_W^2\, \mathbb E[x_j^2]`: LeCun keeps it
    equal to :math:`\mathbb E[x^2]` (tanh near 0), He compensates the factor 1/2 of ReLU
    (:math:`\mathbb E[\mathrm{relu}(u)^2] = \tfrac12 \operatorname{Var} u`), Glorot compromises
    between the forward (:math:`n_\text{in}`) and the backward (:math:`n_\text{out}`)
    conditions. A number for ``scheme`` is returned as the standard deviation itself.

    References
    ----------
    Glorot and Bengio (2010) (here in its normal form); He, Zhang, Ren and Sun (2015); 003 (exploding and vanishing gradients).

    Examples
    --------
    >>> init_std("he", 50), init_std("glorot", 50, 50), init_std(0.01, 50)
    (0.2, 0.1414213562373095, 0.01)
    """
    n_in = checks.integer("fan_in", fan_in, minimum=1)
    if isinstance(scheme, str):
        if scheme == "he":
            return math.sqrt(2.0 / n_in)
        if scheme == "lecun":
            return math.sqrt(1.0 / n_in)
        if scheme == "glorot":
            n_out = checks.integer("fan_out", fan_out, minimum=1)
            return math.sqrt(2.0 / (n_in + n_out))
        raise ValueError(f"Invalid scheme: {scheme!r} (use 'glorot', 'he', 'lecun' or a positive number).")
    return checks.real("scheme", scheme, positive=True)


def init_layers(sizes, scheme="he", rng: np.random.Generator | None = None) -> list[Layer]:
    r"""MLP layers for widths ``sizes = (H_0, ..., H_k)``: :math:`W^{(l)}_{ij} \sim \mathcal N(0, \sigma_W^2)`
    with :math:`\sigma_W` from :func:`init_std`, biases zero.

    The layers are :class:`course_lib.backprop.Layer` (``W`` of shape ``(H_l, H_{l-1})``), so
    :func:`course_lib.backprop.forward` and :func:`~course_lib.backprop.backprop` run them.

    Examples
    --------
    >>> layers = init_layers((100, 100, 100), "he", np.random.default_rng(0))
    >>> [layer.W.shape for layer in layers]
    [(100, 100), (100, 100)]
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least two widths (input, ..., output), got {sizes}.")
    sizes = [checks.integer("sizes entry", h, minimum=1) for h in sizes]
    if rng is None:
        rng = np.random.default_rng()
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)), got {type(rng).__name__}.")
    return [Layer(rng.normal(0.0, init_std(scheme, h_in, h_out), (h_out, h_in)), np.zeros(h_out))
            for h_in, h_out in zip(sizes[:-1], sizes[1:])]


class DepthStatistics(NamedTuple):
    """Per-layer standard deviations (entry ``l - 1`` for layer ``l``) over a batch.

    Attributes
    ----------
    pre_activation : ndarray
        std of :math:`u^{(l)}`.
    activation : ndarray
        std of :math:`x^{(l)} = \\sigma(u^{(l)})` (the last layer applies the activation too).
    backward : ndarray
        std of the back-propagated gradient :math:`\\delta^{(l)} = \\partial\\mathcal L/\\partial u^{(l)}`.
    weight_grad : ndarray
        std of :math:`\\partial\\mathcal L/\\partial W^{(l)} = \\delta^{(l)\\top} x^{(l-1)}` (batch mean).
    """

    pre_activation: np.ndarray
    activation: np.ndarray
    backward: np.ndarray
    weight_grad: np.ndarray


def depth_statistics(layers, X, activation: str = "tanh", rng: np.random.Generator | None = None) -> DepthStatistics:
    r"""Forward a batch through every layer (activation on all of them) and back-propagate a
    random cotangent; return the standard deviations layer by layer.

    .. math::

        u^{(l)} = W^{(l)} x^{(l-1)}, \quad x^{(l)} = \sigma(u^{(l)}), \qquad
        \delta^{(k)} = \sigma'(u^{(k)}) \odot r, \quad
        \delta^{(l)} = \sigma'(u^{(l)}) \odot W^{(l+1)\top}\delta^{(l+1)},

    with :math:`r \sim \mathcal N(0, I)` the gradient of the loss with respect to the output
    (what a loss gives up to scale). This is the measurement of Glorot and Bengio (2010),
    Figures 3-7: how the spread of signals changes through depth.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> layers = init_layers([200] * 11, "he", rng)
    >>> stats = depth_statistics(layers, rng.normal(size=(500, 200)), "relu", rng)
    >>> bool(0.5 < stats.pre_activation[-1] / stats.pre_activation[0] < 2)
    True
    """
    act = ACTIVATIONS.get(activation) if isinstance(activation, str) else None
    if act is None:
        raise ValueError(f"Invalid activation: {activation!r} (choose one of {sorted(ACTIVATIONS)}).")
    if not layers:
        raise ValueError("layers is empty; pass at least one Layer.")
    x = checks.array("X", X, ndim=2)
    if x.shape[1] != layers[0].W.shape[1]:
        raise ValueError(f"X must have shape (B, {layers[0].W.shape[1]}), one example per row, got {x.shape}.")
    if rng is None:
        rng = np.random.default_rng(0)
    xs, us = [x], []
    for W, b in layers:
        u = x @ W.T + b
        x = act.fun(u)
        us.append(u)
        xs.append(x)
    delta = act.deriv(us[-1], xs[-1]) * rng.normal(size=xs[-1].shape)
    back, wgrad = [None] * len(layers), [None] * len(layers)
    for l in range(len(layers) - 1, -1, -1):
        back[l] = float(delta.std())
        wgrad[l] = float((delta.T @ xs[l] / x.shape[0]).std())
        if l > 0:
            delta = (delta @ layers[l].W) * act.deriv(us[l - 1], xs[l])
    return DepthStatistics(np.array([u.std() for u in us]), np.array([a.std() for a in xs[1:]]),
                           np.array(back), np.array(wgrad))


# --------------------------------------------------------------------------- batch normalisation


class BatchNormCache(NamedTuple):
    """What the backward pass needs: the normalised batch, :math:`1/\\sqrt{\\sigma^2_B + \\epsilon}`
    per feature, :math:`\\gamma`, and the batch mean and (biased) variance."""

    x_hat: np.ndarray
    inv_std: np.ndarray
    gamma: np.ndarray
    mean: np.ndarray
    var: np.ndarray


def batchnorm_forward(X, gamma, beta, eps: float = 1e-5) -> tuple[np.ndarray, BatchNormCache]:
    r"""Batch normalisation in training mode, per feature (column) over the batch (rows).

    .. math::

        \mu_B = \frac1B\sum_{n} x_n, \quad \sigma_B^2 = \frac1B\sum_n (x_n - \mu_B)^2, \quad
        \hat x_n = \frac{x_n - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}, \quad y_n = \gamma \hat x_n + \beta .

    Returns ``(Y, cache)``; ``cache`` holds what :func:`batchnorm_backward` needs.

    References
    ----------
    Ioffe and Szegedy (2015), Algorithm 1; 003, "Batch Normalization".

    Examples
    --------
    >>> Y, cache = batchnorm_forward(np.array([[1.0], [3.0]]), np.ones(1), np.zeros(1), eps=0.0)
    >>> Y
    array([[-1.],
           [ 1.]])
    """
    x = checks.array("X", X, ndim=2)
    if x.shape[0] < 2:
        raise ValueError(f"X has {x.shape[0]} row(s); batch statistics need a batch of at least 2 examples.")
    gamma, beta = _features("gamma", gamma, x), _features("beta", beta, x)
    eps = checks.real("eps", eps)
    if eps < 0:
        raise ValueError(f"Invalid eps: {eps} (it must be >= 0).")
    mean = x.mean(axis=0)
    var = ((x - mean) ** 2).mean(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, BatchNormCache(x_hat, inv_std, gamma, mean, var)


def batchnorm_backward(dY, cache: BatchNormCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of a loss through :func:`batchnorm_forward`: ``(dX, dgamma, dbeta)``.

    With :math:`\hat g_n = \gamma \odot \partial\mathcal L/\partial y_n` and the batch means
    :math:`\langle\cdot\rangle`,

    .. math::

        \frac{\partial\mathcal L}{\partial x_n} = \frac{1}{\sqrt{\sigma_B^2 + \epsilon}}
            \Big(\hat g_n - \langle \hat g\rangle - \hat x_n \langle \hat g \odot \hat x\rangle\Big),
        \qquad \frac{\partial\mathcal L}{\partial\gamma} = \sum_n \frac{\partial\mathcal L}{\partial y_n}\odot\hat x_n,
        \qquad \frac{\partial\mathcal L}{\partial\beta} = \sum_n \frac{\partial\mathcal L}{\partial y_n} .

    The two subtracted means are the paths through :math:`\mu_B` and :math:`\sigma_B^2`: the
    gradient with respect to the inputs sums to zero per feature (a shift of a feature's inputs
    does not change :math:`\hat x`) and, for :math:`\epsilon = 0`, is orthogonal to
    :math:`\hat x` (nor does a rescaling).

    References
    ----------
    Ioffe and Szegedy (2015), Section 3 (the chain rule through the batch statistics).

    Examples
    --------
    >>> X = np.array([[1.0], [2.0], [4.0]])
    >>> Y, cache = batchnorm_forward(X, np.ones(1), np.zeros(1))
    >>> dX, dgamma, dbeta = batchnorm_backward(np.ones_like(Y), cache)
    >>> np.allclose(dX, 0.0), dbeta                     # sum(y) = 3 beta does not depend on X
    (True, array([3.]))
    """
    if not isinstance(cache, BatchNormCache):
        raise TypeError("cache must be the BatchNormCache returned by batchnorm_forward.")
    dy = checks.array("dY", dY, ndim=2)
    if dy.shape != cache.x_hat.shape:
        raise ValueError(f"dY must have the shape of the forward output {cache.x_hat.shape}, got {dy.shape}.")
    g_hat = dy * cache.gamma
    dX = cache.inv_std * (g_hat - g_hat.mean(axis=0) - cache.x_hat * (g_hat * cache.x_hat).mean(axis=0))
    return dX, (dy * cache.x_hat).sum(axis=0), dy.sum(axis=0)


def update_running_stats(running_mean, running_var, cache: BatchNormCache, decay: float = 0.9):
    r"""Exponential averages of the batch statistics, for use at test time.

    .. math::

        m \leftarrow \rho\, m + (1 - \rho)\, \mu_B, \qquad
        v \leftarrow \rho\, v + (1 - \rho)\, \tfrac{B}{B-1}\sigma_B^2 ,

    with the unbiased batch variance, as PyTorch does (its ``momentum`` is :math:`1 - \rho`).
    Returns the new ``(running_mean, running_var)``; the inputs are not modified.

    References
    ----------
    003 ("a running mean computed during training"); Ioffe and Szegedy (2015), Algorithm 2;
    PyTorch documentation of ``BatchNorm1d``.

    Examples
    --------
    >>> _, cache = batchnorm_forward(np.array([[1.0], [3.0]]), np.ones(1), np.zeros(1))
    >>> update_running_stats(np.zeros(1), np.ones(1), cache, decay=0.5)
    (array([1.]), array([1.5]))
    """
    if not isinstance(cache, BatchNormCache):
        raise TypeError("cache must be the BatchNormCache returned by batchnorm_forward.")
    rho = checks.real("decay", decay)
    if not 0 <= rho < 1:
        raise ValueError(f"Invalid decay: {rho} (it must be in [0, 1)).")
    m = checks.array("running_mean", running_mean)
    v = checks.array("running_var", running_var)
    B = cache.x_hat.shape[0]
    return rho * m + (1 - rho) * cache.mean, rho * v + (1 - rho) * cache.var * B / (B - 1)


def batchnorm_inference(X, gamma, beta, running_mean, running_var, eps: float = 1e-5) -> np.ndarray:
    r"""Batch normalisation at test time: fixed statistics, each example on its own.

    .. math::

        y = \gamma\, \frac{x - m}{\sqrt{v + \epsilon}} + \beta,

    an affine map of each example that does not depend on the rest of the batch.

    Examples
    --------
    >>> batchnorm_inference(np.array([[3.0]]), np.ones(1), np.zeros(1), np.ones(1), np.full(1, 4.0), eps=0.0)
    array([[1.]])
    """
    x = checks.array("X", X, ndim=2)
    gamma, beta = _features("gamma", gamma, x), _features("beta", beta, x)
    m, v = _features("running_mean", running_mean, x), _features("running_var", running_var, x)
    eps = checks.real("eps", eps)
    if np.any(v + eps <= 0):
        raise ValueError("running_var + eps must be positive; pass variances >= 0 and eps > 0.")
    return gamma * (x - m) / np.sqrt(v + eps) + beta


def _features(name, value, x):
    arr = checks.array(name, value)
    if arr.shape != (x.shape[1],):
        raise ValueError(f"{name} must have one entry per feature, shape ({x.shape[1]},), got {arr.shape}.")
    return arr


# --------------------------------------------------------------------------- conditioning


def standardize(X, mean=None, std=None):
    r"""Standardise each feature: :math:`\hat x_j = (x_j - \mu_j)/\sigma_j` (002).

    Without ``mean`` and ``std`` they are the training set's (``std`` with ``ddof=0``);
    pass the training values to transform test data the same way. Returns
    ``(X_hat, mean, std)``.

    References
    ----------
    002 (center the inputs to zero mean and unit variance).

    Examples
    --------
    >>> Xh, mu, sd = standardize(np.array([[1.0, 10.0], [3.0, 30.0]]))
    >>> Xh
    array([[-1., -1.],
           [ 1.,  1.]])
    """
    x = checks.array("X", X, ndim=2)
    mu = x.mean(axis=0) if mean is None else _features("mean", mean, x)
    sd = x.std(axis=0) if std is None else _features("std", std, x)
    if np.any(sd <= 0):
        raise ValueError("a feature has standard deviation 0 (a constant column); drop it or pass std > 0.")
    return (x - mu) / sd, mu, sd
