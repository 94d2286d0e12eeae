"""Backpropagation (course_lib.backprop) against finite differences and closed forms."""

import numpy as np
import pytest

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
