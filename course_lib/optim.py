r"""First-order optimizers as pairs of pure functions, and the loop that runs them.

An optimizer is a :class:`GradientTransformation` (the design of optax): ``init(params)``
returns a small state ``NamedTuple``; ``update(grads, state, params)`` returns
``(updates, new_state)`` and mutates nothing. The caller applies ``params + updates``.
:func:`run` does exactly that and returns the trajectory that figures and widgets draw.

Sign convention: ``updates`` are what is *added* to the parameters, so gradient descent
returns :math:`-\eta g`.
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np


class GradientTransformation(NamedTuple):
    """An optimizer: ``init(params) -> state`` and ``update(grads, state, params) -> (updates, state)``."""

    init: Callable
    update: Callable


class StepCount(NamedTuple):
    """State of a stateless method: only the number of updates made so far."""

    count: int


def gradient_descent(learning_rate: float) -> GradientTransformation:
    r"""Plain gradient descent, :math:`\theta_{k+1} = \theta_k - \eta \nabla C(\theta_k)`.

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
    _check_learning_rate(learning_rate)

    def init(params):
        return StepCount(count=0)

    def update(grads, state, params=None):
        return -learning_rate * np.asarray(grads, dtype=float), StepCount(state.count + 1)

    return GradientTransformation(init, update)


def run(optimizer: GradientTransformation, grad_fn, x0, num_steps: int) -> np.ndarray:
    """Apply ``optimizer`` for ``num_steps`` steps from ``x0`` and return the trajectory.

    Returns
    -------
    ndarray, shape (n + 1, d)
        Row ``k`` is the ``k``-th iterate, ``x0`` first. ``n`` is ``num_steps`` unless an
        iterate stops being finite (a divergent run): the trajectory then ends at the last
        finite iterate, so a plot of a divergent run shows how it escaped.
    """
    if int(num_steps) != num_steps or num_steps < 0:
        raise ValueError(f"num_steps must be a non-negative integer, got {num_steps}.")
    params = np.atleast_1d(np.asarray(x0, dtype=float)).copy()
    state = optimizer.init(params)
    trajectory = [params]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(int(num_steps)):
            updates, state = optimizer.update(np.asarray(grad_fn(params), dtype=float), state, params)
            new = params + updates
            if not np.all(np.isfinite(new)):
                break
            params = new
            trajectory.append(params)
    return np.array(trajectory)


def _check_learning_rate(learning_rate):
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float, np.floating, np.integer)):
        raise TypeError(f"Invalid learning rate: {learning_rate!r} (expected a number).")
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"Invalid learning rate: {learning_rate} (it must be a positive finite number).")
