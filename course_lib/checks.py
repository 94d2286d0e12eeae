r"""Checks of the values that enter course_lib's public functions.

Every public function checks its arguments where they enter, through the helpers here, so that
a bad value fails at once with a :class:`ValueError` whose message names the caller's parameter,
says what is wrong with it and what a valid value looks like (the style of torch.optim:
``Invalid learning_rate: -0.1 (it must be a positive finite number)``), instead of producing
NaN iterates, a silent broadcast or a misleading status later. Values computed by the caller's
own functions (a gradient, a scheduled rate) are checked where they come back, with the step
and the point at which they went wrong.

>>> real("learning_rate", 0.1, positive=True)
0.1
>>> real("learning_rate", -0.1, positive=True)
Traceback (most recent call last):
...
ValueError: Invalid learning_rate: -0.1 (it must be a positive finite number).
>>> array("x0", [1.0, float("nan")])
Traceback (most recent call last):
...
ValueError: Invalid x0: entry 1 is nan (every entry must be a finite number).
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

__all__ = ["real", "unit_interval", "integer", "array", "matching", "returned", "point", "schedule"]


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def real(name: str, value, *, positive: bool = False, nonnegative: bool = False, hint: str = "") -> float:
    """``value`` as a finite float; with ``positive`` (``nonnegative``) also > 0 (>= 0)."""
    kind = "positive finite" if positive else "non-negative finite" if nonnegative else "finite"
    if not _is_number(value):
        raise TypeError(f"Invalid {name}: {value!r} (expected a number).")
    x = float(value)
    if not math.isfinite(x) or (positive and not x > 0) or (nonnegative and not x >= 0):
        raise ValueError(f"Invalid {name}: {value!r} (it must be a {kind} number{hint}).")
    return x


def unit_interval(name: str, value, *, closed: bool = False) -> float:
    """``value`` as a float in [0, 1) (or [0, 1] when ``closed``): decay and momentum factors."""
    interval = "[0, 1]" if closed else "[0, 1)"
    ok = _is_number(value) and (0 <= value <= 1 if closed else 0 <= value < 1)
    if not ok:
        raise ValueError(f"Invalid {name}: {value!r} (it must be a number in {interval}).")
    return float(value)


def integer(name: str, value, *, minimum: int = 0) -> int:
    """``value`` as an int >= ``minimum`` (a float such as ``5.0`` is accepted, ``5.5`` is not)."""
    ok = _is_number(value) and math.isfinite(value) and int(value) == value and value >= minimum
    if not ok:
        what = "non-negative" if minimum == 0 else "positive" if minimum == 1 else f">= {minimum}"
        raise ValueError(f"Invalid {name}: {value!r} (it must be a {what} integer).")
    return int(value)


def finite(a: np.ndarray) -> bool:
    """Is every entry of the float array ``a`` finite? About 2 µs for a short vector, against 5 µs
    for ``np.all(np.isfinite(a))`` (whose dispatch costs more than the test). Not through a sum:
    a sum of large finite entries overflows and warns, and the book treats a warning as an error."""
    return bool(np.isfinite(a).all())


def _first_bad(a: np.ndarray) -> str:
    index = tuple(int(i) for i in np.argwhere(~np.isfinite(a))[0])
    where = index[0] if len(index) == 1 else index
    return f"entry {where} is {a[index]}" if a.ndim else f"it is {a}"


def array(name: str, value, *, shape: tuple | None = None, ndim: int | None = None,
          atleast_1d: bool = False) -> np.ndarray:
    """``value`` as a float array of finite numbers (a copy is not made when none is needed).

    ``shape`` or ``ndim``, when given, must match; ``atleast_1d`` turns a number into a vector.
    """
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"Invalid {name}: {value!r} (it must be an array of numbers).") from None
    if atleast_1d:
        a = np.atleast_1d(a)
    if shape is not None and a.shape != tuple(shape):
        raise ValueError(f"Invalid {name}: it has shape {a.shape}, expected {tuple(shape)}.")
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"Invalid {name}: it has shape {a.shape}, expected an array with {ndim} "
                         f"dimension{'s' if ndim != 1 else ''}.")
    if not finite(a):
        raise ValueError(f"Invalid {name}: {_first_bad(a)} (every entry must be a finite number).")
    return a


def matching(name: str, value, reference: str, shape: tuple) -> np.ndarray:
    """``value`` as a finite float array with the ``shape`` of the caller's ``reference``.

    No broadcasting: a gradient of shape (1,) for parameters of shape (2,) is an error.
    """
    a = np.asarray(value, dtype=float)
    if a.shape != tuple(shape):
        raise ValueError(f"Invalid {name}: it has shape {a.shape} but {reference} has shape {tuple(shape)}; "
                         "they must match (one entry per parameter).")
    return array(name, a)


def returned(function: str, value, *, at: str | Callable[[], str], shape: tuple | None = None) -> np.ndarray:
    """A value returned by the caller's ``function`` (``grad``, ``f``...): finite, of ``shape``.

    ``at`` says where it was evaluated ("x0", "step 3, x = [...]"), for the message; in a loop,
    pass a function that writes it (it is called only when there is something to report).
    """
    a = np.asarray(value, dtype=float)
    if shape is not None and a.shape != tuple(shape):
        at = at() if callable(at) else at
        raise ValueError(f"{function} returned an array of shape {a.shape} at {at}; expected shape {tuple(shape)} "
                         "(one entry per parameter).")
    if not finite(a):
        at = at() if callable(at) else at
        raise ValueError(f"{function} returned a non-finite value at {at}: {_first_bad(a)}. "
                         f"Check {function} there (a division by zero, a log or sqrt of a negative number?).")
    return a


def point(x) -> str:
    """A short text for an iterate in a message."""
    return np.array2string(np.asarray(x), precision=4, threshold=6)


def schedule(name: str, learning_rate) -> Callable[[int], float]:
    """A learning rate as a function of the step: a positive number, or a schedule whose values are
    checked as they are used (finite and >= 0: a negative rate would move uphill)."""
    if callable(learning_rate):
        def checked(step):
            rate = learning_rate(step)
            if not _is_number(rate) and not (isinstance(rate, np.ndarray) and rate.shape == ()):
                raise ValueError(f"Invalid {name}: the schedule returned {rate!r} at step {step} "
                                 "(it must return a number).")
            if not (math.isfinite(float(rate)) and float(rate) >= 0):
                raise ValueError(f"Invalid {name}: the schedule returned {float(rate)} at step {step} "
                                 "(a rate must be finite and >= 0; a negative rate moves uphill).")
            return float(rate)

        return checked
    rate = real(name, learning_rate, positive=True)
    return lambda step: rate
