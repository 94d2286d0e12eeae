"""Hidden tests, task 3: backpropagation with biases, mean softmax cross-entropy."""

import numpy as np
import pytest

from course_lib import backprop as bp


def network(sizes, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    layers = [bp.Layer(layer.W, rng.normal(0.0, 0.3, layer.b.shape)) for layer in bp.init_mlp(sizes, seed=seed, scale=scale)]
    return [layer.W for layer in layers], [layer.b for layer in layers], layers


def variant(layers, X, y, name, mistake):
    """The gradient with one classic mistake, written out (the diagnosis of a failed comparison)."""
    act = bp.ACTIVATIONS[name]
    logits, cache = bp.forward(layers, X, name)
    _, delta = bp.cross_entropy(logits, y)
    if mistake == "sum":
        delta = delta * X.shape[0]
    grads = [None] * len(layers)
    for l in range(len(layers) - 1, -1, -1):
        dW = delta.T @ cache.xs[l]
        grads[l] = (dW.T if mistake == "dW transposed" and dW.shape[0] == dW.shape[1] else dW, delta.sum(axis=0))
        if l > 0:
            W = layers[l].W
            back = delta @ (W.T if mistake == "W transposed" and W.shape[0] == W.shape[1] else W)
            delta = back if mistake == "no derivative" else back * act.deriv(cache.us[l - 1], cache.xs[l])
    return grads


HINTS = {
    "no derivative": "the activation's derivative is missing: going down, multiply Delta W by sigma'(U) element-wise",
    "sum": "the gradient is B times too large: the loss is the mean over the batch, so Delta^(k) = (P - Y) / B",
    "W transposed": "a transpose is wrong going down: Delta^(l-1) = (Delta^(l) W^(l)) * sigma'(U^(l-1)), with W as stored (H_l, H_(l-1))",
    "dW transposed": "dW is transposed: dL/dW^(l) = Delta^(l)T X^(l-1) has the shape of W, (H_l, H_(l-1))",
}


def check(student, sizes, name, batch, seed, scale=1.0, data_scale=1.0):
    Ws, bs, layers = network(sizes, seed, scale)
    rng = np.random.default_rng(seed + 1000)
    X = rng.normal(0.0, data_scale, (batch, sizes[0]))
    y = rng.integers(0, sizes[-1], batch)
    got = student.backprop(Ws, bs, X, y, name)
    assert isinstance(got, (tuple, list)) and len(got) == 3, "return the triple (loss, dWs, dbs)"
    loss, dWs, dbs = got
    want_loss, grads = bp.backprop(layers, X, y, name)
    where = f"({len(sizes) - 1} layers of widths {sizes}, {name}, batch {batch})"
    assert np.isfinite(float(loss)) and all(np.all(np.isfinite(np.asarray(d, dtype=float))) for d in [*dWs, *dbs]), \
        f"not finite {where}: compute the softmax as exp(z - max z) / sum exp(z - max z)"
    assert np.isclose(float(loss), want_loss, rtol=1e-10), f"the loss is wrong {where}"
    assert len(dWs) == len(Ws) and len(dbs) == len(bs), f"one gradient per layer {where}"
    for l, (dW, db, g) in enumerate(zip(dWs, dbs, grads)):
        dW, db = np.asarray(dW, dtype=float), np.asarray(db, dtype=float)
        assert dW.shape == g.W.shape, f"dWs[{l}] should have the shape of Ws[{l}], {g.W.shape}, got {dW.shape} {where}"
        assert db.shape == g.b.shape, f"dbs[{l}] should have the shape of bs[{l}], {g.b.shape}, got {db.shape} {where}"
    ok = all(np.allclose(np.asarray(dW, dtype=float), g.W, rtol=1e-8, atol=1e-12) and
             np.allclose(np.asarray(db, dtype=float), g.b, rtol=1e-8, atol=1e-12) for dW, db, g in zip(dWs, dbs, grads))
    if not ok:
        for mistake, hint in HINTS.items():
            wrong = variant(layers, X, y, name, mistake)
            if all(np.allclose(np.asarray(dW, dtype=float), w[0], rtol=1e-8, atol=1e-12) for dW, w in zip(dWs, wrong)):
                pytest.fail(f"{hint} {where}")
        first = next(l for l, (dW, db, g) in enumerate(zip(dWs, dbs, grads))
                     if not (np.allclose(np.asarray(dW, dtype=float), g.W, rtol=1e-8, atol=1e-12)
                             and np.allclose(np.asarray(db, dtype=float), g.b, rtol=1e-8, atol=1e-12)))
        last_ok = all(np.allclose(np.asarray(dW, dtype=float), g.W, rtol=1e-8, atol=1e-12) for dW, g in zip(dWs[first:], grads[first:]))
        part = "the bias gradient" if last_ok else "the weight gradient"
        pytest.fail(f"{part} of layer {first + 1} is the first wrong one, counting from the input {where}")


@pytest.mark.points(1)
def test_one_layer(student):
    """a single linear layer (softmax regression): the output Delta and the gradients of W and b"""
    check(student, (5, 3), "tanh", 7, seed=1)
    check(student, (2, 4), "relu", 1, seed=2)


@pytest.mark.points(1)
def test_two_layers(student):
    """one hidden tanh or sigmoid layer, batch sizes 1, 6 and 33, non-square weights"""
    check(student, (4, 7, 3), "tanh", 6, seed=3)
    check(student, (3, 5, 2), "sigmoid", 1, seed=4)
    check(student, (6, 4, 5), "tanh", 33, seed=5)


@pytest.mark.points(2)
def test_deep_networks_every_activation(student):
    """three to five layers with tanh, sigmoid and relu, mixed widths"""
    check(student, (4, 6, 5, 3), "tanh", 8, seed=6)
    check(student, (3, 8, 2, 6, 4), "sigmoid", 5, seed=7)
    check(student, (5, 9, 7, 4, 6, 3), "relu", 12, seed=8)


@pytest.mark.points(1)
def test_equal_widths_and_large_logits(student):
    """square weight matrices (where a wrong transpose keeps the shapes), and logits in the
    thousands (an unstabilised softmax overflows)"""
    check(student, (4, 4, 4, 4), "tanh", 5, seed=9)
    check(student, (6, 6, 6), "relu", 4, seed=10)
    check(student, (3, 8, 4), "relu", 6, seed=11, scale=30.0, data_scale=20.0)
