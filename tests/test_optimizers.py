"""First-order optimizers: hand-computed steps, conventions that must agree, and convergence."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import optim, problems
from course_lib.optim import run


def steps(opt, grads, x0=None):
    """The updates an optimizer makes for a given sequence of gradients."""
    grads = [np.asarray(g, dtype=float) for g in grads]
    state = opt.init(np.zeros_like(grads[0]) if x0 is None else x0)
    out = []
    for g in grads:
        u, state = opt.update(g, state)
        out.append(u)
    return np.array(out)


def test_momentum_first_steps_and_effective_learning_rate():
    """Under a constant gradient, does heavy ball step -eta g (1 + mu + ... + mu^t) -> -eta g / (1 - mu)?"""
    u = steps(optim.momentum(0.1, 0.9), [[2.0]] * 200)[:, 0]
    np.testing.assert_allclose(u[:3], [-0.2, -0.38, -0.542])
    assert u[-1] == pytest.approx(-0.1 * 2.0 / (1 - 0.9), rel=1e-8)


def test_momentum_conventions_give_identical_iterates():
    """Do the EMA form (004) and PyTorch's form, mapped as documented, follow the same path?"""
    p = problems.rosenbrock()
    x0, alpha, beta, n = np.array([-1.0, 1.5]), 2e-3, 0.8, 300
    ours = run(optim.momentum(alpha * (1 - beta), beta), p.grad, x0, n)
    theta, u, ema = x0.copy(), np.zeros(2), [x0.copy()]
    for _ in range(n):  # 004, eqs. 4.16-4.17
        u = beta * u + (1 - beta) * p.grad(theta)
        theta = theta - alpha * u
        ema.append(theta.copy())
    np.testing.assert_allclose(ours, ema, rtol=1e-12, atol=1e-14)
    lr, m = 1e-3, 0.9
    ours = run(optim.momentum(lr, m), p.grad, x0, n)
    theta, buf, torch_like = x0.copy(), np.zeros(2), [x0.copy()]
    for _ in range(n):  # torch.optim.SGD(momentum=m, dampening=0)
        buf = m * buf + p.grad(theta)
        theta = theta - lr * buf
        torch_like.append(theta.copy())
    np.testing.assert_allclose(ours, torch_like, rtol=1e-12, atol=1e-14)


def test_nesterov_is_the_look_ahead_method_in_shifted_variables():
    """Does nesterov=True iterate phi_t = theta_t + mu v_t of the look-ahead (Sutskever) method?"""
    p = problems.rosenbrock()
    x0, lr, mu, n = np.array([-1.0, 1.5]), 1e-3, 0.9, 200
    phis = run(optim.momentum(lr, mu, nesterov=True), p.grad, x0, n)
    theta, v = x0.copy(), np.zeros(2)
    look = [x0.copy()]
    for _ in range(n):
        v = mu * v - lr * p.grad(theta + mu * v)
        theta = theta + v
        look.append(theta + mu * v)
    np.testing.assert_allclose(phis, look, rtol=1e-10, atol=1e-12)


def test_adagrad_rmsprop_first_steps():
    """Are AdaGrad's and RMSProp's first two steps the hand-computed ones (eps inside and outside)?"""
    g = [[3.0, -4.0], [1.0, 0.0]]
    ada = steps(optim.adagrad(0.5, eps=0.0), g)
    np.testing.assert_allclose(ada[0], [-0.5, 0.5])
    np.testing.assert_allclose(ada[1], [-0.5 / np.sqrt(10.0), 0.0])
    rms = steps(optim.rmsprop(0.1, decay=0.9, eps=0.0), g)
    np.testing.assert_allclose(rms[0], [-0.1 * 3 / np.sqrt(0.9), 0.1 * 4 / np.sqrt(1.6)])
    inside = steps(optim.rmsprop(0.1, decay=0.9, eps=1e-2, eps_inside=True), g)
    np.testing.assert_allclose(inside[0, 0], -0.1 * 3 / np.sqrt(0.9 + 1e-2))
    outside = steps(optim.rmsprop(0.1, decay=0.9, eps=1e-2), g)
    np.testing.assert_allclose(outside[0, 0], -0.1 * 3 / (np.sqrt(0.9) + 1e-2))


def test_adam_first_step_has_length_eta_and_bias_correction_matters():
    """Is Adam's first step eta in every coordinate with g != 0, and does it need bias correction?"""
    g = np.array([1e-4, -3.0, 250.0])
    u = steps(optim.adam(0.01), [g])[0]
    np.testing.assert_allclose(np.abs(u), 0.01, rtol=1e-3)
    # without bias correction the first step would be eta (1 - b1) / sqrt(1 - b2) ~ 0.32 eta
    assert np.all(np.abs(u) > 0.9 * 0.01)
    # second step with the same gradient: still eta (moments are exact averages)
    u2 = steps(optim.adam(0.01), [g, g])[1]
    np.testing.assert_allclose(np.abs(u2), 0.01, rtol=1e-3)


def test_nadam_adamax_adadelta_first_steps():
    """Do Nadam, Adamax and Adadelta make the steps their formulas give?"""
    g = np.array([2.0, -0.5])
    b1, b2 = 0.9, 0.999
    nad = steps(optim.nadam(0.1, eps=0.0), [g])[0]
    m1 = (1 - b1) * g
    mu_hat = b1 * m1 / (1 - b1**2) + (1 - b1) * g / (1 - b1)
    np.testing.assert_allclose(nad, -0.1 * mu_hat / np.sqrt((1 - b2) * g * g / (1 - b2)))
    amx = steps(optim.adamax(0.1, eps=0.0), [g, g])
    np.testing.assert_allclose(amx[0], -0.1 * np.sign(g))
    np.testing.assert_allclose(amx[1], -0.1 * np.sign(g))
    dlt = steps(optim.adadelta(rho=0.9, eps=1e-6), [g])[0]
    np.testing.assert_allclose(dlt, -np.sqrt(1e-6) / np.sqrt(0.1 * g * g + 1e-6) * g)


def test_learning_rate_may_be_a_schedule():
    """Is a callable learning rate evaluated at the step count (0 first)?"""
    u = steps(optim.gradient_descent(lambda t: 1.0 / (t + 1)), [[1.0]] * 3)[:, 0]
    np.testing.assert_allclose(u, [-1.0, -0.5, -1 / 3])


PROBLEMS = {
    "quadratic": (problems.quadratic(problems.spd_matrix([2.0, 1.0, 0.5], seed=1), [1.0, -1.0, 0.5]),
                  np.array([2.0, -2.0, 1.0])),
    "ill-conditioned": (problems.quadratic(np.diag([50.0, 1.0]), [1.0, 1.0]), np.array([1.0, -1.0])),
    "rosenbrock": (problems.rosenbrock(), np.array([-1.2, 1.0])),
}
OPTIMIZERS = {
    "gd": {"quadratic": optim.gradient_descent(0.5), "ill-conditioned": optim.gradient_descent(0.035),
           "rosenbrock": optim.gradient_descent(1.5e-3)},
    "momentum": {"quadratic": optim.momentum(0.3, 0.5), "ill-conditioned": optim.momentum(0.02, 0.7),
                 "rosenbrock": optim.momentum(1e-3, 0.9)},
    "nesterov": {"quadratic": optim.momentum(0.3, 0.5, nesterov=True),
                 "ill-conditioned": optim.momentum(0.02, 0.7, nesterov=True),
                 "rosenbrock": optim.momentum(1e-3, 0.9, nesterov=True)},
    "adagrad": {k: optim.adagrad(v) for k, v in {"quadratic": 1.0, "ill-conditioned": 0.5, "rosenbrock": 0.5}.items()},
    # with a fixed step RMSProp hovers at a distance of order eta from the minimiser (its steps
    # do not shrink with the gradient), so it gets a decaying schedule
    "rmsprop": {k: optim.rmsprop(lambda t, v=v: v / (1 + t / 1000), decay=0.9) for k, v in
                {"quadratic": 0.01, "ill-conditioned": 0.005, "rosenbrock": 2e-3}.items()},
    "adam": {k: optim.adam(v) for k, v in {"quadratic": 0.05, "ill-conditioned": 0.05, "rosenbrock": 0.02}.items()},
    "nadam": {k: optim.nadam(v) for k, v in {"quadratic": 0.05, "ill-conditioned": 0.05, "rosenbrock": 0.02}.items()},
    "adamax": {k: optim.adamax(v) for k, v in {"quadratic": 0.05, "ill-conditioned": 0.05, "rosenbrock": 0.02}.items()},
}


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize("method", OPTIMIZERS)
def test_every_optimizer_converges_on_every_problem(method, problem):
    """Does each method, with a sensible step, reach the minimiser of each test problem?"""
    p, x0 = PROBLEMS[problem]
    xs = run(OPTIMIZERS[method][problem], p.grad, x0, 20_000)
    tol = 2e-2 if problem == "rosenbrock" else 1e-3
    assert np.linalg.norm(xs[-1] - p.x_min) < tol * max(1.0, np.linalg.norm(p.x_min)), xs[-1]


@pytest.mark.parametrize("factory, kwargs, match", [
    (optim.momentum, {"learning_rate": 0.1, "momentum": 1.2}, "Invalid momentum: 1.2"),
    (optim.adam, {"b1": -0.1}, "Invalid b1: -0.1"),
    (optim.adam, {"b2": 1.0}, r"Invalid b2: 1.0 \(it must be a number in \[0, 1\)\)"),
    (optim.rmsprop, {"learning_rate": 0.1, "eps": -1.0}, "Invalid epsilon: -1.0"),
    (optim.adagrad, {"learning_rate": 0.0}, "Invalid learning rate: 0.0"),
    (optim.adadelta, {"rho": 2}, "Invalid rho: 2"),
])
def test_bad_hyperparameters_are_refused_where_they_enter(factory, kwargs, match):
    """Does a bad hyperparameter raise at construction, naming it and its valid range?"""
    with pytest.raises(ValueError, match=match):
        factory(**kwargs)
