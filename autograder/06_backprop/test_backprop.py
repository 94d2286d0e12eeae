"""Hidden tests, task 3: backpropagation with biases, mean softmax cross-entropy.

Graded on its own: ``backprop`` usually calls the student's ``forward`` and ``activation``, which
tasks 1 and 2 grade. A result is accepted when it is what the task's steps 1-3 give on top of the
reference forward pass, OR on top of the student's own forward pass and derivative (so a mistake
in an earlier task is not charged here a second time). Hints describe the mistake; no message
shows a hidden input or an expected value.
"""

import numpy as np
import pytest

from course_lib import backprop as bp


def network(sizes, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    layers = [bp.Layer(layer.W, rng.normal(0.0, 0.3, layer.b.shape)) for layer in bp.init_mlp(sizes, seed=seed, scale=scale)]
    return [layer.W for layer in layers], [layer.b for layer in layers], layers


def backward(Ws, xs, us, y, deriv, mistake=None):
    """Steps 1-3 of the task on given forward values (xs = [X0..Xk], us = [U1..Uk]), with
    ``deriv(l)`` = sigma'(us[l]); ``mistake`` writes out one classic mistake instead."""
    loss, delta = bp.cross_entropy(xs[-1], y)
    B = xs[0].shape[0]
    if mistake == "sum":
        delta = delta * B
    k = len(Ws)
    dWs, dbs = [None] * k, [None] * k
    for l in range(k - 1, -1, -1):
        dW = delta.T @ xs[l]
        dWs[l] = dW.T if mistake == "dW transposed" and dW.shape[0] == dW.shape[1] else dW
        dbs[l] = {"db mean": delta.mean(axis=0), "db times B": B * delta.sum(axis=0)}.get(mistake, delta.sum(axis=0))
        if l > 0:
            W = Ws[l]
            back = delta @ (W.T if mistake == "W transposed" and W.shape[0] == W.shape[1] else W)
            if mistake == "no derivative":
                delta = back
            elif mistake == "derivative at X":
                delta = back * deriv(l - 1, at_output=True)
            else:
                delta = back * deriv(l - 1)
    return loss, dWs, dbs


WEIGHT_HINTS = {
    "no derivative": "the activation's derivative is missing: going down, multiply Delta W by sigma'(U) element-wise",
    "derivative at X": "sigma' is taken at the wrong place: use sigma'(U^(l-1)) of the pre-activation, not sigma' of the "
                       "layer's output X^(l-1)",
    "sum": "the gradient is B times too large: the loss is the mean over the batch, so Delta^(k) = (P - Y) / B",
    "W transposed": "a transpose is wrong going down: Delta^(l-1) = (Delta^(l) W^(l)) * sigma'(U^(l-1)), with W as stored "
                    "(H_l, H_(l-1))",
    "dW transposed": "dW is transposed: dL/dW^(l) = Delta^(l)T X^(l-1) has the shape of W, (H_l, H_(l-1))",
}
BIAS_HINTS = {
    "db mean": "the bias gradient is B times too small: dL/db^(l) is the SUM of the rows of Delta^(l) (the 1/B of "
               "the mean loss is already in Delta^(k)), not their mean",
    "db times B": "the bias gradient is B times too large: the loss is a mean, so the bias gradient carries the same "
                  "1/B as the weight gradient",
}


def _close(a, b):
    return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-8, atol=1e-12)


def _bases(student, Ws, bs, layers, X, y, name):
    """Forward values the task's backward steps may legitimately run on: the reference forward pass with the
    reference derivative first, then the student's own forward pass and/or derivative (tasks 1-2)."""
    act = bp.ACTIVATIONS[name]
    _, cache = bp.forward(layers, X, name)

    def mine(us, xs, l, at_output=False):   # the student's sigma' (task 1)
        return np.asarray(student.activation(name, xs[l + 1] if at_output else us[l])[1], dtype=float)

    yield cache.xs, cache.us, lambda l, at_output=False: (
        act.deriv(cache.xs[l + 1], act.fun(cache.xs[l + 1])) if at_output else act.deriv(cache.us[l], cache.xs[l + 1]))
    try:
        us_s, xs_s = student.forward(Ws, bs, X, name)
        us_s = [np.asarray(u, dtype=float) for u in us_s]
        xs_s = [np.asarray(x, dtype=float) for x in xs_s]
        if len(us_s) != len(Ws) or len(xs_s) != len(Ws) + 1:
            raise ValueError("not a forward pass")
    except Exception:
        us_s = xs_s = None
    if xs_s is not None:
        yield xs_s, us_s, lambda l, at_output=False: mine(us_s, xs_s, l, at_output)
        yield xs_s, us_s, lambda l, at_output=False: (
            act.deriv(xs_s[l + 1], act.fun(xs_s[l + 1])) if at_output else act.deriv(us_s[l], act.fun(us_s[l])))
    yield cache.xs, cache.us, lambda l, at_output=False: mine(cache.us, cache.xs, l, at_output)


def _matches(loss, dWs, dbs, want):
    want_loss, want_dWs, want_dbs = want
    return (np.isclose(float(loss), want_loss, rtol=1e-10)
            and all(_close(a, b) for a, b in zip(dWs, want_dWs)) and all(_close(a, b) for a, b in zip(dbs, want_dbs)))


def check(student, sizes, name, batch, seed, scale=1.0, data_scale=1.0):
    Ws, bs, layers = network(sizes, seed, scale)
    rng = np.random.default_rng(seed + 1000)
    X = rng.normal(0.0, data_scale, (batch, sizes[0]))
    y = rng.integers(0, sizes[-1], batch)
    got = student.backprop(Ws, bs, X, y, name)
    assert isinstance(got, (tuple, list)) and len(got) == 3, "return the triple (loss, dWs, dbs)"
    loss, dWs, dbs = got
    where = f"({len(sizes) - 1} layer{'s' if len(sizes) > 2 else ''}, {name})"
    assert isinstance(dWs, (list, tuple)) and isinstance(dbs, (list, tuple)), "dWs and dbs should be lists of arrays"
    assert len(dWs) == len(Ws) and len(dbs) == len(bs), f"one weight and one bias gradient per layer {where}"
    dWs = [np.asarray(d, dtype=float) for d in dWs]
    dbs = [np.asarray(d, dtype=float) for d in dbs]
    for l, (dW, db, W, b) in enumerate(zip(dWs, dbs, Ws, bs)):
        if dW.shape != W.shape and dW.shape == W.shape[::-1]:
            pytest.fail(f"dWs[{l}] has the shape of Ws[{l}] transposed: dL/dW^(l) = Delta^(l)T X^(l-1) {where}")
        assert dW.shape == W.shape, f"dWs[{l}] should have the shape of Ws[{l}], (H_l, H_(l-1)) {where}"
        assert db.shape == b.shape, (f"dbs[{l}] should have the shape of bs[{l}], one entry per unit: sum Delta over "
                                     f"the batch (axis 0) {where}")
    grads_finite = all(np.all(np.isfinite(d)) for d in [*dWs, *dbs])
    if not grads_finite:
        pytest.fail(f"the gradient is not finite {where}: compute the softmax as exp(z - max z) / sum exp(z - max z)")
    if not np.isfinite(float(loss)):
        pytest.fail(f"the loss is not finite {where}: with logits in the thousands a probability rounds to 0 and its log "
                    "is -inf; compute the loss as mlp_loss does, log sum_j exp(z_j - max z) - (z_y - max z)")
    bases = []
    for xs, us, deriv in _bases(student, Ws, bs, layers, X, y, name):
        try:
            base = (xs, us, deriv, backward(Ws, xs, us, y, deriv))
        except Exception:  # the student's forward pass or derivative is unusable: not a base
            continue
        if _matches(loss, dWs, dbs, base[3]):
            return
        bases.append(base)
    # no base explains the result: diagnose against the one whose loss matches (else the reference)
    same_loss = [base for base in bases if np.isclose(float(loss), base[3][0], rtol=1e-10)]
    if not same_loss:
        if np.isclose(float(loss), batch * bases[0][3][0], rtol=1e-8) and batch > 1:
            pytest.fail(f"the loss is B times too large {where}: it is the MEAN of the cross-entropies over the batch")
        pytest.fail(f"the loss should equal mlp_loss {where}: the mean over the batch of log sum_j exp(z_j) - z_y, "
                    "computed from the logits shifted by their row maximum (not as -log p, which can round to 0)")
    xs, us, deriv, (_, want_dWs, want_dbs) = same_loss[0]
    weights_ok = [_close(a, b) for a, b in zip(dWs, want_dWs)]
    if not all(weights_ok):
        for mistake, hint in WEIGHT_HINTS.items():
            try:
                wrong = backward(Ws, xs, us, y, deriv, mistake)
            except Exception:
                continue
            if all(_close(a, b) for a, b in zip(dWs, wrong[1])):
                pytest.fail(f"{hint} {where}")
        first = weights_ok.index(False)
        pytest.fail(f"the weight gradient of layer {first + 1} (counting from the input) is the first wrong one {where}")
    for mistake, hint in BIAS_HINTS.items():
        wrong = backward(Ws, xs, us, y, deriv, mistake)
        if all(_close(a, b) for a, b in zip(dbs, wrong[2])):
            pytest.fail(f"{hint} {where}")
    first = [_close(a, b) for a, b in zip(dbs, want_dbs)].index(False)
    pytest.fail(f"the weights are right, but the bias gradient of layer {first + 1} (counting from the input) is wrong "
                f"{where}: dL/db^(l) = sum over the batch of the rows of Delta^(l)")


@pytest.mark.points(1)
def test_one_layer(student):
    """a single linear layer (softmax regression): the output Delta and the gradients of W and b"""
    check(student, (5, 3), "tanh", 7, seed=1)
    check(student, (2, 4), "relu", 1, seed=2)


@pytest.mark.points(1)
def test_two_layers(student):
    """one hidden tanh or sigmoid layer, batches of one to a few dozen examples, non-square weights"""
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
    thousands (an unstabilised softmax overflows, -log p underflows)"""
    check(student, (4, 4, 4, 4), "tanh", 5, seed=9)
    check(student, (6, 6, 6), "relu", 4, seed=10)
    check(student, (3, 8, 4), "relu", 6, seed=11, scale=30.0, data_scale=20.0)
