r"""Networks and their loss landscapes (chapter 10): what networks represent, and the shape of their losses.

The networks are :mod:`course_lib.backprop`'s multilayer perceptrons (a list of
:class:`~course_lib.backprop.Layer`, hidden layer :math:`l` computing
:math:`x^{(l)} = \sigma(W^{(l)} x^{(l-1)} + b^{(l)})`, the last layer linear); nothing here
re-implements a forward or backward pass.

- Representation: :func:`random_feature_fit` (a one-hidden-layer fit of a 1-D function, for
  universal approximation), :func:`tent_map_network` and :func:`count_linear_pieces`
  (Telgarsky's depth separation).
- Symmetries of weight space: :func:`permute_hidden`, :func:`flip_signs` (odd activations),
  :func:`rescale_hidden` (ReLU).
- Critical points: :func:`classify_critical_point`, :func:`fraction_positive_definite`
  (random Hessians), :func:`perturbed_gd` (Jin et al.'s perturbed gradient descent).
- Ill-conditioning: :func:`second_order_terms` (the two terms of the Taylor model of a
  gradient step).
- Source 004's Figure 4.5: :func:`sigmoid_chain_losses`.

References
----------
001 (networks, universal approximation, strict saddles, perturbed SGD); 002 and 003
(ill-conditioning, saddles, cliffs); 004, Section 4.2 (Figure 4.5).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_lib.activations import sigmoid
from course_lib.backprop import Layer, forward

MINIMUM, MAXIMUM, STRICT_SADDLE, DEGENERATE = "minimum", "maximum", "strict saddle", "degenerate"


# --------------------------------------------------------------------------- validation helpers


def _finite_array(value, name, ndim=None):
    arr = np.asarray(value, dtype=float)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains non-finite values (nan or inf); pass finite numbers.")
    return arr


def _positive_int(value, name, minimum=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def _positive(value, name, allow_zero=False):
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) \
        and np.isfinite(value) and (value >= 0 if allow_zero else value > 0)
    if not ok:
        what = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must be a {what} finite number, got {value!r}.")
    return float(value)


def _hidden(layers, layer):
    layers = list(layers)
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 1 <= layer < len(layers):
        raise ValueError(f"layer must index a hidden layer, 1 to {len(layers) - 1} for this network, got {layer!r}.")
    return layers, int(layer)


# --------------------------------------------------------------------------- representation


def random_feature_fit(x, y, width: int, activation: str = "tanh", seed: int | None = 0) -> list[Layer]:
    r"""A one-hidden-layer network :math:`f(x) = \beta^\top\sigma(wx + b) + c` fitted to samples of a 1-D function.

    The hidden units are drawn at random and only the output layer is fitted, by linear least
    squares:

    .. math::

        (\beta, c) = \arg\min_{\beta, c} \sum_i \big(\beta^\top\sigma(w x_i + b) + c - y_i\big)^2 .

    Unit :math:`j` has its centre :math:`-b_j/w_j` drawn uniformly on the range of ``x`` and
    a slope :math:`|w_j|` drawn uniformly in :math:`[0.5, 1.5] \cdot \text{width}/\text{range}`
    with a random sign, so wider networks have steeper, denser units. This is not how networks
    are trained, but it shows constructively what universal approximation promises: more units,
    smaller error (Cybenko 1989; Leshno et al. 1993).

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Sample points and values.
    width : int
        Number of hidden units :math:`m`.
    activation : str
        A name from :data:`course_lib.backprop.ACTIVATIONS`.
    seed : int or None

    Returns
    -------
    list of Layer
        ``[Layer(W (m, 1), b (m,)), Layer(beta^T (1, m), c (1,))]``, for :func:`course_lib.backprop.forward`.

    References
    ----------
    001 (one-hidden-layer networks and universal approximation).

    Examples
    --------
    >>> x = np.linspace(0.0, 1.0, 50)
    >>> layers = random_feature_fit(x, np.sin(3 * x), width=10)
    >>> out, _ = forward(layers, x[:, None])
    >>> bool(np.max(np.abs(out[:, 0] - np.sin(3 * x))) < 0.05)
    True
    """
    x = _finite_array(x, "x", ndim=1)
    y = _finite_array(y, "y", ndim=1)
    if x.shape != y.shape or x.size < 2:
        raise ValueError(f"x and y must be 1-D arrays of the same length >= 2, got shapes {x.shape} and {y.shape}.")
    width = _positive_int(width, "width")
    lo, hi = float(x.min()), float(x.max())
    if not hi > lo:
        raise ValueError("x must contain at least two distinct points.")
    rng = np.random.default_rng(seed)
    centres = rng.uniform(lo, hi, width)
    slopes = rng.uniform(0.5, 1.5, width) * width / (hi - lo) * rng.choice([-1.0, 1.0], width)
    hidden = Layer(slopes[:, None], -slopes * centres)
    features = forward([hidden, Layer(np.eye(width), np.zeros(width))], x[:, None], activation)[0]
    A = np.column_stack([features, np.ones_like(x)])
    coef, *_ = np.linalg.lstsq(A, y, rcond=1e-8)    # drop directions lost to rounding
    return [hidden, Layer(coef[None, :-1], coef[-1:])]


def tent_map_network(k: int) -> list[Layer]:
    r"""A ReLU network with ``k`` hidden layers of 2 units computing the ``k``-fold tent map on [0, 1].

    The tent map is :math:`t(x) = 2x` on :math:`[0, \tfrac12]` and :math:`2 - 2x` on
    :math:`[\tfrac12, 1]`; on :math:`[0, 1]`

    .. math::

        t(x) = 2\,\mathrm{relu}(x) - 4\,\mathrm{relu}(x - \tfrac12),

    so each layer computes :math:`(\mathrm{relu}(u), \mathrm{relu}(u - \tfrac12))` of the
    previous :math:`t`-value :math:`u`, and the composition :math:`t^{(k)} = t \circ \dots \circ t`
    uses :math:`2k` hidden units. It has :math:`2^k` linear pieces (Telgarsky 2016), while a
    one-hidden-layer ReLU network with :math:`m` units has at most :math:`m + 1` pieces on a line.

    Examples
    --------
    >>> out, _ = forward(tent_map_network(2), np.array([[0.125], [0.25], [0.5]]), "relu")
    >>> out[:, 0]
    array([0.5, 1. , 0. ])
    """
    k = _positive_int(k, "k")
    into = np.array([[1.0], [1.0]]), np.array([0.0, -0.5])       # (u, u - 1/2) from the input u = x
    tent = np.array([[2.0, -4.0]])                               # t = 2 relu(u) - 4 relu(u - 1/2)
    layers = [Layer(*into)]
    for _ in range(k - 1):                                       # next layer's (t, t - 1/2)
        layers.append(Layer(into[0] @ tent, into[1].copy()))
    layers.append(Layer(tent.copy(), np.zeros(1)))
    return layers


def count_linear_pieces(x, y, rtol: float = 1e-9) -> int:
    r"""Number of linear pieces of a piecewise-linear function sampled at sorted points ``x``.

    With the slopes :math:`s_i = (y_{i+1} - y_i)/(x_{i+1} - x_i)`, a new piece starts wherever

    .. math::

        |s_{i+1} - s_i| > \text{rtol}\cdot\max_j |s_j| .

    The count is exact when every breakpoint is one of the ``x`` (for the tent map, a dyadic
    grid :math:`x_i = i/2^n` with :math:`n \ge k`); a breakpoint strictly between two samples
    makes a short piece of its own and is counted twice.

    Examples
    --------
    >>> x = np.linspace(0.0, 1.0, 9)
    >>> count_linear_pieces(x, np.abs(x - 0.5))
    2
    """
    x = _finite_array(x, "x", ndim=1)
    y = _finite_array(y, "y", ndim=1)
    if x.shape != y.shape or x.size < 2:
        raise ValueError(f"x and y must be 1-D arrays of the same length >= 2, got shapes {x.shape} and {y.shape}.")
    if not np.all(np.diff(x) > 0):
        raise ValueError("x must be strictly increasing; sort the samples first.")
    rtol = _positive(rtol, "rtol")
    slopes = np.diff(y) / np.diff(x)
    scale = max(float(np.max(np.abs(slopes))), np.finfo(float).tiny)
    return 1 + int(np.count_nonzero(np.abs(np.diff(slopes)) > rtol * scale))


# --------------------------------------------------------------------------- weight-space symmetries


def permute_hidden(layers, perm, layer: int = 1) -> list[Layer]:
    r"""The network with the units of hidden layer ``layer`` reordered by ``perm``; it computes the same function.

    With a permutation matrix :math:`P` (:math:`(Pv)_i = v_{\pi(i)}`):

    .. math::

        W^{(l)} \to P W^{(l)}, \quad b^{(l)} \to P b^{(l)}, \quad W^{(l+1)} \to W^{(l+1)} P^\top ,

    since :math:`\sigma` acts entry by entry, :math:`\sigma(Pu) = P\sigma(u)`, and
    :math:`P^\top P = I`. A layer of :math:`m` units gives :math:`m!` such copies of every
    parameter vector.

    References
    ----------
    002 (permutation symmetry); Goodfellow, Bengio and Courville (2016), Section 8.2.2.

    Examples
    --------
    >>> from course_lib.backprop import init_mlp
    >>> net = init_mlp((2, 3, 1), seed=1)
    >>> X = np.array([[0.3, -1.0]])
    >>> bool(np.allclose(forward(permute_hidden(net, [2, 0, 1]), X)[0], forward(net, X)[0]))
    True
    """
    layers, l = _hidden(layers, layer)
    m = layers[l - 1].W.shape[0]
    perm = np.asarray(perm)
    if perm.shape != (m,) or not np.array_equal(np.sort(perm), np.arange(m)):
        raise ValueError(f"perm must be a permutation of 0..{m - 1} (hidden layer {l} has {m} units), got {perm.tolist()}.")
    out = [Layer(W.copy(), b.copy()) for W, b in layers]
    out[l - 1] = Layer(layers[l - 1].W[perm].copy(), layers[l - 1].b[perm].copy())
    out[l] = Layer(layers[l].W[:, perm].copy(), layers[l].b.copy())
    return out


def flip_signs(layers, signs, layer: int = 1) -> list[Layer]:
    r"""The network with unit :math:`j` of hidden layer ``layer`` negated where ``signs[j] = -1``.

    For an odd activation (:math:`\tanh(-u) = -\tanh(u)`) and :math:`S = \mathrm{diag}(\pm 1)`,

    .. math::

        W^{(l)} \to S W^{(l)}, \quad b^{(l)} \to S b^{(l)}, \quad W^{(l+1)} \to W^{(l+1)} S

    leaves the function unchanged: :math:`W^{(l+1)} S \tanh(S u) = W^{(l+1)} S S \tanh(u)`. With the
    permutations this gives :math:`2^m m!` equivalent parameter vectors per tanh layer.
    It is not a symmetry for the sigmoid or ReLU (they are not odd).

    Examples
    --------
    >>> from course_lib.backprop import init_mlp
    >>> net = init_mlp((2, 3, 1), seed=1)
    >>> X = np.array([[0.3, -1.0]])
    >>> bool(np.allclose(forward(flip_signs(net, [1, -1, -1]), X, "tanh")[0], forward(net, X, "tanh")[0]))
    True
    """
    layers, l = _hidden(layers, layer)
    m = layers[l - 1].W.shape[0]
    s = np.asarray(signs, dtype=float)
    if s.shape != (m,) or not np.all(np.abs(s) == 1):
        raise ValueError(f"signs must hold {m} entries, each +1 or -1 (hidden layer {l} has {m} units), got {np.asarray(signs).tolist()}.")
    out = [Layer(W.copy(), b.copy()) for W, b in layers]
    out[l - 1] = Layer(s[:, None] * layers[l - 1].W, s * layers[l - 1].b)
    out[l] = Layer(layers[l].W * s[None, :], layers[l].b.copy())
    return out


def rescale_hidden(layers, scales, layer: int = 1) -> list[Layer]:
    r"""The network with unit :math:`j` of hidden layer ``layer`` scaled by ``scales[j] > 0`` on the way in and by its inverse on the way out.

    For the ReLU, :math:`\mathrm{relu}(cu) = c\,\mathrm{relu}(u)` for :math:`c > 0`, so with
    :math:`D = \mathrm{diag}(c)`

    .. math::

        W^{(l)} \to D W^{(l)}, \quad b^{(l)} \to D b^{(l)}, \quad W^{(l+1)} \to W^{(l+1)} D^{-1}

    leaves the function unchanged: a continuum of equivalent parameter vectors, along which
    the loss is flat (every minimum lies on a curve of minima).

    Examples
    --------
    >>> from course_lib.backprop import init_mlp
    >>> net = init_mlp((2, 3, 1), seed=1)
    >>> X = np.array([[0.3, -1.0]])
    >>> bool(np.allclose(forward(rescale_hidden(net, [2.0, 0.5, 10.0]), X, "relu")[0], forward(net, X, "relu")[0]))
    True
    """
    layers, l = _hidden(layers, layer)
    m = layers[l - 1].W.shape[0]
    c = np.asarray(scales, dtype=float)
    if c.shape != (m,) or not np.all(np.isfinite(c)) or not np.all(c > 0):
        raise ValueError(f"scales must hold {m} positive finite numbers (hidden layer {l} has {m} units), got {np.asarray(scales).tolist()}.")
    out = [Layer(W.copy(), b.copy()) for W, b in layers]
    out[l - 1] = Layer(c[:, None] * layers[l - 1].W, c * layers[l - 1].b)
    out[l] = Layer(layers[l].W / c[None, :], layers[l].b.copy())
    return out


# --------------------------------------------------------------------------- critical points


def classify_critical_point(H, tol: float = 1e-8) -> str:
    r"""Classify a critical point from its (symmetric) Hessian ``H``, eigenvalues within ``tol`` of zero counting as zero.

    With :math:`\lambda_1 \ge \dots \ge \lambda_D` the eigenvalues of :math:`H`:

    - ``"minimum"``: :math:`\lambda_D > \text{tol}` (a strict local minimum);
    - ``"maximum"``: :math:`\lambda_1 < -\text{tol}` (a strict local maximum);
    - ``"strict saddle"``: :math:`\lambda_1 > \text{tol}` and :math:`\lambda_D < -\text{tol}`,
      whatever the other eigenvalues are: a saddle with a direction of negative curvature
      (the condition :math:`\lambda_{\min} \le -\gamma` of the strict-saddle property);
    - ``"degenerate"``: otherwise (some :math:`|\lambda_j| \le` tol and the rest of one sign;
      the second-order test cannot decide).

    This is :func:`course_lib.curvature.classify_stationary_point` with the saddle named as in
    the strict-saddle property.

    References
    ----------
    001 ("classification of stationary points", strict saddles); Ge et al. (2015).

    Examples
    --------
    >>> classify_critical_point(np.array([[0.0, -2.0], [-2.0, 0.0]]))   # (1 - w1 w2)^2 at the origin
    'strict saddle'
    >>> classify_critical_point(np.diag([3.0, -1.0, 0.0]))
    'strict saddle'
    >>> classify_critical_point(np.diag([3.0, 0.0]))
    'degenerate'
    """
    from course_lib.curvature import classify_stationary_point

    verdict = classify_stationary_point(H, tol)
    return {"saddle": STRICT_SADDLE, "inconclusive": DEGENERATE}.get(verdict, verdict)


def fraction_positive_definite(dim: int, num_samples: int = 10000, seed: int | None = 0) -> float:
    r"""Fraction of random symmetric ``dim`` x ``dim`` matrices (Gaussian orthogonal ensemble) that are positive definite.

    The matrices are :math:`A = (G + G^\top)/2` with independent standard normal entries
    :math:`G_{ij}`, so diagonal entries are :math:`\mathcal N(0, 1)` and off-diagonal ones
    :math:`\mathcal N(0, \tfrac12)`. The fraction is 1/2 for ``dim = 1``,
    :math:`(2 - \sqrt2)/4 \approx 0.146` for ``dim = 2``, and falls like
    :math:`e^{-\theta D^2}` with :math:`\theta = \ln 3 / 4` (Dean and Majumdar, 2006): if the Hessian at a
    critical point were such a matrix, almost every critical point in high dimension would be a
    saddle (the heuristic of source 003 and Dauphin et al. 2014).

    Examples
    --------
    >>> abs(fraction_positive_definite(1, 4000, seed=0) - 0.5) < 0.03    # about one half
    True
    """
    dim = _positive_int(dim, "dim")
    num_samples = _positive_int(num_samples, "num_samples")
    rng = np.random.default_rng(seed)
    count, done = 0, 0
    chunk = max(1, 2_000_000 // (dim * dim))
    while done < num_samples:
        n = min(chunk, num_samples - done)
        G = rng.standard_normal((n, dim, dim))
        lam_min = np.linalg.eigvalsh(0.5 * (G + np.swapaxes(G, 1, 2)))[:, 0]
        count += int(np.count_nonzero(lam_min > 0))
        done += n
    return count / num_samples


class PerturbedRun(NamedTuple):
    """Iterates of :func:`perturbed_gd` (``path[0]`` is the start) and the steps at which a kick was added."""

    path: np.ndarray
    kicks: list


def perturbed_gd(grad, x0, learning_rate: float, num_steps: int, radius: float,
                 grad_threshold: float, wait: int = 10, seed: int | None = 0) -> PerturbedRun:
    r"""Perturbed gradient descent (Jin et al. 2017): a random kick only where the gradient is small.

    At step :math:`t`, if :math:`\|g(\theta_t)\| \le` ``grad_threshold`` and no kick was added
    in the last ``wait`` steps, :math:`\theta_t` is first moved by :math:`\xi_t` drawn uniformly
    from the ball :math:`\{\|\xi\| \le r\}`; then

    .. math::

        \theta_{t+1} = \tilde\theta_t - \eta\, g(\tilde\theta_t), \qquad
        \tilde\theta_t = \theta_t + \xi_t \ (\text{or } \theta_t \text{ without a kick}).

    Away from critical points it is plain gradient descent; near a strict saddle the kick gives
    the iterate a component along the negative-curvature direction, which the following steps
    amplify by :math:`1 + \eta|\lambda_D|` each. (Source 001's perturbed SGD, in
    :func:`course_lib.stochastic.perturbed_gradient_descent`, adds a kick of length :math:`r`
    at every step instead.)

    Parameters
    ----------
    grad : callable
        :math:`\theta \mapsto g(\theta)`.
    x0 : array_like
    learning_rate : float
        :math:`\eta > 0`.
    num_steps : int
    radius : float
        :math:`r \ge 0` (0 gives gradient descent).
    grad_threshold : float
        Kick when :math:`\|g\|` is at most this (non-negative).
    wait : int
        Minimum number of steps between two kicks (at least 1).
    seed : int or None

    References
    ----------
    C. Jin, R. Ge, P. Netrapalli, S. Kakade and M. Jordan (2017), Algorithm 2; 001 (perturbed SGD).

    Examples
    --------
    >>> run = perturbed_gd(lambda w: np.array([2 * w[0], -2 * w[1]]), [1.0, 0.0], 0.1, 60,
    ...                    radius=1e-3, grad_threshold=1e-2, seed=0)
    >>> run.kicks, bool(abs(run.path[-1, 1]) > 0.1)     # kicked near the saddle of x^2 - y^2, then left it
    ([24, 35], True)
    """
    x = _finite_array(x0, "x0").reshape(-1).copy()
    eta = _positive(learning_rate, "learning_rate")
    num_steps = _positive_int(num_steps, "num_steps", minimum=0)
    r = _positive(radius, "radius", allow_zero=True)
    threshold = _positive(grad_threshold, "grad_threshold", allow_zero=True)
    wait = _positive_int(wait, "wait")
    rng = np.random.default_rng(seed)
    path, kicks, last = [x.copy()], [], -wait - 1
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(num_steps):
            g = np.asarray(grad(x), dtype=float)
            if r > 0 and np.linalg.norm(g) <= threshold and t - last > wait:
                direction = rng.standard_normal(x.shape)
                direction /= np.linalg.norm(direction)
                x = x + r * rng.uniform() ** (1.0 / x.size) * direction     # uniform in the ball
                kicks.append(t)
                last = t
                g = np.asarray(grad(x), dtype=float)
            x = x - eta * g
            if not np.all(np.isfinite(x)):
                break
            path.append(x.copy())
    return PerturbedRun(np.array(path), kicks)


# --------------------------------------------------------------------------- ill-conditioning


def second_order_terms(grad, theta, learning_rate: float, eps: float = 1e-5) -> tuple[float, float]:
    r"""The first- and second-order terms of the change of :math:`C` over a gradient step.

    Along :math:`\theta - \eta g` the second-order Taylor model gives

    .. math::

        C(\theta - \eta g) \approx C(\theta) - \eta\, g^\top g + \frac{\eta^2}{2}\, g^\top H g ,

    so the step increases the model when :math:`\tfrac{\eta^2}{2} g^\top H g > \eta\, g^\top g`.
    Returns ``(eta * g @ g, eta**2 / 2 * g @ H @ g)``; :math:`Hg` is the central difference
    :math:`(g(\theta + \epsilon u) - g(\theta - \epsilon u))/(2\epsilon)\,\|g\|` with :math:`u = g/\|g\|`
    (two gradient evaluations; exact for a quadratic).

    References
    ----------
    003 ("Ill-conditioning"); Goodfellow, Bengio and Courville (2016), Section 8.2.1.

    Examples
    --------
    >>> H = np.diag([10.0, 1.0])
    >>> first, second = second_order_terms(lambda t: H @ t, np.array([1.0, 1.0]), 0.25)
    >>> first, round(second, 8)                  # 0.25 * 101 and 0.25^2 / 2 * 1001
    (25.25, 31.28125)
    """
    theta = _finite_array(theta, "theta").reshape(-1)
    eta = _positive(learning_rate, "learning_rate")
    eps = _positive(eps, "eps")
    g = np.asarray(grad(theta), dtype=float).reshape(-1)
    norm = float(np.linalg.norm(g))
    if norm == 0.0:
        return 0.0, 0.0
    u = g / norm
    Hg = (np.asarray(grad(theta + eps * u), dtype=float).reshape(-1)
          - np.asarray(grad(theta - eps * u), dtype=float).reshape(-1)) / (2 * eps) * norm
    return float(eta * (g @ g)), float(0.5 * eta**2 * (g @ Hg))


# --------------------------------------------------------------------------- source 004, Figure 4.5


def sigmoid_chain_losses(w1, w2, x, y) -> tuple[np.ndarray, np.ndarray]:
    r"""Squared and binary cross-entropy losses of 004's two-parameter network :math:`\hat y = \sigma(w_2\,\sigma(w_1 x))`.

    For labels :math:`y_i \in \{0, 1\}` and :math:`z_i = w_2\sigma(w_1 x_i)`:

    .. math::

        C_{\rm sq} = \frac1n\sum_i \big(y_i - \sigma(z_i)\big)^2, \qquad
        C_{\rm CE} = \frac1n\sum_i \big(\log(1 + e^{z_i}) - y_i z_i\big),

    the second being :math:`-\frac1n\sum_i [y_i\log\hat y_i + (1 - y_i)\log(1 - \hat y_i)]`
    written without the cancellation of :math:`\log(1 - \hat y)`. ``w1`` and ``w2`` may be
    arrays of the same shape (a grid); the losses have that shape.

    References
    ----------
    004, Section 4.2, Figure 4.5.

    Examples
    --------
    >>> sq, ce = sigmoid_chain_losses(0.0, 0.0, np.array([1.0, -1.0]), np.array([1, 0]))
    >>> float(sq), round(float(ce), 6)          # y_hat = 1/2 everywhere: (1/2)^2 and log 2
    (0.25, 0.693147)
    """
    w1 = _finite_array(w1, "w1")
    w2 = _finite_array(w2, "w2")
    if w1.shape != w2.shape:
        raise ValueError(f"w1 and w2 must have the same shape, got {w1.shape} and {w2.shape}.")
    x = _finite_array(x, "x", ndim=1)
    y = _finite_array(y, "y", ndim=1)
    if x.shape != y.shape or x.size == 0:
        raise ValueError(f"x and y must be non-empty 1-D arrays of the same length, got {x.shape} and {y.shape}.")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold labels 0 or 1.")
    z = w2[..., None] * sigmoid(w1[..., None] * x)
    squared = np.mean((y - sigmoid(z)) ** 2, axis=-1)
    cross_entropy = np.mean(np.logaddexp(0.0, z) - y * z, axis=-1)
    return squared, cross_entropy
