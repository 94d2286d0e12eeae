"""Hidden tests, task 2: He's initialisation.

Statistical checks through autograder/statcheck.py: for each layer (N = 32768, 16384 and 8192
weights) the sample mean, the sample variance and the share of weights with |w| < sigma are
compared with those of N(0, sigma^2 = 2/n_in) in units of their standard errors (sigma/sqrt(N),
sigma^2 sqrt(2/(N-1)) and sqrt(p(1-p)/N) with p = 0.6827, computed here, never from the
student; means of thousands of terms, where the normal approximation is accurate), with the
bound Z_MAX = 5.73: 9 comparisons, so a correct answer fails with probability below 1e-7 for any
seed. The mistakes miss by far more: the variance 1/n_in (LeCun) by at least 45 standard errors,
2/(n_in + n_out) (Glorot) or 2/n_out by more, a uniform distribution with the right variance has
the share 1/sqrt(3) = 0.577 (20 standard errors or more from 0.683), the standard deviation
2/n_in (the variance squared) by thousands.
"""

import math

import numpy as np
import pytest

from autograder.statcheck import MAX_COMPARISONS, Z_MAX

SIZES = [64, 512, 32, 256]            # fan-in != fan-out in every layer; 32768, 16384, 8192 weights


def matrices(student, sizes, seed):
    Ws = student.he_init(list(sizes), seed)
    assert isinstance(Ws, (list, tuple)) and len(Ws) == len(sizes) - 1, (
        f"he_init should return a list of len(sizes) - 1 weight matrices")
    out = []
    for l, W in enumerate(Ws):
        W = np.asarray(W, dtype=float)
        want = (sizes[l + 1], sizes[l])
        if W.shape == want[::-1] and want[0] != want[1]:
            pytest.fail("matrix l should have shape (sizes[l + 1], sizes[l]) = (n_out, n_in); yours is transposed")
        assert W.shape == want, "matrix l should have shape (sizes[l + 1], sizes[l])"
        out.append(W)
    return out


@pytest.mark.points(1)
def test_distribution_of_the_weights(student):
    """layers with fan-in 64, 512 and 32 (fan-out different): the weights' mean, variance and share
    within one standard deviation are those of N(0, 2 / fan_in), within 5.73 standard errors"""
    Ws = matrices(student, SIZES, 2024)
    comparisons = 0
    for l, W in enumerate(Ws):
        n_in, n_out = SIZES[l], SIZES[l + 1]
        w = W.ravel()
        N = w.size
        var = 2.0 / n_in
        z_mean = w.mean() / math.sqrt(var / N)
        z_var = (w.var(ddof=1) - var) / (var * math.sqrt(2.0 / (N - 1)))
        p = math.erf(1 / math.sqrt(2))                    # P(|Z| < 1) = 0.6827 for a normal
        z_share = (np.mean(np.abs(w) < math.sqrt(var)) - p) / math.sqrt(p * (1 - p) / N)
        comparisons += 3
        if abs(z_var) >= Z_MAX:
            got = w.var()
            for wrong, hint in ((1.0 / n_in, "the variance is 1/fan_in (LeCun's); He's is 2/fan_in, for ReLU"),
                                (2.0 / (n_in + n_out), "the variance is 2/(fan_in + fan_out) (Glorot's); He's is 2/fan_in"),
                                (2.0 / n_out, "the variance uses fan_out (sizes[l + 1]); He's is 2/fan_in with fan_in = sizes[l]"),
                                (4.0 / n_in**2, "2/fan_in is the VARIANCE: the standard deviation is its square root")):
                if abs(got / wrong - 1) < 0.05:
                    pytest.fail(hint)
            pytest.fail("the variance of the weights of a layer is not 2/fan_in (fan_in = sizes[l])")
        assert abs(z_mean) < Z_MAX, "the weights should have mean 0"
        assert abs(z_share) < Z_MAX, (
            "the variance is right but the weights are not normally distributed (the share within one "
            "standard deviation of 0 is not 68%): "
            "draw them from a normal distribution, rng.normal(0, std, size)")
    assert comparisons <= MAX_COMPARISONS


@pytest.mark.points(1)
def test_shapes_and_seed(student):
    """shapes (n_out, n_in) for other widths; the same seed gives the same matrices, another seed other
    matrices"""
    sizes = [7, 3, 5, 2]
    first = matrices(student, sizes, 5)
    again = matrices(student, sizes, 5)
    other = matrices(student, sizes, 6)
    assert all(np.array_equal(a, b) for a, b in zip(first, again)), (
        "the same seed should give the same matrices: create the generator with np.random.default_rng(seed)")
    assert not all(np.array_equal(a, b) for a, b in zip(first, other)), (
        "different seeds give the same matrices: is the seed used?")
    # a generator re-created for every layer starts every layer with the same normal draws, scaled
    z0 = first[0].ravel()[:3]
    assert not any(np.allclose(W.ravel()[:3] / z0, (W.ravel()[0] / z0[0]), rtol=1e-9) for W in first[1:]), (
        "the layers start with the same random numbers: create the generator once, not once per layer")
