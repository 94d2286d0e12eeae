"""Calling a student's function safely: copied inputs, plain-data outputs, clear errors.

Hidden tests never touch an object the student's code made: every return value is rebuilt
as plain data (bool, int, float, str, None, numpy arrays of numbers, and lists, tuples and
str-keyed dicts of these). An object with a lying ``__eq__`` or a patched ndarray subclass
is either converted to a real array or rejected with a message.
"""

from __future__ import annotations

import copy

import numpy as np


class StudentError(Exception):
    """Something about the submission itself: a missing name, an exception, a bad return type.

    ``kind`` is the name of the exception the student's code raised, if any.
    """

    def __init__(self, message: str, kind: str | None = None):
        super().__init__(message)
        self.kind = kind


def to_plain(value, where: str = "the result"):
    """Rebuild ``value`` as plain data, or raise :class:`StudentError` saying what was wrong."""
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise StudentError(f"{where} is an array of dtype {value.dtype}; expected numbers.")
        return np.array(np.ndarray.view(value, np.ndarray), dtype=value.dtype, copy=True)
    if type(value) in (list, tuple):
        return type(value)(to_plain(v, where) for v in value)
    if type(value) is dict and all(type(k) is str for k in value):
        return {k: to_plain(v, where) for k, v in value.items()}
    raise StudentError(
        f"{where} is a {type(value).__name__}; expected a number, a string or a numpy array."
    )


class Submission:
    """The student's namespace, seen through :func:`to_plain`.

    In the judge the namespace holds a resolver under ``"__submission__"`` that finds the
    student's functions in the sandbox (see :mod:`autograder.proxy`).

    ``submission.newton_step(g, H)`` calls the student's ``newton_step`` on deep copies of
    the arguments and returns plain data. A missing or non-callable name, or an exception
    raised inside, becomes a :class:`StudentError` whose message a student can act on.
    """

    def __init__(self, namespace: dict):
        self._namespace = namespace

    def has(self, name: str) -> bool:
        return callable(self._lookup(name))

    def _lookup(self, name: str):
        obj = self._namespace.get(name)
        resolver = self._namespace.get("__submission__")
        if obj is None and resolver is not None:  # the judge: ask the sandbox for the name
            obj = resolver(name)
        return obj

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        obj = self._lookup(name)
        if obj is None:
            raise StudentError(f"`{name}` is not defined: run the cell that defines it and check its name.")
        if not callable(obj):
            raise StudentError(f"`{name}` should be a function, but it is a {type(obj).__name__}.")

        def call(*args, **kwargs):
            args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
            try:
                with np.errstate(all="ignore"):
                    result = obj(*args, **kwargs)
            except StudentError:
                raise
            except Exception as err:  # the student's exception, reported, never propagated raw
                raise StudentError(f"`{name}` raised {type(err).__name__}: {err}", kind=type(err).__name__) from None
            return to_plain(result, where=f"the value returned by `{name}`")

        return call
