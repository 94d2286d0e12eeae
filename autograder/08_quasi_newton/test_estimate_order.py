"""Hidden tests, task 4: estimating the order of convergence.

The estimate from the last three errors above 1e-14 is within 0.2% of the true order for every
sequence below (the secant-type sequence: 1.6208 for 1.6180), ten times inside the tolerance 2%;
the mistakes (first three errors, no floor, an inverted ratio) miss by 25% or more.
"""

import numpy as np
import pytest

from autograder.plain import StudentError


@pytest.mark.points(1)
def test_orders_of_known_sequences(student):
    """linear (two rates), superlinear (the secant method's 1.618), quadratic and cubic sequences,
    errors below 1e-14 dropped, fewer than three errors refused"""
    golden = (1 + np.sqrt(5)) / 2
    fib = [0.5, 0.4]
    while fib[-1] > 1e-12:
        fib.append(fib[-1] * fib[-2])                          # e_k+1 = e_k e_k-1: order (1 + sqrt 5) / 2
    cases = [
        ([3.0 * 0.9 ** k for k in range(40)], 1.0, "a linear sequence"),
        ([0.01 * 0.2 ** k for k in range(8)], 1.0, "a linear sequence"),
        (fib, golden, "a superlinear sequence (e_k+1 = e_k e_k-1)"),
        ([0.3, 0.09, 0.0081, 6.561e-05, 4.3e-09], 2.0, "a quadratic sequence"),
        ([0.5, 0.125, 0.5 ** 9, 0.5 ** 27] + [1e-15, 1e-16], 3.0, "a cubic sequence ending with errors below 1e-14"),
    ]
    for errors, q, what in cases:
        try:
            got = float(student.estimate_order(errors))
        except StudentError as err:
            if err.kind is None:
                raise
            pytest.fail(f"on {what} (with at least three errors above 1e-14) estimate_order raised {err.kind}: "
                        "drop the errors below 1e-14 first, then take the last three of those that remain")
        if np.isclose(got, 1 / q, rtol=2e-2) and q != 1.0:
            pytest.fail("the ratio is inverted: q = log(e_k+1 / e_k) / log(e_k / e_k-1)")
        assert np.isclose(got, q, rtol=2e-2), (
            f"the estimate is wrong on {what}: q = log(e_k+1 / e_k) / log(e_k / e_k-1) with the LAST three "
            "errors above 1e-14")
    try:
        student.estimate_order([1e-3, 1e-20, 1e-30])
    except StudentError as err:
        if err.kind is None:
            raise
        assert err.kind == "ValueError", f"too few errors above the floor should raise ValueError, not {err.kind}"
    else:
        pytest.fail("with fewer than three errors above 1e-14 the order cannot be estimated: raise ValueError")
