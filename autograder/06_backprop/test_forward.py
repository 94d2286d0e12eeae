"""Hidden tests, task 2: the forward pass."""

import numpy as np
import pytest

from course_lib import backprop as bp


def network(sizes, seed):
    rng = np.random.default_rng(seed)
    layers = [bp.Layer(layer.W, rng.normal(0.0, 0.3, layer.b.shape)) for layer in bp.init_mlp(sizes, seed=seed)]
    return [layer.W for layer in layers], [layer.b for layer in layers], layers


@pytest.mark.points(1)
def test_forward_matches_on_new_networks(student):
    """pre-activations and outputs equal the reference for 1 to 4 layers, every activation, batch
    sizes 1 to 9 and non-square layers"""
    cases = [((4, 3), "tanh", 1), ((2, 5, 3), "sigmoid", 9), ((3, 6, 6, 2), "relu", 4), ((5, 2, 7, 3, 4), "tanh", 3)]
    for k, (sizes, name, batch) in enumerate(cases):
        Ws, bs, layers = network(sizes, 70 + k)
        X = np.random.default_rng(k).normal(size=(batch, sizes[0]))
        got = student.forward(Ws, bs, X, name)
        assert isinstance(got, (tuple, list)) and len(got) == 2, "return the pair (us, xs)"
        us, xs = got
        _, cache = bp.forward(layers, X, name)
        assert len(us) == len(sizes) - 1 and len(xs) == len(sizes), \
            f"a network with {len(sizes) - 1} layers has {len(sizes) - 1} pre-activations and {len(sizes)} outputs (X0 = X included)"
        for l, (u, want) in enumerate(zip(us, cache.us), start=1):
            u = np.asarray(u, dtype=float)
            assert u.shape == want.shape, f"U{l} should have shape {want.shape} (batch, width), got {u.shape}"
            assert np.allclose(u, want, rtol=1e-10, atol=1e-12), f"U{l} is wrong ({len(sizes) - 1} layers, {name})"
        for l, (x, want) in enumerate(zip(xs, cache.xs)):
            x = np.asarray(x, dtype=float)
            assert x.shape == want.shape and np.allclose(x, want, rtol=1e-10, atol=1e-12), \
                f"X{l} is wrong ({len(sizes) - 1} layers, {name}); the last layer is linear"
