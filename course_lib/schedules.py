r"""Learning-rate schedules: functions from the step number to the learning rate.

A schedule is a plain function ``schedule(t) -> rate``. The step counter ``t`` starts at 0
for the first update, so ``schedule(0)`` is the initial rate (source 004 writes
:math:`\alpha^{(t)} = \alpha\, 0.99^t`; source 003 writes :math:`\alpha_i` with
:math:`\alpha_0` the initial rate). ``t`` may be a non-negative integer, which gives a float,
or an integer array, which gives an array of rates of the same shape, so a whole schedule
can be plotted with ``schedule(np.arange(num_steps))``.

Under the usual assumptions (a smooth objective bounded below, unbiased gradient estimates
with bounded variance) stochastic gradient descent converges, to a minimiser for strongly
convex problems and to a stationary point in general, when the rates satisfy the
Robbins-Monro conditions

.. math::

    \sum_{t=0}^{\infty} \eta_t = \infty, \qquad \sum_{t=0}^{\infty} \eta_t^2 < \infty :

the first lets the iterates travel any distance, the second makes the accumulated gradient
noise :math:`\sum_t \eta_t^2 \sigma^2` finite. These conditions are *sufficient*, not
necessary for useful training: a constant rate or a linear decay to a positive floor (003's
recommendation) violates the second, and in practice trades exact convergence for a small
neighbourhood of the minimiser whose size grows with the final rate.
:func:`robbins_monro_partial_sums` shows numerically which schedule satisfies what.

Limits of the two sums for each schedule here (:math:`\psi_1` is the trigamma function):

- :func:`constant` :math:`\eta`: both sums diverge.
- :func:`exponential_decay` :math:`\eta r^t`, :math:`r < 1`: :math:`\eta/(1-r)` and
  :math:`\eta^2/(1-r^2)`, both finite.
- :func:`linear_decay_to_floor` to a floor :math:`\eta_\tau > 0`: both diverge.
- :func:`step_decay` :math:`\eta f^{\lfloor t/k \rfloor}`, :math:`f < 1`: :math:`\eta k/(1-f)`
  and :math:`\eta^2 k/(1-f^2)`, both finite.
- :func:`inverse_time` :math:`\eta t_0/(t_0+t)`: the first diverges (like :math:`\log t`),
  the second is :math:`\eta^2 t_0^2 \psi_1(t_0)`.

Only :func:`inverse_time` satisfies both conditions.

References
----------
002 (Robbins-Monro conditions, Algorithm 8.1 with a schedule :math:`\epsilon_k`);
003 (linear decay to a floor, "cooling"); 004, Section 4.2 (exponential decay with 0.99);
000, Section 2.3 (linear, power-law and exponential decays).
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from course_lib import checks

Schedule = Callable[[int | np.ndarray], float | np.ndarray]


def constant(lr: float) -> Schedule:
    r"""The constant schedule :math:`\eta_t = \eta`.

    It satisfies :math:`\sum \eta_t = \infty` but not :math:`\sum \eta_t^2 < \infty`: SGD
    with a constant rate keeps fluctuating around the minimiser with an amplitude that grows
    with :math:`\eta`.

    References
    ----------
    000, eq. (2.4); 004, Section 4.2 (fixed learning rate).

    Examples
    --------
    >>> sched = constant(0.1)
    >>> sched(0), sched(1000)
    (0.1, 0.1)
    >>> sched(np.arange(3))
    array([0.1, 0.1, 0.1])
    """
    checks.real("lr", lr, positive=True)

    def schedule(t):
        t = _steps(t)
        return _out(np.full(np.shape(t), float(lr)))

    return schedule


def exponential_decay(lr: float, rate: float) -> Schedule:
    r"""Exponential decay :math:`\eta_t = \eta\, r^t` with :math:`0 < r \le 1`.

    For :math:`r < 1` both sums converge,
    :math:`\sum_t \eta_t = \eta/(1 - r)`, so the iterates can travel only a bounded distance:
    a too fast decay stops SGD before it arrives (004 shows this on Rosenbrock with
    :math:`r = 0.99`). :math:`r = 1` is the constant schedule.

    Parameters
    ----------
    lr : float
        Initial rate :math:`\eta > 0`.
    rate : float
        Decay factor per step, :math:`0 < r \le 1`.

    References
    ----------
    004, Section 4.2, Figure 4.2 (:math:`\alpha^{(t)} = \alpha \cdot 0.99^t`).

    Examples
    --------
    >>> sched = exponential_decay(1.0, 0.5)
    >>> sched(np.arange(4))
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    checks.real("lr", lr, positive=True)
    checks.real("rate", rate)
    if not 0 < rate <= 1:
        raise ValueError(f"Invalid rate: {rate} (the decay factor per step must be in (0, 1]; 1 means no decay).")

    def schedule(t):
        t = _steps(t)
        return _out(lr * np.power(float(rate), t))

    return schedule


def linear_decay_to_floor(lr0: float, lr_final: float, num_steps: int) -> Schedule:
    r"""Linear decay from ``lr0`` to ``lr_final`` over ``num_steps`` steps, then constant.

    With :math:`\tau` = ``num_steps`` and :math:`\beta = t/\tau`,

    .. math::

        \eta_t = \begin{cases} (1 - \beta)\,\eta_0 + \beta\,\eta_\tau, & t < \tau, \\
                               \eta_\tau, & t \ge \tau, \end{cases}

    continuous at :math:`t = \tau`. With a positive floor :math:`\eta_\tau` the schedule ends
    constant, so :math:`\sum \eta_t^2 = \infty`: it does not satisfy the Robbins-Monro
    conditions, although the source that recommends it states them just before. A floor of
    0 gives a linear decay to zero that stops learning at :math:`t = \tau`.

    Parameters
    ----------
    lr0 : float
        Initial rate :math:`\eta_0 > 0`.
    lr_final : float
        Floor :math:`\eta_\tau`, with :math:`0 \le \eta_\tau \le \eta_0`. 003's rule of thumb
        is :math:`\eta_\tau = \eta_0/100`.
    num_steps : int
        Length :math:`\tau \ge 1` of the linear part, in steps (not epochs). 003's rule of
        thumb is a horizon of the order of a hundred epochs' worth of steps.

    References
    ----------
    003, "learning rate scheduling" (linear decay for :math:`i < \tau`, then constant).

    Examples
    --------
    >>> sched = linear_decay_to_floor(1.0, 0.01, num_steps=4)
    >>> sched(np.arange(6)).round(4)
    array([1.    , 0.7525, 0.505 , 0.2575, 0.01  , 0.01  ])
    """
    checks.real("lr0", lr0, positive=True)
    checks.real("lr_final", lr_final)
    if not 0 <= lr_final <= lr0:
        raise ValueError(
            f"Invalid lr_final: {lr_final} (a decay needs 0 <= lr_final <= lr0 = {lr0})."
        )
    checks.integer("num_steps", num_steps, minimum=1)

    def schedule(t):
        t = _steps(t)
        beta = np.minimum(t / num_steps, 1.0)
        return _out((1 - beta) * lr0 + beta * lr_final)

    return schedule


def step_decay(lr: float, factor: float, every: int) -> Schedule:
    r"""Piecewise-constant decay :math:`\eta_t = \eta\, f^{\lfloor t / k \rfloor}`.

    The rate is multiplied by :math:`f` every :math:`k` steps (PyTorch's ``StepLR``). For
    :math:`f < 1` both sums converge, :math:`\sum_t \eta_t = \eta k/(1 - f)`.

    Parameters
    ----------
    lr : float
        Initial rate :math:`\eta > 0`.
    factor : float
        Multiplier :math:`0 < f \le 1`.
    every : int
        Number of steps :math:`k \ge 1` between two decays.

    References
    ----------
    003 (reduce the rate after a number of epochs); 000, Section 2.3.

    Examples
    --------
    >>> step_decay(1.0, 0.1, every=2)(np.arange(5))
    array([1.  , 1.  , 0.1 , 0.1 , 0.01])
    """
    checks.real("lr", lr, positive=True)
    checks.real("factor", factor)
    if not 0 < factor <= 1:
        raise ValueError(f"Invalid factor: {factor} (the decay factor must be in (0, 1]).")
    checks.integer("every", every, minimum=1)

    def schedule(t):
        t = _steps(t)
        return _out(lr * np.power(float(factor), t // every))

    return schedule


def inverse_time(lr: float, t0: float) -> Schedule:
    r"""Inverse-time decay :math:`\eta_t = \eta\, t_0 / (t_0 + t)`.

    The rate is :math:`\eta` for :math:`t \ll t_0` and decays like :math:`\eta t_0 / t`
    afterwards. Since :math:`\sum 1/(t_0+t)` diverges (like :math:`\log t`) and
    :math:`\sum 1/(t_0+t)^2` converges, it satisfies both Robbins-Monro conditions; exactly,

    .. math::

        \sum_{t=0}^{N-1} \eta_t = \eta t_0 \,[\psi(t_0 + N) - \psi(t_0)], \qquad
        \sum_{t=0}^{\infty} \eta_t^2 = \eta^2 t_0^2\, \psi_1(t_0),

    with the digamma and trigamma functions :math:`\psi, \psi_1`.

    Parameters
    ----------
    lr : float
        Initial rate :math:`\eta > 0`.
    t0 : float
        Time scale :math:`t_0 > 0`, in steps.

    References
    ----------
    002 (Robbins-Monro conditions); Robbins and Monro (1951).

    Examples
    --------
    >>> inverse_time(1.0, t0=2)(np.arange(4))
    array([1.        , 0.66666667, 0.5       , 0.4       ])
    """
    checks.real("lr", lr, positive=True)
    checks.real("t0", t0, positive=True)

    def schedule(t):
        t = _steps(t)
        return _out(lr * t0 / (t0 + t))

    return schedule


class PartialSums(NamedTuple):
    r"""Partial sums of a schedule: entry ``N - 1`` is the sum over steps :math:`0, \dots, N-1`.

    Attributes
    ----------
    lr : ndarray, shape (num_steps,)
        :math:`\sum_{t<N} \eta_t`; must grow without bound (Robbins-Monro, first condition).
    lr_squared : ndarray, shape (num_steps,)
        :math:`\sum_{t<N} \eta_t^2`; must stay bounded (Robbins-Monro, second condition).
    """

    lr: np.ndarray
    lr_squared: np.ndarray


def robbins_monro_partial_sums(schedule: Schedule, num_steps: int) -> PartialSums:
    r"""The partial sums :math:`\sum_{t<N} \eta_t` and :math:`\sum_{t<N} \eta_t^2`, N = 1..num_steps.

    A finite computation cannot prove a limit, but the shapes are telling: on a log axis in
    :math:`N`, the first sum of :func:`inverse_time` grows linearly while the second levels
    off; for :func:`exponential_decay` both level off; for :func:`constant` both grow.

    References
    ----------
    002 and 003 (the conditions :math:`\sum \eta_t = \infty`, :math:`\sum \eta_t^2 < \infty`).

    Examples
    --------
    >>> sums = robbins_monro_partial_sums(constant(0.5), 4)
    >>> sums.lr, sums.lr_squared
    (array([0.5, 1. , 1.5, 2. ]), array([0.25, 0.5 , 0.75, 1.  ]))
    """
    checks.integer("num_steps", num_steps, minimum=1)
    rates = np.asarray(schedule(np.arange(int(num_steps))), dtype=float)
    if rates.shape != (num_steps,):
        raise ValueError(
            f"the schedule returned shape {rates.shape} for {num_steps} steps; a schedule "
            "must act element-wise on an array of steps."
        )
    return PartialSums(np.cumsum(rates), np.cumsum(rates**2))


# --------------------------------------------------------------------------- warm-up and plateau


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
    lr = checks.real("lr", lr, positive=True)
    tau = checks.integer("warmup_steps", warmup_steps, minimum=1)
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
    a, b = checks.real("mu_start", mu_start), checks.real("mu_end", mu_end)
    for name, v in (("mu_start", a), ("mu_end", b)):
        if not 0 <= v < 1:
            raise ValueError(f"Invalid {name}: {v} (a momentum must be in [0, 1)).")
    tau = checks.integer("num_steps", num_steps, minimum=1)

    def schedule(t):
        t = _steps(t)
        return _out(a + (b - a) * np.minimum(t / tau, 1.0))

    return schedule


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
    lr = checks.real("lr", lr, positive=True)
    f = checks.real("factor", factor)
    if not 0 < f < 1:
        raise ValueError(f"Invalid factor: {f} (it must be in (0, 1) to reduce the rate).")
    p = checks.integer("patience", patience, minimum=0)
    delta = checks.real("threshold", threshold)
    if not 0 <= delta < 1:
        raise ValueError(f"Invalid threshold: {delta} (a relative threshold in [0, 1)).")
    floor = checks.real("min_lr", min_lr)
    if not 0 <= floor <= lr:
        raise ValueError(f"Invalid min_lr: {floor} (it must be in [0, lr = {lr}]).")

    def init():
        return PlateauState(lr, math.inf, 0)

    def update(loss, state):
        loss = checks.real("loss", loss)
        if loss < state.best * (1 - delta):
            return PlateauState(state.lr, loss, 0)
        bad = state.bad_epochs + 1
        if bad > p:
            return PlateauState(max(state.lr * f, floor), state.best, 0)
        return PlateauState(state.lr, state.best, bad)

    return PlateauScheduler(init, update)


# --------------------------------------------------------------------------- validation


def _steps(t):
    """Validate step numbers: non-negative integers, a scalar or an array."""
    arr = np.asarray(t)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"steps must be integers, got {t!r} of dtype {arr.dtype}.")
    if np.any(arr < 0):
        raise ValueError(f"steps must be non-negative, got a minimum of {arr.min()}.")
    return arr


def _out(values):
    """A float for a scalar step, an array for an array of steps."""
    return float(values) if np.ndim(values) == 0 else values
