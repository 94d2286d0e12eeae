"""Reference implementations for the course *Optimization for deep learning*.

Each algorithm of the book lives in one function, readable next to its equation:

``course_lib.problems``   test functions with exact gradients and Hessians
``course_lib.taylor``     the second-order Taylor model and its error
``course_lib.curvature``  Hessian spectra, stationary points, gradient-descent stability
``course_lib.newton``     Newton's method (univariate and multivariate)
``course_lib.optim``      first-order optimizers as ``(init, update)`` pairs, ``run`` and ``run_many``
``course_lib.schedules``  learning-rate schedules, functions ``step -> rate``
``course_lib.stochastic`` finite sums, mini-batch gradients and their variance, SGD runs
``course_lib.widgets``    figures and interactive widgets (imports matplotlib lazily)

Algorithm modules import numpy and nothing heavier.

Importing ``course_lib`` defers jsonschema's IRI grammar (:mod:`course_lib._lazy_iri`): the
book's pages import Altair and nbformat (through ``myst_nb.glue``), which import jsonschema, and
compiling that grammar would cost every page's kernel about 1.5 s for checks no schema here uses.
"""

from course_lib._lazy_iri import defer_iri_grammar
from course_lib.result import OptimizeResult

defer_iri_grammar()

__all__ = ["OptimizeResult"]
__version__ = "0.1.0"
