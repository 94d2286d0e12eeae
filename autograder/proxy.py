"""The student's names, seen from the judge.

A test cell runs in the judge, never in the sandbox. Its free names are looked up in the
submission's namespace (inside the sandbox) and bound in a fresh judge-side namespace:

- a function becomes a :class:`RemoteFunction`, which calls the student's function inside the
  sandbox and returns plain data;
- a module the course allows (numpy, math, ...) becomes the judge's own, unpatched copy;
- plain data (numbers, strings, arrays, lists of them) is copied over;
- anything else is left unbound, so the cell fails with a NameError as it would in Jupyter.

Patching numpy, pytest or the grader inside the notebook therefore changes nothing here.
"""

from __future__ import annotations

import ast
import builtins
import importlib

from autograder.plain import StudentError

SAFE_MODULES = {"numpy", "math", "numpy.linalg", "numpy.testing", "matplotlib.pyplot", "matplotlib"}


class RemoteFunction:
    """A student's function living in a sandbox; calling it returns plain data."""

    def __init__(self, sandbox, name: str, seconds: float | None = None):
        self.sandbox, self.name, self.seconds = sandbox, name, seconds

    def __call__(self, *args, **kwargs):
        return self.sandbox.call(self.name, args, kwargs, self.seconds)

    def keeping_arguments(self, *args, **kwargs):
        """``(result, args, kwargs)``: the call, and its arguments as the call left them."""
        return self.sandbox.call(self.name, args, kwargs, self.seconds, keep_arguments=True)

    def __repr__(self):
        return f"<student function {self.name}>"


def free_names(source: str) -> set[str]:
    """Names a cell reads but never binds itself (nor are builtins)."""
    tree = ast.parse(source)
    loaded, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return {n for n in loaded - bound if not hasattr(builtins, n)}


def bind_names(sandbox, source: str, seconds: float | None = None) -> dict:
    """A fresh namespace for running ``source`` in the judge against the sandboxed submission."""
    ns = {"__builtins__": builtins, "__name__": "__grader__"}
    if sandbox is None or not sandbox.alive:
        return ns

    def resolve(name):
        try:
            info = sandbox.describe(name)
        except StudentError:
            return None
        kind = info.get("kind")
        if kind == "callable":
            return RemoteFunction(sandbox, name, seconds)
        if kind == "module" and info.get("module") in SAFE_MODULES:
            return importlib.import_module(info["module"])
        if kind == "value":
            return info["value"]
        return None

    for name in sorted(free_names(source)):
        value = resolve(name)
        if value is not None:
            ns[name] = value
    # names a hidden suite asks for later (autograder.plain.Submission) are resolved on demand
    ns["__submission__"] = resolve
    return ns


def run_in_judge(source: str, ns: dict, filename: str = "<test cell>"):
    """Execute a (trusted) test cell; return the value of a final expression, like a REPL."""
    tree = ast.parse(source, filename)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, filename, "exec"), ns)
    if last is not None:
        return eval(compile(last, filename, "eval"), ns)
    return None
