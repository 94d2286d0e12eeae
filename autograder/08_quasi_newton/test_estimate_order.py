"""Hidden tests, task 4: estimating the order of convergence."""

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
        ([3.0 * 0.9 ** k for k in range(40)], 1.0),
        ([0.01 * 0.2 ** k for k in range(8)], 1.0),
        (fib, golden),
        ([0.3, 0.09, 0.0081, 6.561e-05, 4.3e-09], 2.0),
        ([0.5, 0.125, 0.5 ** 9, 0.5 ** 27] + [1e-15, 1e-16], 3.0),
    ]
    for errors, q in cases:
        got = float(student.estimate_order(errors))
        if np.isclose(got, 1 / q, rtol=2e-2) and q != 1.0:
            pytest.fail("the ratio is inverted: q = log(e_k+1 / e_k) / log(e_k / e_k-1)")
        assert np.isclose(got, q, rtol=2e-2), f"a sequence of order {q:.3g} gave {got:.3g}"
    try:
        student.estimate_order([1e-3, 1e-20, 1e-30])
    except StudentError as err:
        assert err.kind == "ValueError", f"too few errors above the floor should raise ValueError, not {err.kind}"
    else:
        pytest.fail("with only one error above 1e-14 the order cannot be estimated: raise ValueError")
