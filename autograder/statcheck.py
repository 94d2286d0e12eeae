"""Tolerances for statistical hidden tests.

A hidden test that checks a Monte Carlo estimate compares it with the exact value in units of
the estimate's standard error (computed by the test, never taken from the student). With
``Z_MAX = 5.73`` a standard normal exceeds the bound in absolute value with probability
``two_sided_tail(5.73) = 1.0e-8``; a test makes at most ``MAX_COMPARISONS`` such comparisons, so a
correct answer fails with probability below 1e-7 for ANY seed (union bound), comfortably under
the 1e-6 the course promises. The estimates are means of thousands of draws, where the normal
approximation is accurate. Typical mistakes (biased sampling, a sum instead of a mean) are
chosen to miss by dozens of standard errors on the data the tests use.
"""

from __future__ import annotations

import math

Z_MAX = 5.73
MAX_COMPARISONS = 10


def two_sided_tail(z: float) -> float:
    """P(|Z| > z) for a standard normal Z.

    >>> f"{two_sided_tail(Z_MAX):.1e}"
    '1.0e-08'
    >>> MAX_COMPARISONS * two_sided_tail(Z_MAX) < 1e-6
    True
    """
    return math.erfc(z / math.sqrt(2.0))
