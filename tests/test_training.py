"""Tests of course_lib.training (chapter 11) against independent oracles: closed forms, central
finite differences, hand-unrolled recursions, PyTorch's documented ReduceLROnPlateau logic
written out here, and sampling statistics with tolerances from the standard error."""

from __future__ import annotations

import math

import numpy as np
import pytest

from conftest import central_gradient
from course_lib import training as tr
from course_lib.convexity import least_squares_hessian
from course_lib.optim import delta_bar_delta, gradient_descent, momentum, run, scheduled_momentum
from course_lib.schedules import exponential_decay, linear_warmup, momentum_warmup, reduce_on_plateau


# --------------------------------------------------------------------------- clipping


def test_clip_by_norm_keeps_direction_and_bounds_length():
    """Is norm clipping a positive multiple of g with norm min(||g||, tau), input untouched?"""
    rng = np.random.default_rng(1)
    for _ in range(50):
        g = rng.normal(size=7) * rng.uniform(0.1, 10)
        keep = g.copy()
        tau = rng.uniform(0.5, 5)
        c = tr.clip_by_norm(g, tau)
        assert np.array_equal(g, keep)
        assert np.isclose(np.linalg.norm(c), min(np.linalg.norm(g), tau), rtol=1e-13)
        cos = c @ g / (np.linalg.norm(c) * np.linalg.norm(g))
        assert cos == pytest.approx(1.0, abs=1e-13)


def test_clip_by_norm_is_identity_below_threshold_and_a_copy():
    """Below the threshold is the gradient returned unchanged, as a new array?"""
    g = np.array([0.3, -0.4])
    c = tr.clip_by_norm(g, 1.0)
    assert np.array_equal(c, g) and c is not g


def test_clip_by_value_entries_and_direction_change():
    """Does value clipping bound each entry by tau, keep small entries, and turn the direction
    when only some entries are clipped (the chapter's claim)?"""
    g = np.array([-51.0, 0.47])
    keep = g.copy()
    c = tr.clip_by_value(g, 1.0)
    assert np.array_equal(g, keep)
    assert np.array_equal(c, [-1.0, 0.47])
    cos = c @ g / (np.linalg.norm(c) * np.linalg.norm(g))
    assert cos < 0.95


def test_clipped_optimizer_feeds_clipped_gradients():
    """Is clipped(gradient_descent) the same as descent on the clipped gradient?"""
    opt = tr.clipped(gradient_descent(0.5), "norm", 2.0)
    u, _ = opt.update(np.array([6.0, 8.0]), opt.init(np.zeros(2)))
    assert np.allclose(u, -0.5 * np.array([1.2, 1.6]), rtol=0, atol=1e-15)


def test_cliff_gradient_and_hessian_match_finite_differences():
    """Are the cliff's hand-written gradient and Hessian right (central differences), on the
    wall, the plateau and the bowl?"""
    p = tr.cliff()
    for x in ([-0.05, 0.4], [0.03, -1.0], [-2.0, 1.5], [1.5, 0.2]):
        x = np.array(x)
        assert np.allclose(p.grad(x), central_gradient(p.fun, x, 1e-7), rtol=1e-6, atol=1e-6)
        H_fd = np.array([central_gradient(lambda y: p.grad(y)[i], x, 1e-6) for i in range(2)])
        assert np.allclose(p.hess(x), H_fd, rtol=1e-5, atol=1e-5)
    assert np.linalg.norm(p.grad(p.x_min)) < 1e-10


def test_cliff_catapults_plain_descent_and_clipping_prevents_it():
    """Does gradient descent jump far on the wall, while both clippings bound every step by eta*tau
    (value: eta*tau*sqrt(2) in 2-D)?"""
    p = tr.cliff()
    x0 = np.array([-2.5, 1.5])
    plain = run(gradient_descent(0.1), p.grad, x0, 60)
    assert np.max(np.linalg.norm(np.diff(plain, axis=0), axis=1)) > 3
    for by, bound in (("norm", 0.1), ("value", 0.1 * math.sqrt(2))):
        path = run(tr.clipped(gradient_descent(0.1), by, 1.0), p.grad, x0, 60)
        assert np.max(np.linalg.norm(np.diff(path, axis=0), axis=1)) <= bound + 1e-12


@pytest.mark.parametrize("call, match", [
    (lambda: tr.clip_by_norm([1.0, np.nan], 1.0), "Invalid g: entry 1 is nan"),
    (lambda: tr.clip_by_norm([1.0], 0.0), "threshold"),
    (lambda: tr.clip_by_value([1.0], -1.0), "threshold"),
    (lambda: tr.clipped(gradient_descent(0.1), "max", 1.0), "by"),
    (lambda: tr.cliff(height=-1.0), "height"),
])
def test_clipping_bad_input_messages(call, match):
    """Do bad inputs raise errors naming the parameter?"""
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# --------------------------------------------------------------------------- initialisation


def test_init_std_closed_forms():
    """Are the Glorot, He and LeCun standard deviations the closed forms?"""
    assert tr.init_std("glorot", 30, 70) == pytest.approx(math.sqrt(2 / 100))
    assert tr.init_std("he", 32) == pytest.approx(0.25)
    assert tr.init_std("lecun", 25) == pytest.approx(0.2)
    assert tr.init_std(0.3, 10) == 0.3


def test_init_layers_sample_variance_within_standard_error():
    """Is the sample variance of the weights within 6 standard errors of sigma_W^2?
    (For normal weights Var(s^2) = 2 sigma^4 / (n - 1).)"""
    rng = np.random.default_rng(5)
    for scheme in ("glorot", "he"):
        layers = tr.init_layers((300, 200, 100), scheme, rng)
        for W, b in layers:
            target = tr.init_std(scheme, W.shape[1], W.shape[0]) ** 2
            se = target * math.sqrt(2 / (W.size - 1))
            assert abs(W.var() - target) < 6 * se
            assert not b.any()


def test_he_keeps_relu_preactivations_and_small_init_vanishes():
    """With He's init are ReLU pre-activation spreads kept through 20 layers (within a factor 2),
    while a fixed small init shrinks them by orders of magnitude?"""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 200))
    he = tr.depth_statistics(tr.init_layers([200] * 21, "he", rng), X, "relu", rng)
    small = tr.depth_statistics(tr.init_layers([200] * 21, 0.01, rng), X, "relu", rng)
    assert 0.5 < he.pre_activation[-1] / he.pre_activation[0] < 2
    assert 0.5 < he.backward[0] / he.backward[-1] < 2
    assert small.pre_activation[-1] / small.pre_activation[0] < 1e-6


def test_depth_statistics_backward_matches_autograd_of_a_linear_functional():
    """Is the back-propagated delta^(1) right? For L = sum(r * x^(k)) the gradient with respect
    to X is delta^(1) W^(1); compare with central differences (rebuilding r from the same seed)."""
    rng = np.random.default_rng(3)
    layers = tr.init_layers([5, 3, 2], "glorot", rng)      # W1 has full row rank: delta = dX pinv(W1)
    X = rng.normal(size=(2, 5))
    r = np.random.default_rng(9).normal(size=(2, 2))

    def loss(flat):
        x = flat.reshape(2, 5)
        for W, b in layers:
            x = np.tanh(x @ W.T + b)
        return float(np.sum(r * x))

    fd = central_gradient(loss, X.ravel()).reshape(2, 5)
    # depth_statistics only returns stds: recompute delta^(1) the same way and compare its spread
    stats = tr.depth_statistics(layers, X, "tanh", np.random.default_rng(9))
    assert stats.backward[0] == pytest.approx(float((fd @ np.linalg.pinv(layers[0].W)).std()), rel=1e-6)


@pytest.mark.parametrize("call, match", [
    (lambda: tr.init_std("xavier2", 10), "scheme"),
    (lambda: tr.init_std("glorot", 10), "fan_out"),
    (lambda: tr.init_std("he", 0), "fan_in"),
    (lambda: tr.init_layers((10,), "he"), "sizes"),
    (lambda: tr.init_layers((10, 5), "he", rng=3), "rng"),
    (lambda: tr.depth_statistics(tr.init_layers((3, 2), "he"), np.ones((4, 2))), "X must have shape"),
    (lambda: tr.depth_statistics(tr.init_layers((3, 2), "he"), np.ones((4, 3)), "gelu"), "activation"),
])
def test_init_bad_input_messages(call, match):
    """Do bad inputs raise errors naming the parameter?"""
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# --------------------------------------------------------------------------- batch normalisation


def _bn_loss(X, gamma, beta, R):
    return float(np.sum(R * tr.batchnorm_forward(X, gamma, beta)[0]))


def test_batchnorm_forward_standardises_each_feature():
    """With gamma = 1, beta = 0 and eps = 0, does each column have mean 0 and variance 1?"""
    rng = np.random.default_rng(0)
    X = rng.normal(3.0, 5.0, size=(16, 4)) * np.array([1, 10, 0.1, 2])
    Y, cache = tr.batchnorm_forward(X, np.ones(4), np.zeros(4), eps=0.0)
    assert np.allclose(Y.mean(axis=0), 0, atol=1e-13)
    assert np.allclose(Y.var(axis=0), 1, atol=1e-12)
    assert np.allclose(cache.mean, X.mean(axis=0)) and np.allclose(cache.var, X.var(axis=0))


def test_batchnorm_backward_matches_central_differences():
    """Are dX, dgamma and dbeta the gradients of sum(R * Y) (central differences, h = 1e-6)?"""
    rng = np.random.default_rng(1)
    B, H = 6, 3
    X = rng.normal(size=(B, H)) * np.array([1.0, 3.0, 0.5]) + 1.0
    gamma, beta = rng.uniform(0.5, 2.0, H), rng.normal(size=H)
    R = rng.normal(size=(B, H))
    _, cache = tr.batchnorm_forward(X, gamma, beta)
    dX, dgamma, dbeta = tr.batchnorm_backward(R, cache)
    fdX = central_gradient(lambda v: _bn_loss(v.reshape(B, H), gamma, beta, R), X.ravel()).reshape(B, H)
    fdg = central_gradient(lambda v: _bn_loss(X, v, beta, R), gamma)
    fdb = central_gradient(lambda v: _bn_loss(X, gamma, v, R), beta)
    assert np.allclose(dX, fdX, rtol=1e-6, atol=1e-7)
    assert np.allclose(dgamma, fdg, rtol=1e-6, atol=1e-7)
    assert np.allclose(dbeta, fdb, rtol=1e-6, atol=1e-7)


def test_batchnorm_input_gradient_orthogonal_to_shift_and_scale():
    """Is each column of dX orthogonal to the constant vector and to x_hat (shift and scale of a
    feature do not change the output; exactly so for eps = 0)?"""
    rng = np.random.default_rng(2)
    X = rng.normal(size=(10, 3))
    _, cache = tr.batchnorm_forward(X, np.ones(3), np.zeros(3), eps=0.0)
    dX, _, _ = tr.batchnorm_backward(rng.normal(size=(10, 3)), cache)
    assert np.allclose(dX.sum(axis=0), 0, atol=1e-13)
    assert np.allclose((dX * cache.x_hat).sum(axis=0), 0, atol=1e-12)


def test_running_stats_converge_and_inference_is_per_example():
    """Do the running averages approach the population mean and variance, and does inference give
    each example the same output whatever batch it is in?"""
    rng = np.random.default_rng(4)
    m, v = np.zeros(2), np.ones(2)
    mu, sd = np.array([2.0, -1.0]), np.array([3.0, 0.5])
    for _ in range(400):
        _, cache = tr.batchnorm_forward(rng.normal(mu, sd, size=(64, 2)), np.ones(2), np.zeros(2))
        m, v = tr.update_running_stats(m, v, cache, decay=0.95)
    # the average of ~40 effective batches of 64: standard error about sd / sqrt(2500)
    assert np.allclose(m, mu, atol=6 * sd / 50)
    assert np.allclose(v, sd**2, rtol=0.15)
    X = rng.normal(size=(5, 2))
    full = tr.batchnorm_inference(X, np.ones(2), np.zeros(2), m, v)
    one = tr.batchnorm_inference(X[:1], np.ones(2), np.zeros(2), m, v)
    assert np.array_equal(full[:1], one)


def test_running_variance_is_unbiased():
    """Is the variance averaged with B/(B-1) (PyTorch), checked on one batch of 2 from a zero start?"""
    _, cache = tr.batchnorm_forward(np.array([[0.0], [2.0]]), np.ones(1), np.zeros(1))
    _, v = tr.update_running_stats(np.zeros(1), np.zeros(1), cache, decay=0.0)
    assert v[0] == pytest.approx(2.0)


@pytest.mark.parametrize("call, match", [
    (lambda: tr.batchnorm_forward(np.ones((1, 3)), np.ones(3), np.zeros(3)), "at least 2"),
    (lambda: tr.batchnorm_forward(np.ones((4, 3)), np.ones(2), np.zeros(3)), "gamma"),
    (lambda: tr.batchnorm_forward(np.ones(4), np.ones(1), np.zeros(1)), "Invalid X: it has shape \\(4,\\), expected an array with 2"),
    (lambda: tr.batchnorm_forward(np.ones((4, 1)), np.ones(1), np.zeros(1), eps=-1.0), "eps"),
    (lambda: tr.batchnorm_backward(np.ones((3, 1)), None), "cache"),
    (lambda: tr.update_running_stats(np.zeros(1), np.ones(1),
                                     tr.batchnorm_forward(np.ones((2, 1)), np.ones(1), np.zeros(1))[1], 1.0),
     "decay"),
])
def test_batchnorm_bad_input_messages(call, match):
    """Do bad inputs raise errors naming the parameter?"""
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# --------------------------------------------------------------------------- conditioning


def test_least_squares_hessian_is_the_second_derivative():
    """Is least_squares_hessian the Hessian of the mean squared error (finite differences of the
    exact gradient)?"""
    rng = np.random.default_rng(0)
    X, t = rng.normal(size=(20, 3)), rng.normal(size=20)
    A = np.hstack([X, np.ones((20, 1))])
    grad = lambda w: A.T @ (A @ w - t) / 20
    H_fd = np.array([central_gradient(lambda w: grad(w)[i], np.zeros(4)) for i in range(4)])
    assert np.allclose(least_squares_hessian(X, bias=True), H_fd, atol=1e-8)


def test_standardised_hessian_is_correlation_block():
    """After standardisation, is the Hessian [[corr, 0], [0, 1]] (the chapter's theorem)?"""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 3)) @ np.array([[1, 0.5, 0], [0, 1, 0.2], [0, 0, 1]]) * [100, 0.01, 5] + 7
    Xh, mu, sd = tr.standardize(X)
    H = least_squares_hessian(Xh, bias=True)
    assert np.allclose(H[:3, :3], np.corrcoef(X, rowvar=False), atol=1e-12)
    assert np.allclose(H[3, :3], 0, atol=1e-12) and H[3, 3] == pytest.approx(1.0)
    assert np.allclose(tr.standardize(X, mu, sd)[0], Xh)


@pytest.mark.parametrize("call, match", [
    (lambda: tr.standardize(np.ones((3, 2))), "standard deviation 0"),
    (lambda: tr.standardize(np.ones((3, 2)), mean=np.zeros(3)), "mean"),
    (lambda: least_squares_hessian(np.ones(3), bias=True), "Invalid X: it has shape \\(3,\\), expected an array with 2"),
])
def test_conditioning_bad_input_messages(call, match):
    """Do bad inputs raise errors naming the parameter?"""
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# --------------------------------------------------------------------------- schedules


def test_linear_warmup_values_and_handover():
    """Does the warm-up ramp eta (t+1)/tau and then start the next schedule's clock at 0?"""
    s = linear_warmup(0.8, 4, then=exponential_decay(0.8, 0.5))
    assert np.allclose(s(np.arange(7)), [0.2, 0.4, 0.6, 0.8, 0.8, 0.4, 0.2])
    assert linear_warmup(0.8, 4)(10) == 0.8
    assert isinstance(s(2), float)


def test_momentum_warmup_and_scheduled_momentum_unrolled():
    """Is the momentum ramp linear, and does scheduled_momentum follow v = mu_t v - eta g by hand,
    reducing to optim.momentum for a constant momentum?"""
    ramp = momentum_warmup(0.5, 0.99, 7)
    assert np.allclose(ramp(np.arange(9)), np.r_[0.5 + 0.07 * np.arange(8), 0.99][:9].clip(max=0.99))
    opt = scheduled_momentum(0.1, ramp)
    s = opt.init(np.zeros(1))
    v, gs = 0.0, [1.0, -2.0, 0.5, 3.0]
    for t, g in enumerate(gs):
        u, s = opt.update(np.array([g]), s)
        v = ramp(t) * v - 0.1 * g
        assert u[0] == pytest.approx(v, abs=1e-15)
    grad = lambda x: np.array([2.0, 0.5]) * x
    a = run(scheduled_momentum(0.2, 0.7), grad, [1.0, 1.0], 30)
    b = run(momentum(0.2, 0.7), grad, [1.0, 1.0], 30)
    assert np.allclose(a, b, rtol=0, atol=1e-15)


def _pytorch_plateau(losses, lr, factor, patience, threshold):
    """PyTorch's ReduceLROnPlateau (mode min, rel threshold, cooldown 0, eps ignored), written
    from its documentation: an independent oracle."""
    best, bad, out = math.inf, 0, []
    for loss in losses:
        if loss < best * (1 - threshold):
            best, bad = loss, 0
        else:
            bad += 1
        if bad > patience:
            lr, bad = lr * factor, 0
        out.append(lr)
    return out


def test_reduce_on_plateau_matches_pytorch_logic():
    """Does the rate drop exactly when PyTorch's would, on random noisy losses?"""
    rng = np.random.default_rng(0)
    for _ in range(20):
        losses = np.maximum(1.0 - 0.01 * np.arange(60), 0.5) + 0.02 * rng.random(60)
        p = int(rng.integers(0, 5))
        sched = reduce_on_plateau(1.0, 0.5, p, 1e-3)
        state, got = sched.init(), []
        for loss in losses:
            state = sched.update(float(loss), state)
            got.append(state.lr)
        assert got == _pytorch_plateau(losses, 1.0, 0.5, p, 1e-3)


def test_reduce_on_plateau_respects_min_lr():
    """Does the rate stop at min_lr?"""
    sched = reduce_on_plateau(1.0, 0.1, 0, 0.0, min_lr=0.05)
    s = sched.init()
    for _ in range(5):
        s = sched.update(1.0, s)
    assert s.lr == 0.05


@pytest.mark.parametrize("call, match", [
    (lambda: linear_warmup(0.0, 3), "lr"),
    (lambda: linear_warmup(1.0, 0), "warmup_steps"),
    (lambda: linear_warmup(1.0, 2)(-1), "non-negative"),
    (lambda: momentum_warmup(0.5, 1.0, 3), "mu_end"),
    (lambda: reduce_on_plateau(1.0, factor=1.5), "factor"),
    (lambda: reduce_on_plateau(1.0, patience=-1), "patience"),
    (lambda: reduce_on_plateau(1.0, min_lr=2.0), "min_lr"),
    (lambda: scheduled_momentum(0.1, 1.0), "momentum_schedule"),
])
def test_schedule_bad_input_messages(call, match):
    """Do bad inputs raise errors naming the parameter?"""
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# --------------------------------------------------------------------------- delta-bar-delta


def test_delta_bar_delta_unrolled_by_hand():
    """Does delta-bar-delta follow Jacobs's rule, written out here with scalars per parameter?"""
    kappa, phi, xi, eps0 = 0.02, 0.3, 0.6, 0.1
    opt = delta_bar_delta(eps0, kappa, phi, xi)
    rng = np.random.default_rng(0)
    gs = rng.normal(size=(12, 3))
    state = opt.init(np.zeros(3))
    rates, avg = [eps0] * 3, [0.0] * 3
    for g in gs:
        u, state = opt.update(g, state)
        for i in range(3):
            if avg[i] * g[i] > 0:
                rates[i] += kappa
            elif avg[i] * g[i] < 0:
                rates[i] *= 1 - phi
            avg[i] = (1 - xi) * g[i] + xi * avg[i]
            assert u[i] == pytest.approx(-rates[i] * g[i], abs=1e-15)


def test_delta_bar_delta_converges_on_ill_conditioned_quadratic():
    """On diag(100, 1), does delta-bar-delta reach 1e-6, with a larger rate on the flat coordinate and
    the steep coordinate's rate cut when its gradient flips sign?"""
    grad = lambda x: np.array([100.0, 1.0]) * x
    opt = delta_bar_delta(0.003, 0.004, 0.5, 0.5)
    path = run(opt, grad, [1.0, 1.0], 500)
    assert np.linalg.norm(path[-1]) < 1e-6
    state, steep = opt.init(np.zeros(2)), []
    for x in path[:200]:
        _, state = opt.update(grad(x), state)
        steep.append(state.rates[0])
    assert state.rates[1] > state.rates[0]
    assert np.any(np.diff(steep) < 0), "the steep coordinate's rate should be cut when its gradient flips"


@pytest.mark.parametrize("kwargs, match", [
    ({"initial_rate": 0.0}, "initial_rate"),
    ({"increase": -1.0}, "increase"),
    ({"decrease": 1.0}, "decrease"),
    ({"smoothing": 1.0}, "smoothing"),
])
def test_delta_bar_delta_bad_input_messages(kwargs, match):
    """Do bad hyperparameters raise errors naming the parameter?"""
    with pytest.raises(ValueError, match=match):
        delta_bar_delta(**kwargs)
