"""Backpropagation (course_lib.backprop) against finite differences and closed forms."""

import mpmath as mp
import numpy as np
import pytest

from course_lib import autodiff as ad
from course_lib import backprop as bp
from conftest import central_gradient


def _problem(sizes, batch, seed, loss="cross_entropy"):
    rng = np.random.default_rng(seed)
    layers = bp.init_mlp(sizes, seed=seed)
    layers = [bp.Layer(W, rng.normal(scale=0.3, size=b.shape)) for W, b in layers]   # non-zero biases
    X = rng.normal(size=(batch, sizes[0]))
    if loss == "cross_entropy":
        targets = rng.integers(0, sizes[-1], batch)
    else:
        targets = rng.normal(size=(batch, sizes[-1]))
    return layers, X, targets


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "identity"])
@pytest.mark.parametrize("sizes,batch", [((3, 4, 2), 5), ((4, 6, 5, 3), 7), ((2, 3, 3, 3, 3, 4), 1)])
@pytest.mark.parametrize("loss", ["cross_entropy", "squared"])
def test_backprop_matches_finite_differences(activation, sizes, batch, loss):
    """Is every weight and bias gradient the derivative of the loss (central differences)?"""
    layers, X, targets = _problem(sizes, batch, seed=len(sizes) + batch, loss=loss)
    value, grads = bp.backprop(layers, X, targets, activation, loss)
    theta = bp.flatten(layers)
    f = lambda t: bp.loss_value(bp.unflatten(t, layers), X, targets, activation, loss)
    assert value == pytest.approx(f(theta))
    np.testing.assert_allclose(bp.flatten(grads), central_gradient(f, theta, h=1e-6), rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_naive_gradient_equals_backprop(activation):
    """Does the O(k^2 H^2) naive scheme give exactly the backprop gradient?"""
    layers, X, targets = _problem((5, 8, 8, 8, 3), 6, seed=2)
    v1, g1 = bp.backprop(layers, X, targets, activation)
    v2, g2 = bp.naive_gradient(layers, X, targets, activation)
    assert v1 == v2
    np.testing.assert_allclose(bp.flatten(g1), bp.flatten(g2), rtol=1e-12, atol=1e-15)


def test_two_layer_network_of_source_000():
    """Do eqs. 2.15-2.18 of source 000 (delta^(2) z^T, A^(1) W^(2)T delta^(2) x^T) give our gradient?"""
    rng = np.random.default_rng(4)
    D, M, K = 4, 6, 3
    W1, W2 = rng.normal(size=(M, D)), rng.normal(size=(K, M))
    x, y = rng.normal(size=D), 2
    z = 1 / (1 + np.exp(-(W1 @ x)))                           # sigma_1 = logistic, as in 000
    p = np.exp(W2 @ z) / np.exp(W2 @ z).sum()
    delta2 = p - np.eye(K)[y]                                 # softmax + cross-entropy
    delta1 = z * (1 - z) * (W2.T @ delta2)                    # eq. 2.18
    layers = [bp.Layer(W1, np.zeros(M)), bp.Layer(W2, np.zeros(K))]
    _, grads = bp.backprop(layers, x[None, :], np.array([y]), "sigmoid")
    np.testing.assert_allclose(grads[1].W, np.outer(delta2, z))
    np.testing.assert_allclose(grads[0].W, np.outer(delta1, x))


def test_softmax_and_cross_entropy_are_stable_and_correct():
    """Are softmax and cross-entropy right for huge logits, and is the gradient p - onehot over B?"""
    z = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    p = bp.softmax(z)
    assert np.all(np.isfinite(p)) and np.allclose(p.sum(axis=1), 1.0)
    loss, dz = bp.cross_entropy(z, np.array([0, 2]))
    expected = (0.0 + (np.log(np.exp([1.0, 2.0, 3.0]).sum()) - 3.0)) / 2
    assert loss == pytest.approx(expected)
    np.testing.assert_allclose(dz, (p - np.eye(3)[[0, 2]]) / 2)


def test_bad_input_is_reported():
    """Do wrong shapes, labels, activations and losses raise errors that say what to fix?"""
    layers = bp.init_mlp((3, 2))
    with pytest.raises(ValueError, match=r"shape \(B, 3\)"):
        bp.forward(layers, np.ones((2, 4)))
    with pytest.raises(ValueError, match="labels must lie"):
        bp.backprop(layers, np.ones((2, 3)), np.array([0, 5]))
    with pytest.raises(ValueError, match="Unknown activation"):
        bp.backprop(layers, np.ones((2, 3)), np.array([0, 1]), activation="swish")
    with pytest.raises(ValueError, match="Unknown loss"):
        bp.backprop(layers, np.ones((2, 3)), np.array([0, 1]), loss="hinge")
    with pytest.raises(ValueError, match="at least two"):
        bp.init_mlp((3,))


# --------------------------------------------------------------------------- saturated units


def _saturated_network():
    """Hidden pre-activations from 4.75 to 53.5 in size, both signs, computed exactly (small dyadic
    weights and inputs, no bias); positive output weights and a target far below the output, so
    that no sum in the gradient cancels and its exact value is well conditioned."""
    X = np.array([[1.0, 2.0, 0.5], [2.0, 1.0, 1.0], [0.5, 0.5, 2.0]])
    W1 = np.array([[12.0, 18.0, 9.0], [-10.0, -8.0, -6.0], [3.0, 2.5, 1.0], [-12.0, -9.5, -20.0]])
    W2 = np.array([[0.5, 0.25, 0.75, 1.0]])
    layers = [bp.Layer(W1, np.zeros(4)), bp.Layer(W2, np.zeros(1))]
    return layers, X, np.full((3, 1), -10.0)


def _mp_gradient(layers, X, targets, activation):
    """The squared-loss gradient of a one-hidden-layer network in mpmath (60 digits), from the
    definitions: tanh' = 1/cosh^2, sigmoid' = e^-u / (1 + e^-u)^2."""
    (W1, _), (W2, _) = layers
    f, df = {"tanh": (mp.tanh, lambda u: 1 / mp.cosh(u) ** 2),
             "sigmoid": (lambda u: 1 / (1 + mp.exp(-u)), lambda u: mp.exp(-u) / (1 + mp.exp(-u)) ** 2)}[activation]
    B, (H, D) = len(X), W1.shape
    gW1, gb1 = mp.zeros(H, D), mp.zeros(H, 1)
    gW2, gb2 = mp.zeros(1, H), mp.mpf(0)
    for n in range(B):
        u = [mp.fsum(mp.mpf(W1[j, k]) * mp.mpf(X[n, k]) for k in range(D)) for j in range(H)]
        h = [f(v) for v in u]
        r = mp.fsum(mp.mpf(W2[0, j]) * h[j] for j in range(H)) - mp.mpf(targets[n, 0])
        gb2 += r / B
        for j in range(H):
            gW2[0, j] += r / B * h[j]
            d = df(u[j]) * mp.mpf(W2[0, j]) * r / B
            gb1[j] += d
            for k in range(D):
                gW1[j, k] += d * mp.mpf(X[n, k])
    return [gW1, gb1, gW2, gb2]


def _worst_relative_error(got, want):
    got = [np.atleast_2d(np.asarray(g, dtype=float)) for g in got]
    want = [w if isinstance(w, mp.matrix) else mp.matrix([[w]]) for w in want]
    errors = []
    for g, w in zip(got, want):
        g = g.reshape(w.rows, w.cols)
        errors += [abs((mp.mpf(float(g[i, j])) - w[i, j]) / w[i, j]) for i in range(w.rows) for j in range(w.cols)]
    return float(max(errors))


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_saturated_units_keep_their_gradient(activation):
    """Does backprop (and reverse-mode autodiff on the same loss) give every gradient entry of a
    network whose hidden units saturate (|u| up to 53.5) to 1e-13 relative, against mpmath? With
    1 - x^2 and x (1 - x) the saturated units' entries were 0 or wrong in the first digit.
    Rounding costs at most a few units of 2^-53 per operation here, about 1e-15 in all."""
    layers, X, targets = _saturated_network()
    with mp.workdps(60):
        want = _mp_gradient(layers, X, targets, activation)
        _, grads = bp.backprop(layers, X, targets, activation, loss="squared")
        got = [grads[0].W, grads[0].b, grads[1].W, grads[1].b]
        assert _worst_relative_error(got, want) <= 1e-13

        act = {"tanh": ad.tanh, "sigmoid": ad.sigmoid}[activation]

        def loss(W1, b1, W2, b2):
            r = act(X @ W1.T + b1) @ W2.T + b2 - targets
            return ad.sum(r * r) / (2 * len(X))

        got = ad.grad(loss, argnums=(0, 1, 2, 3))(*[a for layer in layers for a in layer])
        assert _worst_relative_error(got, want) <= 1e-13
