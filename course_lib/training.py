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
  :func:`least_squares_hessian`.
- **Schedules** with the calling convention of :mod:`course_lib.schedules` (a function of the
  step ``t``, counted from 0): :func:`linear_warmup` (Goyal et al. 2017) and
  :func:`momentum_warmup` (003); :func:`scheduled_momentum`, heavy ball whose momentum follows
  a schedule; :func:`reduce_on_plateau` (003), a small ``(init, update)`` pair driven by the
  monitored loss.
- **Per-parameter rates**: :func:`delta_bar_delta` (003; Jacobs 1988), an optimizer in the
  ``(init, update)`` style of :mod:`course_lib.optim`.

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
from course_lib.optim import GradientTransformation, _rate
from course_lib.problems import Problem

__all__ = [
    "clip_by_value", "clip_by_norm", "clipped", "cliff",
    "init_std", "init_layers", "depth_statistics", "DepthStatistics",
    "batchnorm_forward", "batchnorm_backward", "BatchNormCache", "update_running_stats",
    "batchnorm_inference", "standardize", "least_squares_hessian",
    "linear_warmup", "momentum_warmup", "scheduled_momentum", "reduce_on_plateau",
    "PlateauState", "delta_bar_delta", "DeltaBarDeltaState",
]


# --------------------------------------------------------------------------- validation


def _number(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"Invalid {name}: {value!r} (expected a number).")
    if not math.isfinite(value):
        raise ValueError(f"Invalid {name}: {value} (it must be finite).")
    return float(value)


def _positive(name, value):
    value = _number(name, value)
    if not value > 0:
        raise ValueError(f"Invalid {name}: {value} (it must be positive).")
    return value


def _count(name, value, minimum=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"Invalid {name}: {value!r} (it must be an integer >= {minimum}).")
    return int(value)


def _array(name, value, ndim=None):
    arr = np.asarray(value, dtype=float)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-dimensional array, got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} has non-finite entries (nan or inf); pass finite values.")
    return arr


def _steps(t):
    arr = np.asarray(t)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"steps must be integers, got {t!r} of dtype {arr.dtype}.")
    if np.any(arr < 0):
        raise ValueError(f"steps must be non-negative, got a minimum of {arr.min()}.")
    return arr


def _out(values):
    return float(values) if np.ndim(values) == 0 else values


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
    g = _array("g", g)
    tau = _positive("threshold", threshold)
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
    g = _array("g", g)
    tau = _positive("threshold", threshold)
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
    tau = _positive("threshold", threshold)

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
    h = _positive("height", height)
    s = _positive("steepness", steepness)
    c = _number("edge", edge)

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
    n_in = _count("fan_in", fan_in)
    if isinstance(scheme, str):
        if scheme == "he":
            return math.sqrt(2.0 / n_in)
        if scheme == "lecun":
            return math.sqrt(1.0 / n_in)
        if scheme == "glorot":
            n_out = _count("fan_out", fan_out)
            return math.sqrt(2.0 / (n_in + n_out))
        raise ValueError(f"Invalid scheme: {scheme!r} (use 'glorot', 'he', 'lecun' or a positive number).")
    return _positive("scheme", scheme)


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
    sizes = [_count("sizes entry", h) for h in sizes]
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
    x = _array("X", X, ndim=2)
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
    x = _array("X", X, ndim=2)
    if x.shape[0] < 2:
        raise ValueError(f"X has {x.shape[0]} row(s); batch statistics need a batch of at least 2 examples.")
    gamma, beta = _features("gamma", gamma, x), _features("beta", beta, x)
    eps = _number("eps", eps)
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
    dy = _array("dY", dY, ndim=2)
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
    rho = _number("decay", decay)
    if not 0 <= rho < 1:
        raise ValueError(f"Invalid decay: {rho} (it must be in [0, 1)).")
    m = _array("running_mean", running_mean)
    v = _array("running_var", running_var)
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
    x = _array("X", X, ndim=2)
    gamma, beta = _features("gamma", gamma, x), _features("beta", beta, x)
    m, v = _features("running_mean", running_mean, x), _features("running_var", running_var, x)
    eps = _number("eps", eps)
    if np.any(v + eps <= 0):
        raise ValueError("running_var + eps must be positive; pass variances >= 0 and eps > 0.")
    return gamma * (x - m) / np.sqrt(v + eps) + beta


def _features(name, value, x):
    arr = _array(name, value)
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
    x = _array("X", X, ndim=2)
    mu = x.mean(axis=0) if mean is None else _features("mean", mean, x)
    sd = x.std(axis=0) if std is None else _features("std", std, x)
    if np.any(sd <= 0):
        raise ValueError("a feature has standard deviation 0 (a constant column); drop it or pass std > 0.")
    return (x - mu) / sd, mu, sd


def least_squares_hessian(X, bias: bool = True) -> np.ndarray:
    r"""Hessian of the mean squared error :math:`\frac{1}{2N}\sum_n (w^\top x_n + b - t_n)^2`.

    .. math::

        H = \frac1N \tilde X^\top \tilde X, \qquad \tilde X = [X\ \ \mathbf 1]
        \quad(\text{or } X \text{ without a bias}).

    It does not depend on the targets or the parameters: the objective is quadratic. If the
    columns of :math:`X` are standardised, :math:`H` is the block matrix of the features'
    correlation matrix and the number 1 (the bias decouples because the features are centred).

    References
    ----------
    002 (condition number, input standardisation).

    Examples
    --------
    >>> least_squares_hessian(np.array([[1.0], [-1.0]]))
    array([[1., 0.],
           [0., 1.]])
    """
    x = _array("X", X, ndim=2)
    if bias:
        x = np.hstack([x, np.ones((x.shape[0], 1))])
    H = x.T @ x / x.shape[0]
    return 0.5 * (H + H.T)


# --------------------------------------------------------------------------- schedules


Schedule = Callable[[int | np.ndarray], float | np.ndarray]


def linear_warmup(lr: float, warmup_steps: int, then: Schedule | None = None) -> Schedule:
    r"""Linear warm-up to ``lr`` over ``warmup_steps`` steps, then ``then`` (or the constant ``lr``).

    With :math:`\tau` = ``warmup_steps``,

    .. math::

        \eta_t = \begin{cases} \eta\, \dfrac{t + 1}{\tau}, & t < \tau, \\
                               \eta_\text{then}(t - \tau), & t \ge \tau, \end{cases}

    so the first step already moves (:math:`\eta/\tau`), step :math:`\tau - 1` uses
    :math:`\eta`, and the following schedule starts its own clock at :math:`t = \tau` (give it
    the initial rate ``lr`` to be continuous). The convention of the schedules in
    :mod:`course_lib.schedules`: ``t`` counts from 0, a scalar gives a float, an integer array
    an array.

    References
    ----------
    Goyal et al. (2017), Section 2.2 ("gradual warmup"); 003 (learning-rate scheduling).

    Examples
    --------
    >>> from course_lib.schedules import exponential_decay
    >>> linear_warmup(1.0, 4, then=exponential_decay(1.0, 0.5))(np.arange(7))
    array([0.25, 0.5 , 0.75, 1.  , 1.  , 0.5 , 0.25])
    """
    lr = _positive("lr", lr)
    tau = _count("warmup_steps", warmup_steps)
    if then is not None and not callable(then):
        raise TypeError(f"then must be a schedule (a function of the step), got {then!r}.")

    def schedule(t):
        t = _steps(t)
        ramp = lr * (t + 1) / tau
        if then is None:
            after = np.full(np.shape(t), lr)
        else:
            after = np.asarray(then(np.maximum(t - tau, 0)), dtype=float)
        return _out(np.where(t < tau, ramp, after))

    return schedule


def momentum_warmup(mu_start: float = 0.5, mu_end: float = 0.99, num_steps: int = 1000) -> Schedule:
    r"""Momentum raised linearly from ``mu_start`` to ``mu_end`` over ``num_steps`` steps, then constant.

    .. math::

        \mu_t = \mu_\text{start} + (\mu_\text{end} - \mu_\text{start}) \min(t/\tau, 1),

    003's suggestion (start at 0.5, increase to 0.99). Use it with :func:`scheduled_momentum`.

    References
    ----------
    003, "Momentum" (a warming strategy for the momentum).

    Examples
    --------
    >>> momentum_warmup(0.5, 0.9, 4)(np.arange(6))
    array([0.5, 0.6, 0.7, 0.8, 0.9, 0.9])
    """
    a, b = _number("mu_start", mu_start), _number("mu_end", mu_end)
    for name, v in (("mu_start", a), ("mu_end", b)):
        if not 0 <= v < 1:
            raise ValueError(f"Invalid {name}: {v} (a momentum must be in [0, 1)).")
    tau = _count("num_steps", num_steps)

    def schedule(t):
        t = _steps(t)
        return _out(a + (b - a) * np.minimum(t / tau, 1.0))

    return schedule


class ScheduledMomentumState(NamedTuple):
    """Velocity and step count."""

    velocity: np.ndarray
    count: int


def scheduled_momentum(learning_rate, momentum_schedule) -> GradientTransformation:
    r"""Heavy ball whose momentum follows a schedule,
    :math:`v_{t+1} = \mu_t v_t - \eta_t g_t,\ \theta_{t+1} = \theta_t + v_{t+1}`.

    With a constant ``momentum_schedule`` this is :func:`course_lib.optim.momentum` (same
    iterates). ``learning_rate`` and ``momentum_schedule`` are numbers or schedules.

    References
    ----------
    003, "Momentum"; Sutskever, Martens, Dahl and Hinton (2013).

    Examples
    --------
    >>> opt = scheduled_momentum(1.0, lambda t: 0.5 * t)
    >>> u1, s = opt.update(np.array([1.0]), opt.init(np.zeros(1)))
    >>> u2, s = opt.update(np.array([1.0]), s)
    >>> float(u1[0]), float(u2[0])                      # mu_0 = 0, mu_1 = 0.5
    (-1.0, -1.5)
    """
    rate = _rate(learning_rate)
    if callable(momentum_schedule):
        mu = momentum_schedule
    else:
        value = _number("momentum_schedule", momentum_schedule)
        if not 0 <= value < 1:
            raise ValueError(f"Invalid momentum_schedule: {value} (a momentum must be in [0, 1)).")
        mu = lambda t: value

    def init(params):
        return ScheduledMomentumState(np.zeros_like(np.asarray(params, dtype=float)), 0)

    def update(grads, state, params=None):
        m = float(mu(state.count))
        if not 0 <= m < 1:
            raise ValueError(f"momentum_schedule gave {m} at step {state.count}; a momentum must be in [0, 1).")
        v = m * state.velocity - rate(state.count) * np.asarray(grads, dtype=float)
        return v, ScheduledMomentumState(v, state.count + 1)

    return GradientTransformation(init, update)


class PlateauState(NamedTuple):
    """The current rate, the best monitored value so far, and the number of epochs without improvement."""

    lr: float
    best: float
    bad_epochs: int


class PlateauScheduler(NamedTuple):
    """``init() -> PlateauState`` and ``update(loss, state) -> PlateauState``."""

    init: Callable
    update: Callable


def reduce_on_plateau(lr: float, factor: float = 0.1, patience: int = 10, threshold: float = 1e-4,
                      min_lr: float = 0.0) -> PlateauScheduler:
    r"""Multiply the rate by ``factor`` when the monitored loss stops improving.

    After each epoch, with the epoch's loss :math:`\ell` (training or validation):

    - if :math:`\ell < \ell_\text{best}(1 - \delta)` (a relative improvement by more than
      ``threshold`` :math:`\delta`), :math:`\ell_\text{best} \leftarrow \ell` and the count of bad
      epochs returns to 0;
    - otherwise the count increases; when it exceeds ``patience``,
      :math:`\eta \leftarrow \max(f\eta, \eta_\text{min})` and the count returns to 0.

    So with ``patience`` :math:`p` the rate drops at the :math:`(p+1)`-th consecutive epoch
    without improvement, as PyTorch's ``ReduceLROnPlateau`` (mode ``"min"``, relative
    threshold, no cooldown) does. Unlike the schedules above it is not a function of the step:
    it depends on the losses seen.

    References
    ----------
    003 ("reduce the LR when the training (or validation) metric has not decreased for a number
    of epochs"); PyTorch documentation of ``ReduceLROnPlateau``.

    Examples
    --------
    >>> sched = reduce_on_plateau(1.0, factor=0.5, patience=1)
    >>> state = sched.init()
    >>> for loss in [3.0, 2.0, 2.0, 2.0, 1.0]:
    ...     state = sched.update(loss, state)
    ...     print(state.lr, end=" ")
    1.0 1.0 1.0 0.5 0.5 
    """
    lr = _positive("lr", lr)
    f = _number("factor", factor)
    if not 0 < f < 1:
        raise ValueError(f"Invalid factor: {f} (it must be in (0, 1) to reduce the rate).")
    p = _count("patience", patience, minimum=0)
    delta = _number("threshold", threshold)
    if not 0 <= delta < 1:
        raise ValueError(f"Invalid threshold: {delta} (a relative threshold in [0, 1)).")
    floor = _number("min_lr", min_lr)
    if not 0 <= floor <= lr:
        raise ValueError(f"Invalid min_lr: {floor} (it must be in [0, lr = {lr}]).")

    def init():
        return PlateauState(lr, math.inf, 0)

    def update(loss, state):
        loss = _number("loss", loss)
        if loss < state.best * (1 - delta):
            return PlateauState(state.lr, loss, 0)
        bad = state.bad_epochs + 1
        if bad > p:
            return PlateauState(max(state.lr * f, floor), state.best, 0)
        return PlateauState(state.lr, state.best, bad)

    return PlateauScheduler(init, update)


# --------------------------------------------------------------------------- delta-bar-delta


class DeltaBarDeltaState(NamedTuple):
    """Per-parameter rates :math:`\\eta_i`, the average of past gradients :math:`\\bar g`, step count."""

    rates: np.ndarray
    avg_grad: np.ndarray
    count: int


def delta_bar_delta(initial_rate: float = 0.01, increase: float = 1e-3, decrease: float = 0.1,
                    smoothing: float = 0.7) -> GradientTransformation:
    r"""Jacobs's delta-bar-delta: one learning rate per parameter, adapted by sign agreement.

    With the gradient :math:`g_t` (Jacobs's :math:`\delta`), its exponential average
    :math:`\bar g_t = (1 - \xi) g_t + \xi \bar g_{t-1}` (:math:`\bar g_{-1} = 0`), and per
    parameter :math:`i` a rate :math:`\eta_{t,i}` (Jacobs's :math:`\epsilon`),

    .. math::

        \eta_{t,i} = \begin{cases} \eta_{t-1,i} + a, & \bar g_{t-1,i}\, g_{t,i} > 0, \\
                                   (1 - \phi)\,\eta_{t-1,i}, & \bar g_{t-1,i}\, g_{t,i} < 0, \\
                                   \eta_{t-1,i}, & \text{otherwise,} \end{cases}
        \qquad \theta_{t+1,i} = \theta_{t,i} - \eta_{t,i}\, g_{t,i} .

    Rates grow additively (by ``increase`` :math:`a`, Jacobs's :math:`\kappa`) while a gradient keeps the sign of
    its recent average, and shrink geometrically (by the fraction ``decrease`` :math:`\phi`)
    when it flips, so they stay positive. With ``smoothing`` :math:`\xi = 0`,
    :math:`\bar g_{t-1} = g_{t-1}` and the rule is source 003's comparison of two consecutive
    gradients.

    References
    ----------
    003, "Adaptive learning rates"; R. A. Jacobs, "Increased rates of convergence through
    learning rate adaptation", Neural Networks 1 (1988).

    Examples
    --------
    >>> opt = delta_bar_delta(initial_rate=0.1, increase=0.05, decrease=0.5, smoothing=0.0)
    >>> s = opt.init(np.zeros(2))
    >>> _, s = opt.update(np.array([1.0, 1.0]), s)
    >>> u, s = opt.update(np.array([1.0, -1.0]), s)
    >>> s.rates, u                                   # agreed: 0.1 + 0.05; flipped: 0.1 * 0.5
    (array([0.15, 0.05]), array([-0.15,  0.05]))
    """
    eps0 = _positive("initial_rate", initial_rate)
    kappa = _number("increase", increase)
    if kappa < 0:
        raise ValueError(f"Invalid increase: {kappa} (it must be >= 0).")
    phi = _number("decrease", decrease)
    if not 0 <= phi < 1:
        raise ValueError(f"Invalid decrease: {phi} (a fraction in [0, 1)).")
    xi = _number("smoothing", smoothing)
    if not 0 <= xi < 1:
        raise ValueError(f"Invalid smoothing: {xi} (it must be in [0, 1)).")

    def init(params):
        p = np.asarray(params, dtype=float)
        return DeltaBarDeltaState(np.full(p.shape, eps0), np.zeros(p.shape), 0)

    def update(grads, state, params=None):
        g = np.asarray(grads, dtype=float)
        agree = state.avg_grad * g
        rates = np.where(agree > 0, state.rates + kappa,
                         np.where(agree < 0, (1 - phi) * state.rates, state.rates))
        avg = (1 - xi) * g + xi * state.avg_grad
        return -rates * g, DeltaBarDeltaState(rates, avg, state.count + 1)

    return GradientTransformation(init, update)
