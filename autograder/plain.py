"""Calling a student's function safely: copied inputs, plain-data outputs, clear errors.

Hidden tests never touch an object the student's code made: every return value is rebuilt
as plain data (bool, int, float, str, None, numpy arrays of numbers, and lists, tuples and
str-keyed dicts of these). An object with a lying ``__eq__`` or a patched ndarray subclass
is either converted to a real array or rejected with a message.
"""

from __future__ import annotations

import builtins
import copy

import numpy as np

from autograder import wire


# Exception names a hint may show. A student's own exception class is reported by the first of
# these in its method resolution order: its name could carry data (a hidden input) out.
SAFE_EXCEPTIONS = frozenset(
    name for name, obj in vars(builtins).items() if isinstance(obj, type) and issubclass(obj, BaseException)
) | {"LinAlgError", "AxisError", "CellTimeout"}


def exception_kind(names) -> str:
    """The first well-known exception name among ``names`` (a class and its bases), else 'Exception'."""
    for name in names if isinstance(names, (list, tuple)) else [names]:
        if isinstance(name, str) and name in SAFE_EXCEPTIONS:
            return name
    return "Exception"


class StudentError(Exception):
    """Something about the submission itself: a missing name, an exception, a bad return type.

    ``kind`` is the name of the exception the student's code raised, if any (a well-known name:
    see :func:`exception_kind`); ``kinds`` all well-known names of its class and bases, so that
    ``"ValueError" in err.kinds`` holds for a LinAlgError as ``except ValueError`` would.
    ``hint`` is the message without anything the student's code wrote (its exception's message,
    its class names): what a hidden test may show.
    """

    def __init__(self, message: str, kind: str | None = None, hint: str | None = None, kinds=()):
        super().__init__(message)
        self.kind = kind
        self.kinds = tuple(kinds) or ((kind,) if kind else ())
        self.hint = message if hint is None else hint


def raised(name: str, classes, evalue) -> StudentError:
    """The StudentError for an exception raised by the student's function ``name``.

    ``classes`` are the names of the exception's class and its bases, its own first (from a
    sandbox: untrusted). The message shows its class and message; the hint well-known names only."""
    classes = [c for c in classes if isinstance(c, str)] if isinstance(classes, (list, tuple)) else [str(classes)]
    kinds = tuple(c for c in classes if c in SAFE_EXCEPTIONS)
    kind = exception_kind(classes)
    return StudentError(f"`{name}` raised {classes[0] if classes else kind}: {evalue}", kind=kind,
                        hint=f"`{name}` raised {kind}", kinds=kinds)


def to_plain(value, where: str = "the result"):
    """Rebuild ``value`` as plain data, or raise :class:`StudentError` saying what was wrong.

    Plain data is what :mod:`autograder.wire` lets out of a sandbox; the same rule applies when
    a hidden suite runs next to the student's code (stock nbgrader's kernel).
    """
    try:
        return wire.decode(wire.encode(value))
    except TypeError as err:
        raise StudentError(f"{where} is {err}; expected a number, a string or a numpy array.",
                           hint=f"{where} is not plain data; expected a number, a string or a numpy array.") from None


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
        return self._function(name, keep_arguments=False)

    def keeping_arguments(self, name: str):
        """``student.keeping_arguments("f")(*args)`` returns ``(result, args, kwargs)`` with the
        arguments as the call left them: a test can check that an input was not changed in place."""
        return self._function(name, keep_arguments=True)

    def _function(self, name: str, keep_arguments: bool):
        obj = self._lookup(name)
        if obj is None:
            raise StudentError(f"`{name}` is not defined: run the cell that defines it and check its name.")
        if not callable(obj):
            raise StudentError(f"`{name}` should be a function, but it is a {type(obj).__name__}.")
        remote = getattr(obj, "keeping_arguments", None)  # a function in the sandbox (autograder.proxy)

        def call(*args, **kwargs):
            args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
            try:
                with np.errstate(all="ignore"):
                    if keep_arguments and remote is not None:
                        result, args, kwargs = remote(*args, **kwargs)
                    else:
                        result = obj(*args, **kwargs)
            except StudentError:
                raise
            except Exception as err:  # the student's exception, reported, never propagated raw
                raise raised(name, [c.__name__ for c in type(err).__mro__], err) from None
            result = to_plain(result, where=f"the value returned by `{name}`")
            if not keep_arguments:
                return result
            plain = [None if callable(a) else to_plain(a, "an argument") for a in args]
            return result, tuple(plain), {k: None if callable(v) else to_plain(v, "an argument") for k, v in kwargs.items()}

        return call
