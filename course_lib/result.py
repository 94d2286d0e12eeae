"""The result object returned by iterative solvers (scipy's field names plus the history)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class OptimizeResult:
    """Outcome of an iterative minimisation.

    The field names follow :class:`scipy.optimize.OptimizeResult`, so code written against
    scipy reads the same here.

    Attributes
    ----------
    x : ndarray
        Final iterate.
    fun : float
        Objective value at ``x`` (``nan`` when no objective was supplied).
    jac : ndarray
        Gradient at ``x``.
    nit : int
        Number of iterations (steps) taken.
    nfev, njev, nhev : int
        Number of objective, gradient and Hessian evaluations.
    success : bool
        Whether the stopping test was met.
    status : int
        0 converged, 1 iteration limit reached, 2 linear-algebra failure, 3 non-finite iterate.
    message : str
        A sentence describing ``status``.
    history : ndarray, shape (nit + 1, d)
        Every iterate, the starting point first.
    hess_inv : ndarray or None
        The final inverse-Hessian approximation of a quasi-Newton method (scipy's name).
    """

    x: np.ndarray
    fun: float
    jac: np.ndarray
    nit: int
    nfev: int
    njev: int
    nhev: int
    success: bool
    status: int
    message: str
    history: np.ndarray = field(repr=False)
    hess_inv: np.ndarray | None = field(default=None, repr=False)
