"""Tests of course_lib.landscapes (chapter 10) against independent oracles.

Oracles: the tent map written as min(2x, 2 - 2x), the normal equations of least squares,
scipy's numerical integration for the fraction of positive definite 2 x 2 matrices, closed-form
Hessians, plain-Python loops for source 004's losses, and course_lib.optim's gradient descent.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib import landscapes as ls
from course_lib.backprop import Layer, cross_entropy, forward, init_mlp, loss_value
from course_lib.optim import gradient_descent, run
from autograder.statcheck import Z_MAX


def tent_power(x, k):
    """The k-fold tent map by its definition."""
    for _ in range(k):
        x = np.minimum(2 * x, 2 - 2 * x)
    return x


# ----------------------------------------------------------------------------- representation


@pytest.mark.parametrize("k", [1, 2, 3, 5, 8])
def test_tent_network_computes_the_tent_map(k):
    """Does the ReLU network with k hidden layers compute t(t(...t(x))) on [0, 1], with 2k hidden units?"""
    layers = ls.tent_map_network(k)
    assert len(layers) == k + 1 and sum(layer.W.shape[0] for layer in layers[:-1]) == 2 * k
    x = np.random.default_rng(k).uniform(0, 1, 200)
    out = forward(layers, x[:, None], "relu")[0][:, 0]
    np.testing.assert_allclose(out, tent_power(x, k), rtol=0, atol=1e-12)


@pytest.mark.parametrize("k", [1, 2, 4, 7])
def test_tent_map_has_two_to_the_k_pieces(k):
    """Does the piece counter find 2^k pieces on a dyadic grid (every breakpoint a grid point)?"""
    x = np.linspace(0, 1, 2 ** (k + 3) + 1)
    assert ls.count_linear_pieces(x, tent_power(x, k)) == 2 ** k


def test_piece_counter_on_known_functions():
    """Are a line (1 piece), |x - 1/2| (2) and an interpolant with 4 breakpoints (5) counted right?"""
    x = np.linspace(0, 1, 101)
    assert ls.count_linear_pieces(x, 3 * x - 1) == 1
    assert ls.count_linear_pieces(x, np.abs(x - 0.5)) == 2
    knots = [0.0, 0.2, 0.4, 0.5, 0.8, 1.0]
    assert ls.count_linear_pieces(x, np.interp(x, knots, [0, 1, -1, 2, 2.5, 0])) == 5


def test_shallow_relu_network_has_at_most_width_plus_one_pieces():
    """Does a random one-hidden-layer ReLU net with m units have at most m + 1 pieces (the bound the chapter uses)?"""
    for m in (3, 7, 15):
        net = init_mlp((1, m, 1), seed=m)
        x = np.sort(np.concatenate([np.linspace(-3, 3, 2001),
                                    np.clip(-net[0].b / net[0].W[:, 0], -3, 3)]))   # breakpoints on the grid
        y = forward(net, x[:, None], "relu")[0][:, 0]
        assert ls.count_linear_pieces(np.unique(x), np.interp(np.unique(x), x, y)) <= m + 1


def test_random_feature_fit_solves_the_least_squares_problem():
    """Is the output layer the least-squares optimum (residual orthogonal to every feature and to 1)?"""
    x = np.linspace(-1, 2, 300)
    y = np.exp(np.sin(2 * x))
    layers = ls.random_feature_fit(x, y, 12, seed=3)
    hidden = np.tanh(x[:, None] * layers[0].W[:, 0] + layers[0].b)
    A = np.column_stack([hidden, np.ones_like(x)])
    residual = forward(layers, x[:, None])[0][:, 0] - y
    assert np.max(np.abs(A.T @ residual)) < 1e-8 * np.linalg.norm(A) * np.linalg.norm(y)


def test_random_feature_fit_error_falls_with_width():
    """Does the sup error on a fine grid fall by a factor 10 from 4 to 64 ReLU units (median of 3 seeds)?"""
    x = np.linspace(0, 1, 1025)
    f = lambda t: np.sin(2 * np.pi * t) + 0.5 * np.abs(t - 0.3)
    xt = np.linspace(0, 1, 4001)

    def error(m):
        return np.median([np.max(np.abs(forward(ls.random_feature_fit(x, f(x), m, "relu", seed=s), xt[:, None], "relu")[0][:, 0]
                                        - f(xt))) for s in range(3)])
    assert error(64) < 0.1 * error(4)


# ----------------------------------------------------------------------------- symmetries


@pytest.fixture
def net():
    return init_mlp((3, 5, 2), seed=7)


def test_permutation_leaves_outputs_and_loss_unchanged(net):
    """Do permuted hidden units compute the same outputs and the same loss, with other parameters?"""
    X = np.random.default_rng(0).normal(size=(20, 3))
    labels = np.arange(20) % 2
    perm = [3, 0, 4, 1, 2]
    new = ls.permute_hidden(net, perm)
    for act in ("tanh", "relu", "sigmoid"):
        np.testing.assert_allclose(forward(new, X, act)[0], forward(net, X, act)[0], rtol=1e-13, atol=1e-14)
    assert loss_value(new, X, labels) == pytest.approx(loss_value(net, X, labels), rel=1e-13)
    assert not np.allclose(new[0].W, net[0].W)
    np.testing.assert_array_equal(new[0].W[1], net[0].W[0])          # unit 0 moved to place 1


def test_sign_flip_is_a_symmetry_of_tanh_only(net):
    """Does flipping signs keep a tanh network's function, and change a sigmoid network's (not odd)?"""
    X = np.random.default_rng(1).normal(size=(20, 3))
    new = ls.flip_signs(net, [1, -1, 1, -1, -1])
    np.testing.assert_allclose(forward(new, X, "tanh")[0], forward(net, X, "tanh")[0], rtol=1e-13, atol=1e-14)
    assert not np.allclose(forward(new, X, "sigmoid")[0], forward(net, X, "sigmoid")[0])


def test_rescaling_is_a_symmetry_of_relu_only(net):
    """Does a positive rescaling keep a ReLU network's function, and change a tanh network's?"""
    X = np.random.default_rng(2).normal(size=(20, 3))
    new = ls.rescale_hidden(net, [0.5, 2.0, 3.0, 1.0, 10.0])
    np.testing.assert_allclose(forward(new, X, "relu")[0], forward(net, X, "relu")[0], rtol=1e-12, atol=1e-14)
    assert not np.allclose(forward(new, X, "tanh")[0], forward(net, X, "tanh")[0])


def test_symmetries_do_not_modify_their_input(net):
    """Are the caller's layers left untouched?"""
    before = [(W.copy(), b.copy()) for W, b in net]
    ls.permute_hidden(net, [4, 3, 2, 1, 0])
    ls.flip_signs(net, [-1] * 5)
    ls.rescale_hidden(net, [2.0] * 5)
    for (W, b), (W0, b0) in zip(net, before):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)


@pytest.mark.parametrize("call, match", [
    (lambda n: ls.permute_hidden(n, [0, 0, 1, 2, 3]), "perm must be a permutation"),
    (lambda n: ls.permute_hidden(n, [0, 1, 2]), "perm must be a permutation"),
    (lambda n: ls.flip_signs(n, [1, 2, 1, 1, 1]), "signs must hold 5"),
    (lambda n: ls.rescale_hidden(n, [1, 1, 0, 1, 1]), "scales must hold 5 positive"),
    (lambda n: ls.permute_hidden(n, [0, 1, 2, 3, 4], layer=2), "layer must index a hidden layer"),
])
def test_symmetries_reject_bad_arguments(net, call, match):
    """Are wrong permutations, signs, scales and layer indices refused with a message naming the parameter?"""
    with pytest.raises(ValueError, match=match):
        call(net)


# ----------------------------------------------------------------------------- critical points


def rotated(eigenvalues, seed):
    Q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(len(eigenvalues),) * 2))
    return Q @ np.diag(eigenvalues) @ Q.T


@pytest.mark.parametrize("eigenvalues, kind", [
    ([3.0, 1.0, 0.5], "minimum"), ([-1.0, -2.0], "maximum"), ([2.0, -1.0], "strict saddle"),
    ([1.0, 0.0, -1.0], "strict saddle"), ([1.0, 0.0], "degenerate"), ([0.0, -2.0], "degenerate"),
    ([0.0, 0.0], "degenerate"), ([3.0, 1e-10], "degenerate"), ([3.0, 1e-6], "minimum"),
])
def test_classification_from_known_spectra(eigenvalues, kind):
    """Is the verdict right for rotated diagonal Hessians, zero eigenvalues meaning |lambda| <= 1e-8?"""
    assert ls.classify_critical_point(rotated(eigenvalues, len(eigenvalues)), tol=1e-8) == kind


def test_classification_of_the_chapter_examples():
    """(1 - w1 w2)^2: the origin (H = [[0, -2], [-2, 0]]) is a strict saddle, a point of w1 w2 = 1 degenerate."""
    assert ls.classify_critical_point(np.array([[0.0, -2.0], [-2.0, 0.0]])) == "strict saddle"
    w1, w2 = 2.0, 0.5
    H = np.array([[2 * w2**2, 4 * w1 * w2 - 2], [4 * w1 * w2 - 2, 2 * w1**2]])
    assert ls.classify_critical_point(H) == "degenerate"


@pytest.mark.parametrize("H, match", [(np.ones((2, 3)), "square"), (np.array([[1.0, 2.0], [0.0, 1.0]]), "symmetric"),
                                      (np.array([[np.nan]]), "inf or nan")])
def test_classification_rejects_bad_matrices(H, match):
    """Are non-square, non-symmetric and non-finite matrices refused?"""
    with pytest.raises(ValueError, match=match):
        ls.classify_critical_point(H)


def test_fraction_positive_definite_matches_integrals():
    """Within 5.73 standard errors: 1/2 for D = 1, and for D = 2 the integral
    P(a > 0, c > 0, b^2 < ac) = int int phi(a) phi(c) erf(sqrt(ac)) (b ~ N(0, 1/2)), computed by scipy,
    which equals (2 - sqrt 2) / 4."""
    from scipy import integrate, special, stats

    n = 40000
    exact2, _ = integrate.dblquad(lambda a, c: stats.norm.pdf(a) * stats.norm.pdf(c) * special.erf(np.sqrt(a * c)),
                                  0, np.inf, 0, np.inf)
    assert exact2 == pytest.approx((2 - math.sqrt(2)) / 4, rel=1e-6)
    for dim, p in ((1, 0.5), (2, exact2)):
        got = ls.fraction_positive_definite(dim, n, seed=11)
        assert abs(got - p) < Z_MAX * math.sqrt(p * (1 - p) / n)


def test_fraction_positive_definite_falls_fast():
    """Is the fraction below 1% from D = 4 on (the exact value is about 0.3%)?"""
    assert ls.fraction_positive_definite(4, 20000, seed=0) < 0.01


def saddle_loss_grad(w):
    """(1 - w1 w2)^2, source 001's one-unit linear network."""
    r = 1 - w[0] * w[1]
    return np.array([-2 * w[1] * r, -2 * w[0] * r])


def test_perturbed_gd_without_radius_is_gradient_descent():
    """With r = 0, is it course_lib.optim's gradient descent, iterate for iterate (stuck at the saddle)?"""
    x0 = np.array([0.0, 0.0])
    out = ls.perturbed_gd(saddle_loss_grad, x0, 0.1, 50, radius=0.0, grad_threshold=1.0)
    np.testing.assert_array_equal(out.path, run(gradient_descent(0.1), saddle_loss_grad, x0, 50))
    assert out.kicks == []


def test_perturbed_gd_escapes_the_strict_saddle():
    """From the saddle at the origin, does every one of 20 seeded runs reach the valley w1 w2 = 1?"""
    for seed in range(20):
        out = ls.perturbed_gd(saddle_loss_grad, [0.0, 0.0], 0.1, 200, radius=0.01, grad_threshold=1e-3, seed=seed)
        w = out.path[-1]
        assert (1 - w[0] * w[1]) ** 2 < 1e-3          # from 1 at the saddle; kicks of 0.01 keep it near the valley
        assert out.kicks[0] == 0


def test_perturbed_gd_kicks_are_in_the_ball_and_spaced():
    """Are kicks no longer than r, only where the gradient is small, and at least `wait` steps apart?"""
    zero = lambda x: np.zeros_like(x)
    out = ls.perturbed_gd(zero, np.zeros(3), 0.1, 100, radius=0.5, grad_threshold=1e-3, wait=7, seed=0)
    steps = np.linalg.norm(np.diff(out.path, axis=0), axis=1)
    assert np.all(steps[out.kicks] <= 0.5) and np.all(steps[out.kicks] > 0)
    assert np.all(np.diff(out.kicks) == 8)
    far = ls.perturbed_gd(lambda x: x, np.ones(2) * 10, 0.01, 20, radius=0.5, grad_threshold=1e-3)
    assert far.kicks == []


@pytest.mark.parametrize("kwargs, match", [({"learning_rate": 0.0}, "learning_rate"), ({"radius": -1.0}, "radius"),
                                           ({"grad_threshold": np.nan}, "grad_threshold"), ({"wait": 0}, "wait"),
                                           ({"num_steps": 2.5}, "num_steps")])
def test_perturbed_gd_rejects_bad_arguments(kwargs, match):
    """Are impossible rates, radii, thresholds and counts refused, naming the parameter?"""
    args = {"learning_rate": 0.1, "num_steps": 5, "radius": 0.1, "grad_threshold": 0.1, **kwargs}
    with pytest.raises(ValueError, match=match):
        ls.perturbed_gd(saddle_loss_grad, [0.0, 0.0], **args)


# ----------------------------------------------------------------------------- ill-conditioning


def test_second_order_terms_exact_on_a_quadratic():
    """On C = theta^T A theta / 2, are the terms eta g^T g and eta^2/2 g^T A g (closed form)?"""
    A = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 1.0]])
    theta = np.array([1.0, -2.0, 0.5])
    g = A @ theta
    first, second = ls.second_order_terms(lambda t: A @ t, theta, 0.3)
    assert first == pytest.approx(0.3 * g @ g, rel=1e-14)
    assert second == pytest.approx(0.045 * g @ A @ g, rel=1e-8)


def test_second_order_terms_predict_the_change_of_a_smooth_function():
    """On C = sum cos(theta_i) + (sum theta)^2 / 4, does C(theta - eta g) - C(theta) match -first + second to O(eta^3)?"""
    C = lambda t: np.sum(np.cos(t)) + np.sum(t) ** 2 / 4
    grad = lambda t: -np.sin(t) + np.sum(t) / 2
    theta = np.array([0.3, 1.1, -0.7])
    for eta in (1e-2, 5e-3):
        first, second = ls.second_order_terms(grad, theta, eta)
        change = C(theta - eta * grad(theta)) - C(theta)
        assert abs(change - (-first + second)) < 10 * eta**3
        hess = np.diag(-np.cos(theta)) + 0.5
        g = grad(theta)
        assert second == pytest.approx(0.5 * eta**2 * g @ hess @ g, rel=1e-7)


# ----------------------------------------------------------------------------- source 004, Figure 4.5


def test_sigmoid_chain_losses_against_loops_and_backprop():
    """Do the two losses match a plain loop, and the cross-entropy backprop's softmax loss on logits (0, z)?"""
    rng = np.random.default_rng(5)
    x = rng.normal(size=15)
    y = (rng.uniform(size=15) < 0.5).astype(int)
    w1, w2 = np.array([[-3.0, 0.5], [2.0, 7.0]]), np.array([[1.5, -4.0], [0.0, 9.0]])
    sq, ce = ls.sigmoid_chain_losses(w1, w2, x, y)
    for i in range(2):
        for j in range(2):
            yhat = [1 / (1 + math.exp(-w2[i, j] / (1 + math.exp(-w1[i, j] * xi)))) for xi in x]
            want_sq = sum((yi - p) ** 2 for yi, p in zip(y, yhat)) / len(x)
            want_ce = -sum(yi * math.log(p) + (1 - yi) * math.log(1 - p) for yi, p in zip(y, yhat)) / len(x)
            assert sq[i, j] == pytest.approx(want_sq, rel=1e-12)
            assert ce[i, j] == pytest.approx(want_ce, rel=1e-12)
            layers = [Layer(np.array([[w1[i, j]]]), np.zeros(1)), Layer(np.array([[0.0], [w2[i, j]]]), np.zeros(2))]
            assert ce[i, j] == pytest.approx(loss_value(layers, x[:, None], y, "sigmoid"), rel=1e-12)


@pytest.mark.parametrize("call, match", [
    (lambda: ls.sigmoid_chain_losses(np.zeros(2), np.zeros(3), [1.0], [1]), "same shape"),
    (lambda: ls.sigmoid_chain_losses(0.0, 0.0, [1.0], [2]), "labels 0 or 1"),
    (lambda: ls.count_linear_pieces([0.0, 2.0, 1.0], [0.0, 1.0, 2.0]), "strictly increasing"),
    (lambda: ls.random_feature_fit([0.0, 1.0], [0.0, 1.0], 0), "width"),
    (lambda: ls.random_feature_fit([0.0, np.inf], [0.0, 1.0], 3), "non-finite"),
    (lambda: ls.tent_map_network(0), "k must be"),
    (lambda: ls.fraction_positive_definite(0), "dim"),
])
def test_bad_inputs_are_refused_with_clear_messages(call, match):
    """Do mismatched shapes, bad labels, unsorted samples, non-finite values and zero sizes raise ValueError?"""
    with pytest.raises(ValueError, match=match):
        call()


def test_cross_entropy_is_two_class_softmax():
    """Is the binary cross-entropy of z the softmax cross-entropy of logits (0, z) (the identity the test above uses)?"""
    z = np.array([-30.0, -1.0, 0.0, 2.0, 40.0])
    y = np.array([1, 0, 1, 1, 0])
    loss, _ = cross_entropy(np.column_stack([np.zeros_like(z), z]), y)
    assert loss == pytest.approx(np.mean(np.logaddexp(0, z) - y * z), rel=1e-13)
