"""Hidden tests, task 2: the forward pass.

The task text makes it a composition: "Use your `activation`." A mistake in task 1 can therefore
cost points here too. Hints describe the mistake; no message shows a hidden input or an expected value.
"""

import numpy as np
import pytest

from course_lib import backprop as bp


def network(sizes, seed):
    rng = np.random.default_rng(seed)
    layers = [bp.Layer(layer.W, rng.normal(0.0, 0.3, layer.b.shape)) for layer in bp.init_mlp(sizes, seed=seed)]
    return [layer.W for layer in layers], [layer.b for layer in layers], layers


@pytest.mark.points(1)
def test_forward_matches_on_new_networks(student):
    """pre-activations and outputs equal the reference for one to four layers, every activation,
    batches of one and more examples, non-square layers"""
    cases = [((4, 3), "tanh", 1), ((2, 5, 3), "sigmoid", 9), ((3, 6, 6, 2), "relu", 4), ((5, 2, 7, 3, 4), "tanh", 3)]
    for k, (sizes, name, batch) in enumerate(cases):
        Ws, bs, layers = network(sizes, 70 + k)
        X = np.random.default_rng(k).normal(size=(batch, sizes[0]))
        got = student.forward(Ws, bs, X, name)
        assert isinstance(got, (tuple, list)) and len(got) == 2, "return the pair (us, xs)"
        us, xs = got
        _, cache = bp.forward(layers, X, name)
        assert len(us) == len(sizes) - 1 and len(xs) == len(sizes), \
            "a network with k layers has k pre-activations U1..Uk and k + 1 outputs X0 = X, X1, ..., Xk"
        x = np.asarray(xs[0], dtype=float)
        assert x.shape == X.shape and np.allclose(x, X), "xs[0] should be the input X itself"
        for l, (u, want_u, want_x) in enumerate(zip(us, cache.us, cache.xs[1:]), start=1):  # layer by layer
            u = np.asarray(u, dtype=float)
            assert u.shape == want_u.shape, f"U{l} should have shape (batch, width of layer {l}): one row per example"
            assert np.allclose(u, want_u, rtol=1e-10, atol=1e-12), f"U{l} is wrong ({name}): U^(l) = X^(l-1) W^(l)T + b^(l)"
            x = np.asarray(xs[l], dtype=float)
            assert x.shape == want_x.shape and np.allclose(x, want_x, rtol=1e-10, atol=1e-12), \
                f"X{l} is wrong ({name}): hidden layers apply the activation, the last layer is linear"
