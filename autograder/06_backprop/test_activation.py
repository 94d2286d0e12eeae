"""Hidden tests, task 1: activations and their derivatives.

Hints describe the mistake; no message shows a hidden input or an expected value.
"""

import numpy as np
import pytest

from autograder.plain import StudentError
from course_lib.backprop import ACTIVATIONS


@pytest.mark.points(1)
def test_values_and_derivatives_on_arrays(student):
    """tanh, sigmoid and relu and their derivatives match the definitions and central differences,
    element by element on 0-d, 1-d and 2-d arrays, including large |u| and relu'(0) = 0; an unknown
    name raises a ValueError whose message lists the valid names"""
    rng = np.random.default_rng(61)
    for shape in [(), (5,), (3, 4)]:
        u = rng.normal(0.0, 3.0, shape)
        if shape:
            u.flat[0], u.flat[-1] = 40.0, -40.0
        for name in ("tanh", "sigmoid", "relu"):
            got = student.activation(name, u)
            assert isinstance(got, (tuple, list)) and len(got) == 2, f"{name}: return the pair (sigma(u), sigma'(u))"
            value, deriv = (np.asarray(v, dtype=float) for v in got)
            ref = ACTIVATIONS[name]
            want = ref.fun(u)
            assert value.shape == np.shape(u) and deriv.shape == np.shape(u), \
                f"{name}: both arrays should have the shape of u (element by element)"
            assert np.all(np.isfinite(value)) and np.all(np.isfinite(deriv)), \
                f"{name}: not finite for large |u| (for the sigmoid use 1/(1 + exp(-u)) = (1 + tanh(u/2))/2)"
            assert np.allclose(value, want, rtol=1e-12, atol=1e-15), f"{name}(u) is wrong"
            h = 1e-6
            fd = (ref.fun(u + h) - ref.fun(u - h)) / (2 * h)
            assert np.allclose(deriv, ref.deriv(u, want), rtol=1e-9, atol=1e-12) and \
                np.allclose(deriv, fd, rtol=1e-5, atol=1e-7), f"{name}'(u) is wrong"
    zero = np.asarray(student.activation("relu", np.zeros(3))[1], dtype=float)
    assert np.all(zero == 0.0), "relu'(0) should be 0 (the convention of the task)"
    try:
        student.activation("softsign", np.zeros(2))
    except StudentError as err:
        assert err.kind == "ValueError", f"an unknown name should raise ValueError, not {err.kind or 'this error'}"
        # the message of the student's exception, when the grader passes it on (after "raised ValueError: ")
        message = str(err).partition("ValueError:")[2].strip()
        if message and not all(valid in message for valid in ("tanh", "sigmoid", "relu")):
            pytest.fail("the ValueError's message should list the valid names: tanh, sigmoid and relu")
    else:
        pytest.fail("activation('softsign', u) returned something: an unknown name should raise ValueError")
