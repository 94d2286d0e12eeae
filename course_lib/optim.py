r"""First-order optimizers as pairs of pure functions, and the loop that runs them.

An optimizer is a :class:`GradientTransformation` (the design of optax): ``init(params)``
returns a small state ``NamedTuple``; ``update(grads, state, params)`` returns
``(updates, new_state)`` and mutates nothing. The caller applies ``params + updates``.
:func:`run` does exactly that and returns the trajectory that figures and widgets draw;
:func:`run_many` runs one method at a grid of learning rates (and starts) in one loop.

Sign convention: ``updates`` are what is *added* to the parameters, so gradient descent
returns :math:`-\eta g`. A learning rate may be a number or a schedule, a function of the step
count (0 for the first step).

Methods: :func:`gradient_descent`, :func:`momentum` (heavy ball, optionally Nesterov),
:func:`adagrad`, :func:`rmsprop`, :func:`adam` (and :func:`nadam`), :func:`adamax`,
:func:`adadelta`; :func:`scheduled_momentum` (heavy ball with a momentum schedule) and
:func:`delta_bar_delta` (per-parameter rates, chapter 11).
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from course_lib import checks


class GradientTransformation(NamedTuple):
    """An optimizer: ``init(params) -> state`` and ``update(grads, state, params) -> (updates, state)``."""

    init: Callable
    update: Callable


class StepCount(NamedTuple):
    """State of a stateless method: only the number of updates made so far."""

    count: int


def gradient_descent(learning_rate) -> GradientTransformation:
    r"""Plain gradient descent, :math:`\theta_{k+1} = \theta_k - \eta_k \nabla C(\theta_k)`.

    ``learning_rate`` is a number or a schedule ``step -> rate`` (see :mod:`course_lib.schedules`).

    References
    ----------
    000, eq. (2.4); 004, Section 4.2.

    Examples
    --------
    >>> opt = gradient_descent(0.1)
    >>> updates, state = opt.update(np.array([1.0, -2.0]), opt.init(np.zeros(2)))
    >>> updates
    array([-0.1,  0.2])
    """
    rate = _rate(learning_rate)

    def init(params):
        return StepCount(count=0)

    def update(grads, state, params=None):
        return -rate(state.count) * _grads(grads, None, params), StepCount(state.count + 1)

    return GradientTransformation(init, update)


def _rate(learning_rate):
    """A learning rate is a positive number or a schedule ``step -> rate`` (step counts from 0);
    a schedule's values are checked as they are used (finite, >= 0). :func:`run_many` passes
    :class:`_PerRow` rates (one per row of its parameters), checked there."""
    if isinstance(learning_rate, _PerRow):
        return lambda step: learning_rate.column
    return checks.schedule("learning_rate", learning_rate)


class _PerRow:
    """Constant learning rates, one per row of a batch of parameter vectors (:func:`run_many`):
    a column, so that ``rate * g`` scales row ``i`` of ``g`` by rate ``i``, with the same
    arithmetic as a scalar rate applied to that row alone. :func:`run_many` drops the rows of
    runs that have ended."""

    __slots__ = ("column",)

    def __init__(self, column: np.ndarray):
        self.column = column


def _grads(grads, like, params=None):
    """The gradient passed to ``update``: finite, shaped like the state's arrays (``like``) or,
    for a method without arrays in its state, like ``params`` when given. No broadcasting."""
    g = np.asarray(grads, dtype=float)
    shape = like.shape if like is not None else None if params is None else np.shape(params)
    if (shape is None or g.shape == shape) and checks.finite(g):
        return g                                   # the common case, checked in about a microsecond
    if like is not None:
        return checks.matching("grads", grads, "the optimizer state (from init(params))", like.shape)
    if params is not None:
        return checks.matching("grads", grads, "params", np.shape(params))
    return checks.array("grads", grads)


def _ratio(num, den):
    """``num / den`` with 0 where ``den`` is 0: the limit eps -> 0+ of ``num / (den + eps)`` when
    ``num`` is 0 wherever ``den`` is (every past gradient of that coordinate was 0)."""
    if np.all(den > 0):
        return num / den
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def _zeros_init(state_cls, arrays: int):
    """``init`` for a state holding ``arrays`` zero arrays shaped like the parameters, then a count."""

    def init(params):
        z = np.zeros_like(checks.array("params", params))
        return state_cls(*(z.copy() for _ in range(arrays)), 0)

    return init


def _check_moments(b1, b2, eps):
    checks.unit_interval("b1", b1)
    checks.unit_interval("b2", b2)
    checks.real("eps", eps, nonnegative=True)


class MomentumState(NamedTuple):
    """Velocity (the last update) and step count."""

    velocity: np.ndarray
    count: int


class MomentumBufferState(NamedTuple):
    """PyTorch's undamped momentum buffer :math:`b_t` (a sum of gradients) and step count."""

    buffer: np.ndarray
    count: int


def momentum(learning_rate, momentum: float = 0.9, nesterov: bool = False,
             lr_inside: bool = True) -> GradientTransformation:
    r"""Heavy-ball momentum in velocity form, optionally Nesterov's.

    .. math::

        v_{t+1} = \mu v_t - \eta_t g_t, \qquad \theta_{t+1} = \theta_t + v_{t+1}, \qquad v_0 = 0,

    with :math:`g_t = \nabla C(\theta_t)` (source 000, eq. 2.7). For a **constant** rate
    :math:`\eta` the other conventions give the same iterates after a change of parameters:

    - exponential average (004, eqs. 4.16-4.17), :math:`u_{t+1} = \beta u_t + (1-\beta) g_t`,
      :math:`\theta_{t+1} = \theta_t - \alpha u_{t+1}`: take :math:`\mu = \beta`,
      :math:`\eta = \alpha (1 - \beta)` (then :math:`v_t = -\alpha u_t`);
    - PyTorch's ``SGD(momentum=m)``, :math:`b_{t+1} = m b_t + g_t`,
      :math:`\theta_{t+1} = \theta_t - \eta b_{t+1}`: take :math:`\mu = m` (then :math:`v_t = -\eta b_t`).

    **With a schedule the forms differ.** The rate :math:`\eta_t` sits *inside* the velocity
    here and *outside* the buffer in PyTorch. Unrolled from zero,

    .. math::

        \text{inside:}\quad v_{t+1} = -\sum_{k=0}^{t} \mu^{t-k}\, \eta_k\, g_k, \qquad
        \text{outside:}\quad \theta_{t+1} - \theta_t = -\eta_t \sum_{k=0}^{t} \mu^{t-k} g_k :

    inside, each gradient keeps the rate of the step at which it arrived; outside, every past
    gradient is rescaled by today's rate. The outside form is the inside form with the momentum
    :math:`\mu\,\eta_t/\eta_{t-1}` at step :math:`t` (for an exponential decay
    :math:`\eta_t = \eta r^t`, the constant momentum :math:`\mu r`). ``lr_inside=False`` selects
    PyTorch's form (its ``SGD(lr=schedule, momentum=mu)`` with ``dampening=0``): the state then
    holds the buffer :math:`b_t` and the update is :math:`-\eta_t b_{t+1}`.

    With ``nesterov=True`` the gradient is taken at the look-ahead point
    :math:`\theta_t + \mu v_t`. Written in the look-ahead variable
    :math:`\phi_t = \theta_t + \mu v_t`, which is what this transformation iterates, that is

    .. math::

        v_{t+1} = \mu v_t - \eta_t \nabla C(\phi_t), \qquad
        \phi_{t+1} = \phi_t + \mu v_{t+1} - \eta_t \nabla C(\phi_t),

    so only gradients at the iterates are needed (the form optax and PyTorch use). With
    ``lr_inside=False`` the Nesterov update is PyTorch's, :math:`-\eta_t (g_t + \mu b_{t+1})`.

    Parameters
    ----------
    learning_rate : float or callable
        :math:`\eta`, or a schedule ``step -> rate`` (see :mod:`course_lib.schedules`).
    momentum : float
        :math:`\mu \in [0, 1)`.
    nesterov : bool
        Nesterov's look-ahead gradient.
    lr_inside : bool
        ``True`` (default): the rate multiplies each gradient as it enters the velocity.
        ``False``: the rate multiplies the whole buffer at every step (PyTorch). The two agree
        for a constant rate.

    References
    ----------
    000, eq. (2.7); 004, eqs. (4.16)-(4.17) and (4.33)-(4.37); Sutskever et al. (2013);
    PyTorch documentation of ``torch.optim.SGD``.

    Examples
    --------
    >>> opt = momentum(0.1, 0.5)
    >>> state = opt.init(np.zeros(1))
    >>> u1, state = opt.update(np.array([1.0]), state)
    >>> u2, state = opt.update(np.array([1.0]), state)
    >>> float(u1[0]), float(u2[0])
    (-0.1, -0.15000000000000002)

    A rate halved at the second step: inside, the first gradient keeps its rate 1; outside, it
    is rescaled to 0.5.

    >>> halve = lambda t: 1.0 if t == 0 else 0.5
    >>> for inside in (True, False):
    ...     opt = momentum(halve, 0.5, lr_inside=inside)
    ...     u1, state = opt.update(np.array([1.0]), opt.init(np.zeros(1)))
    ...     u2, state = opt.update(np.array([1.0]), state)
    ...     print(float(u2[0]))
    -1.0
    -0.75
    """
    rate = _rate(learning_rate)
    checks.unit_interval("momentum", momentum)
    if not isinstance(lr_inside, (bool, np.bool_)):
        raise TypeError(f"Invalid lr_inside: {lr_inside!r} (expected True or False).")

    if not lr_inside:
        def init_buffer(params):
            return MomentumBufferState(np.zeros_like(np.asarray(params, dtype=float)), 0)

        def update_buffer(grads, state, params=None):
            g = _grads(grads, state.buffer)
            eta = rate(state.count)
            b = momentum * state.buffer + g
            step = -eta * (g + momentum * b) if nesterov else -eta * b
            return step, MomentumBufferState(b, state.count + 1)

        return GradientTransformation(init_buffer, update_buffer)

    init = _zeros_init(MomentumState, 1)

    def update(grads, state, params=None):
        g = _grads(grads, state.velocity)
        eta = rate(state.count)
        v = momentum * state.velocity - eta * g
        step = momentum * v - eta * g if nesterov else v
        return step, MomentumState(v, state.count + 1)

    return GradientTransformation(init, update)


class AccumulatorState(NamedTuple):
    """Running sum or average of squared gradients, and step count."""

    sum_sq: np.ndarray
    count: int


def adagrad(learning_rate, eps: float = 1e-8) -> GradientTransformation:
    r"""AdaGrad: per-coordinate steps scaled by the root of the summed squared gradients.

    .. math::

        G_t = G_{t-1} + g_t \odot g_t, \qquad
        \theta_{t+1} = \theta_t - \eta_t \, \frac{g_t}{\sqrt{G_t} + \epsilon} \quad (G_0 = 0).

    References
    ----------
    001 (the AdaGrad slide); 004, Section 4.3; Duchi, Hazan and Singer (2011).
    """
    rate = _rate(learning_rate)
    checks.real("eps", eps, nonnegative=True)
    divide = np.divide if eps > 0 else _ratio       # eps = 0: the limit eps -> 0+

    init = _zeros_init(AccumulatorState, 1)

    def update(grads, state, params=None):
        g = _grads(grads, state.sum_sq)
        G = state.sum_sq + g * g
        return -rate(state.count) * divide(g, np.sqrt(G) + eps), AccumulatorState(G, state.count + 1)

    return GradientTransformation(init, update)


def rmsprop(learning_rate, decay: float = 0.9, eps: float = 1e-8, eps_inside: bool = False) -> GradientTransformation:
    r"""RMSProp: steps scaled by the root of an exponential average of squared gradients.

    .. math::

        s_t = \rho s_{t-1} + (1 - \rho)\, g_t \odot g_t, \qquad
        \theta_{t+1} = \theta_t - \eta_t \frac{g_t}{\sqrt{s_t} + \epsilon}
        \quad\text{or, with } ``eps\_inside``,\quad
        \theta_{t+1} = \theta_t - \eta_t \frac{g_t}{\sqrt{s_t + \epsilon}} .

    Source 000 (eq. 2.8) puts :math:`\delta` inside the root, 004 and PyTorch outside; the two
    differ only while :math:`s_t` is comparable to :math:`\epsilon` (or :math:`\epsilon^2`).
    PyTorch's ``RMSprop(alpha=rho, eps=eps)`` (no momentum, not centred) is this method with
    ``eps_inside=False``; the ``eps_inside=True`` form has no PyTorch counterpart. Since
    :math:`\sqrt{s+\epsilon} \le \sqrt s + \sqrt\epsilon \le \sqrt 2\,\sqrt{s+\epsilon}`, it is
    approximated by the outside form with :math:`\sqrt\epsilon`, whose steps are between
    :math:`1/\sqrt 2` and 1 times as long.

    References
    ----------
    000, eq. (2.8); 001; 004, Section 4.3; Hinton's 2012 lecture notes.
    """
    rate = _rate(learning_rate)
    checks.unit_interval("decay", decay)
    checks.real("eps", eps, nonnegative=True)
    divide = np.divide if eps > 0 else _ratio       # eps = 0: the limit eps -> 0+

    init = _zeros_init(AccumulatorState, 1)

    def update(grads, state, params=None):
        g = _grads(grads, state.sum_sq)
        s = decay * state.sum_sq + (1 - decay) * g * g
        denom = np.sqrt(s + eps) if eps_inside else np.sqrt(s) + eps
        return -rate(state.count) * divide(g, denom), AccumulatorState(s, state.count + 1)

    return GradientTransformation(init, update)


class AdamState(NamedTuple):
    """First and second moment estimates (biased), and step count."""

    mu: np.ndarray
    nu: np.ndarray
    count: int


def adam(learning_rate=1e-3, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8,
         nesterov: bool = False) -> GradientTransformation:
    r"""Adam, with bias correction; ``nesterov=True`` gives Nadam.

    .. math::

        m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t \odot g_t,
        \quad \hat m_t = \frac{m_t}{1-\beta_1^t}, \quad \hat v_t = \frac{v_t}{1-\beta_2^t},

        \theta_{t+1} = \theta_t - \eta_t \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}
        \qquad (t = 1, 2, \dots;\ m_0 = v_0 = 0).

    The bias correction makes :math:`\hat m_t` an unbiased average when the gradients are
    stationary, so the first step has length :math:`\eta` in every coordinate with
    :math:`g \ne 0` (up to :math:`\epsilon`). Nadam replaces :math:`\hat m_t` by the look-ahead
    :math:`\beta_1 m_t / (1-\beta_1^{t+1}) + (1-\beta_1) g_t / (1-\beta_1^t)` (Dozat 2016, as in optax).

    PyTorch's ``NAdam`` replaces the constant :math:`\beta_1` of the look-ahead by Dozat's
    schedule :math:`\mu_t = \beta_1 (1 - \tfrac12\, 0.96^{t\psi})` (``momentum_decay``
    :math:`\psi = 0.004`), with products :math:`\prod_{i \le t} \mu_i` in the corrections:
    :math:`\hat m_t = \mu_{t+1} m_t/(1-\prod_{i\le t+1}\mu_i) + (1-\mu_t) g_t/(1-\prod_{i\le t}\mu_i)`.
    Its :math:`\mu_t` starts near :math:`\beta_1/2` and reaches :math:`\beta_1` only for
    :math:`t\psi \gg 1`; the two methods coincide in the limit :math:`\psi \to \infty`,
    not :math:`\psi \to 0` (which gives :math:`\mu_t = \beta_1/2`).

    References
    ----------
    000, Section 2.3; 001; 004, Algorithm 4.2; Kingma and Ba (2015); Dozat (2016).

    Examples
    --------
    >>> opt = adam(0.1)
    >>> step, _ = opt.update(np.array([3.0, -1e-3]), opt.init(np.zeros(2)))
    >>> step.round(6)
    array([-0.1     ,  0.099999])
    """
    rate = _rate(learning_rate)
    _check_moments(b1, b2, eps)
    divide = np.divide if eps > 0 else _ratio       # eps = 0: the limit eps -> 0+

    init = _zeros_init(AdamState, 2)

    def update(grads, state, params=None):
        g = _grads(grads, state.mu)
        t = state.count + 1
        mu = b1 * state.mu + (1 - b1) * g
        nu = b2 * state.nu + (1 - b2) * g * g
        if nesterov:
            mu_hat = b1 * mu / (1 - b1 ** (t + 1)) + (1 - b1) * g / (1 - b1**t)
        else:
            mu_hat = mu / (1 - b1**t)
        nu_hat = nu / (1 - b2**t)
        return -rate(state.count) * divide(mu_hat, np.sqrt(nu_hat) + eps), AdamState(mu, nu, t)

    return GradientTransformation(init, update)


def nadam(learning_rate=1e-3, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> GradientTransformation:
    """Nadam: :func:`adam` with ``nesterov=True``."""
    return adam(learning_rate, b1, b2, eps, nesterov=True)


def adamax(learning_rate=2e-3, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> GradientTransformation:
    r"""Adamax: Adam with the infinity norm in place of the root mean square.

    .. math::

        m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad u_t = \max(\beta_2 u_{t-1}, |g_t|),
        \qquad \theta_{t+1} = \theta_t - \frac{\eta_t}{1 - \beta_1^t} \frac{m_t}{u_t + \epsilon}.

    PyTorch's ``Adamax`` puts :math:`\epsilon` inside the maximum,
    :math:`u'_t = \max(\beta_2 u'_{t-1}, |g_t| + \epsilon)`, and divides by :math:`u'_t`. For
    :math:`\epsilon = 0` the two are identical; otherwise
    :math:`0 \le (u_t + \epsilon) - u'_t \le (1-\beta_2^{t-1})\,\epsilon`, so the denominators
    differ by less than :math:`\epsilon`.

    References
    ----------
    004, Section 4.5; Kingma and Ba (2015), Section 7.1.
    """
    rate = _rate(learning_rate)
    _check_moments(b1, b2, eps)
    divide = np.divide if eps > 0 else _ratio       # eps = 0: the limit eps -> 0+

    init = _zeros_init(AdamState, 2)

    def update(grads, state, params=None):
        g = _grads(grads, state.mu)
        t = state.count + 1
        mu = b1 * state.mu + (1 - b1) * g
        u = np.maximum(b2 * state.nu, np.abs(g))
        return -rate(state.count) / (1 - b1**t) * divide(mu, u + eps), AdamState(mu, u, t)

    return GradientTransformation(init, update)


class AdadeltaState(NamedTuple):
    """Averages of squared gradients and of squared updates, and step count."""

    avg_sq_grad: np.ndarray
    avg_sq_step: np.ndarray
    count: int


def adadelta(learning_rate=1.0, rho: float = 0.95, eps: float = 1e-6) -> GradientTransformation:
    r"""Adadelta: the step's units come from a running average of past squared steps.

    .. math::

        E[g^2]_t = \rho E[g^2]_{t-1} + (1-\rho) g_t^2, \qquad
        \Delta_t = -\frac{\sqrt{E[\Delta^2]_{t-1} + \epsilon}}{\sqrt{E[g^2]_t + \epsilon}}\, g_t,

        E[\Delta^2]_t = \rho E[\Delta^2]_{t-1} + (1-\rho) \Delta_t^2, \qquad
        \theta_{t+1} = \theta_t + \eta_t \Delta_t \quad (\eta = 1 \text{ in Zeiler's paper}).

    References
    ----------
    004, Section 4.5; Zeiler (2012).
    """
    rate = _rate(learning_rate)
    checks.unit_interval("rho", rho)
    checks.real("eps", eps, positive=True, hint=" (with eps = 0 Adadelta never moves: its first step is 0)")

    init = _zeros_init(AdadeltaState, 2)

    def update(grads, state, params=None):
        g = _grads(grads, state.avg_sq_grad)
        eg = rho * state.avg_sq_grad + (1 - rho) * g * g
        delta = -np.sqrt(state.avg_sq_step + eps) / np.sqrt(eg + eps) * g
        ed = rho * state.avg_sq_step + (1 - rho) * delta * delta
        return rate(state.count) * delta, AdadeltaState(eg, ed, state.count + 1)

    return GradientTransformation(init, update)


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
        value = checks.real("momentum_schedule", momentum_schedule)
        if not 0 <= value < 1:
            raise ValueError(f"Invalid momentum_schedule: {value} (a momentum must be in [0, 1)).")
        mu = lambda t: value

    def init(params):
        return ScheduledMomentumState(np.zeros_like(checks.array("params", params)), 0)

    def update(grads, state, params=None):
        m = float(mu(state.count))
        if not 0 <= m < 1:
            raise ValueError(f"momentum_schedule gave {m} at step {state.count}; a momentum must be in [0, 1).")
        v = m * state.velocity - rate(state.count) * _grads(grads, state.velocity)
        return v, ScheduledMomentumState(v, state.count + 1)

    return GradientTransformation(init, update)


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
    eps0 = checks.real("initial_rate", initial_rate, positive=True)
    kappa = checks.real("increase", increase)
    if kappa < 0:
        raise ValueError(f"Invalid increase: {kappa} (it must be >= 0).")
    phi = checks.real("decrease", decrease)
    if not 0 <= phi < 1:
        raise ValueError(f"Invalid decrease: {phi} (a fraction in [0, 1)).")
    xi = checks.real("smoothing", smoothing)
    if not 0 <= xi < 1:
        raise ValueError(f"Invalid smoothing: {xi} (it must be in [0, 1)).")

    def init(params):
        p = checks.array("params", params)
        return DeltaBarDeltaState(np.full(p.shape, eps0), np.zeros(p.shape), 0)

    def update(grads, state, params=None):
        g = _grads(grads, state.rates)
        agree = state.avg_grad * g
        rates = np.where(agree > 0, state.rates + kappa,
                         np.where(agree < 0, (1 - phi) * state.rates, state.rates))
        avg = (1 - xi) * g + xi * state.avg_grad
        return -rates * g, DeltaBarDeltaState(rates, avg, state.count + 1)

    return GradientTransformation(init, update)


def run(optimizer: GradientTransformation, grad_fn, x0, num_steps: int) -> np.ndarray:
    """Apply ``optimizer`` for ``num_steps`` steps from ``x0`` and return the trajectory.

    Returns
    -------
    ndarray, shape (n + 1, d)
        Row ``k`` is the ``k``-th iterate, ``x0`` first. ``n`` is ``num_steps`` unless the run
        diverges: when an iterate overflows, or the gradient overflows at an iterate more than
        :data:`ESCAPED` times farther from 0 than ``x0`` (at least 1), the trajectory ends at the
        last finite iterate, so a plot of a divergent run shows how it escaped.

    Raises
    ------
    ValueError
        If ``x0`` is not finite, ``num_steps`` is not a non-negative integer, or ``grad_fn``
        returns a gradient of another shape than ``x0``, or a non-finite one near the start
        (a bug in ``grad_fn``, not a divergence): the message gives the step and the iterate.

    Examples
    --------
    >>> run(gradient_descent(0.5), lambda x: 2 * x, [1.0], 2)[:, 0]
    array([1., 0., 0.])
    >>> run(gradient_descent(0.5), lambda x: 1 / (x - 1), [1.0], 3)
    Traceback (most recent call last):
    ...
    ValueError: grad_fn returned a non-finite value at step 0 (x = [1.]): entry 0 is inf. ...
    """
    params = checks.array("x0", x0, atleast_1d=True).copy()
    num_steps = checks.integer("num_steps", num_steps)
    escaped = ESCAPED * max(1.0, float(np.abs(params).max(initial=0.0)))
    state = optimizer.init(params)
    trajectory = [params]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for k in range(num_steps):
            g = np.asarray(grad_fn(params), dtype=float)
            if g.shape != params.shape:
                checks.returned("grad_fn", g, at=f"step {k} (x = {checks.point(params)})", shape=params.shape)
            try:
                updates, state = optimizer.update(g, state, params)   # checks g (course_lib's optimizers)
            except ValueError:
                if checks.finite(g):
                    raise
                updates = None
            new = None if updates is None else params + updates
            if new is None or not checks.finite(new):
                if not checks.finite(g) and np.abs(params).max() <= escaped:
                    checks.returned("grad_fn", g, at=f"step {k} (x = {checks.point(params)})")
                break                           # diverged: the iterate or the gradient overflowed
            params = new
            trajectory.append(params)
    return np.array(trajectory)


def run_many(make, learning_rates, grad_many, x0, num_steps: int) -> list[np.ndarray]:
    r"""Run one method at several constant learning rates (and starts) at once.

    The result is ``[run(make(lr), grad, x0_i, num_steps) for lr, x0_i in ...]``, where
    ``grad(x) = grad_many(x[None])[0]``: one trajectory per learning rate, each ending where
    :func:`run` would end it (at the last finite iterate of a divergent run). The runs share one
    loop. Every step evaluates ``grad_many`` at the current iterates of the runs still going, and
    makes one update for all of them. A parameter sweep then costs about one run's Python overhead
    instead of one per rate: the optimizers of this module are elementwise, so row ``i`` of the
    batch gets exactly the arithmetic that rate ``i`` gets alone. Rows match :func:`run` bit for
    bit when ``grad_many`` computes each row as the single gradient does (e.g. elementwise
    formulas). A matrix product over the batch may round differently from one over a single
    vector, so the last bits can differ.

    Parameters
    ----------
    make : callable ``learning_rate -> GradientTransformation``
        An optimizer of this module given the learning rate as it is, e.g. ``adam`` or
        ``lambda lr: momentum(lr, 0.9)``; ``make`` must pass the rate on unchanged (it receives
        the whole column of rates, not a number).
    learning_rates : sequence of float, shape (k,)
        Positive, finite constant rates, one per run.
    grad_many : callable, ``(m, d) -> (m, d)``
        Gradients at ``m`` points at once, one per row (``m <= k``: the runs still going).
    x0 : array_like, shape (d,) or (k, d)
        One start for every run, or one per run.
    num_steps : int

    Returns
    -------
    list of ndarray
        ``k`` trajectories, as :func:`run` returns them: shape ``(n_i + 1, d)``.

    Raises
    ------
    ValueError
        For invalid rates, starts or step counts, a gradient of another shape, or one that is
        not finite near the start (as :func:`run` reports it, naming the run's rate).

    Examples
    --------
    >>> paths = run_many(gradient_descent, [0.25, 0.5, 1.5], lambda P: 2 * P, [1.0], 2)
    >>> [p[:, 0].tolist() for p in paths]
    [[1.0, 0.5, 0.25], [1.0, 0.0, 0.0], [1.0, -2.0, 4.0]]
    """
    rates = checks.array("learning_rates", learning_rates, atleast_1d=True)
    if rates.ndim != 1 or not np.all(rates > 0):
        raise ValueError(f"Invalid learning_rates: {checks.point(rates)}; give a 1-D sequence of positive, "
                         "finite rates (one per run).")
    k = len(rates)
    start = checks.array("x0", x0, atleast_1d=True)
    if start.ndim == 1:
        start = np.tile(start, (k, 1))
    if start.ndim != 2 or start.shape[0] != k:
        raise ValueError(f"Invalid x0: shape {np.shape(x0)}; give one start of shape (d,) or one per rate, "
                         f"shape ({k}, d).")
    num_steps = checks.integer("num_steps", num_steps)
    escaped = ESCAPED * np.maximum(1.0, np.abs(start).max(axis=1, initial=0.0))
    rows = np.arange(k)                     # the runs still going: the rows of params and state
    per_row = _PerRow(rates[:, None])
    optimizer = make(per_row)
    params = start.copy()
    state = optimizer.init(params)
    steps = np.empty((num_steps + 1, k, start.shape[1]))
    steps[0] = params
    length = np.full(k, num_steps + 1)     # iterates of each run, lowered when a run ends early
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(num_steps):
            g = np.asarray(grad_many(params), dtype=float)
            if g.shape != params.shape:
                checks.returned("grad_many", g, at=f"step {step}, for {len(rows)} points (one per row)",
                                shape=params.shape)
            stop = None
            if not checks.finite(g):      # as in run: a bug near the start, the overflow of a divergent run far away
                stop = ~np.isfinite(g).all(axis=1)
                for j in np.flatnonzero(stop):
                    if np.abs(params[j]).max() <= escaped[j]:
                        checks.returned("grad_many", g[j], at=f"step {step} of the run with learning rate "
                                        f"{rates[rows[j]]:g} (x = {checks.point(params[j])})")
                g = np.where(stop[:, None], 0.0, g)
            updates, state = optimizer.update(g, state, params)
            new = params + updates
            if stop is None and checks.finite(new):       # the common case: every run takes its step
                params = new
                steps[step + 1, rows] = new
                continue
            overflow = ~np.isfinite(new).all(axis=1)
            stop = overflow if stop is None else stop | overflow
            length[rows[stop]] = step + 1
            go = ~stop
            rows, params, escaped = rows[go], new[go], escaped[go]
            state = type(state)(*(f[go] if isinstance(f, np.ndarray) and f.ndim == 2 else f for f in state))
            per_row.column = per_row.column[go]
            steps[step + 1, rows] = params
            if not len(rows):
                break
    return [steps[: length[i], i] for i in range(k)]


#: How many times farther from 0 than the start an iterate must be before :func:`run` reads a
#: non-finite gradient there as the overflow of a divergent run rather than a bug in ``grad_fn``.
ESCAPED = 1e6
