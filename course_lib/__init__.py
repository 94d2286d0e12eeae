"""Reference implementations for the course *Optimization for deep learning*.

Each algorithm of the book lives in one function, readable next to its equation:

``course_lib.problems``   test functions with exact gradients and Hessians
``course_lib.taylor``     the second-order Taylor model and its error
``course_lib.curvature``  Hessian spectra, stationary points, gradient-descent stability
``course_lib.newton``     Newton's method (univariate and multivariate)
``course_lib.optim``      first-order optimizers as ``(init, update)`` pairs, and ``run``
``course_lib.schedules``  learning-rate schedules, functions ``step -> rate``
``course_lib.stochastic`` finite sums, mini-batch gradients and their variance, SGD runs
``course_lib.widgets``    figures and interactive widgets (imports matplotlib lazily)

Algorithm modules import numpy and nothing heavier.
"""

from course_lib.result import OptimizeResult

__all__ = ["OptimizeResult"]
__version__ = "0.1.0"
