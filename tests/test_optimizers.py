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
    (optim.rmsprop, {"learning_rate": 0.1, "eps": -1.0}, "Invalid eps: -1.0"),
    (optim.adagrad, {"learning_rate": 0.0}, "Invalid learning_rate: 0.0"),
    (optim.adadelta, {"rho": 2}, "Invalid rho: 2"),
])
def test_bad_hyperparameters_are_refused_where_they_enter(factory, kwargs, match):
    """Does a bad hyperparameter raise at construction, naming it and its valid range?"""
    with pytest.raises(ValueError, match=match):
        factory(**kwargs)


# --- Learning-rate schedules with momentum: where the rate goes (issue 16) -------------------

from course_lib import schedules  # noqa: E402

SCHEDULES = {
    "exponential": schedules.exponential_decay(2e-3, 0.99),
    "step": schedules.step_decay(2e-3, 0.5, every=25),
    "linear": schedules.linear_decay_to_floor(2e-3, 2e-4, 100),
}


def torch_sgd(grad, x0, lr, m, n, dampening=0.0, nesterov=False):
    """torch.optim.SGD's documented update, one tensor, no weight decay: b_1 = g_1 (undamped),
    b_t = m b_{t-1} + (1 - dampening) g_t, theta -= lr_t (g_t + m b_t if nesterov else b_t)."""
    theta, path, buf = np.array(x0, float), [np.array(x0, float)], None
    for t in range(n):
        g = grad(theta)
        buf = g.copy() if buf is None else m * buf + (1 - dampening) * g
        d = g + m * buf if nesterov else buf
        theta = theta - (lr(t) if callable(lr) else lr) * d
        path.append(theta)
    return np.array(path)


@pytest.mark.parametrize("name", SCHEDULES)
def test_momentum_rate_outside_is_pytorchs_sgd_under_a_schedule(name):
    """With lr_inside=False, does momentum follow PyTorch's SGD (rate times the whole buffer)
    step for step, also with nesterov=True, under ExponentialLR-, StepLR- and LinearLR-like
    schedules?"""
    p, x0, n, mu = problems.rosenbrock(), np.array([-1.2, 1.0]), 300, 0.9
    sched = SCHEDULES[name]
    for nesterov in (False, True):
        ours = run(optim.momentum(sched, mu, nesterov=nesterov, lr_inside=False), p.grad, x0, n)
        np.testing.assert_allclose(ours, torch_sgd(p.grad, x0, sched, mu, n, nesterov=nesterov),
                                   rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", SCHEDULES)
def test_momentum_updates_are_the_unrolled_sums_inside_and_outside(name):
    """Are the updates -sum_k mu^(t-k) eta_k g_k (rate inside) and -eta_t sum_k mu^(t-k) g_k
    (rate outside), for arbitrary gradients, and do they differ once the rate varies?"""
    rng = np.random.default_rng(1)
    grads, mu, sched = rng.standard_normal((120, 3)), 0.9, SCHEDULES[name]
    eta = sched(np.arange(len(grads)))
    inside = steps(optim.momentum(sched, mu), grads)
    outside = steps(optim.momentum(sched, mu, lr_inside=False), grads)
    for t in range(len(grads)):
        w = mu ** (t - np.arange(t + 1))
        np.testing.assert_allclose(inside[t], -(w * eta[: t + 1]) @ grads[: t + 1], rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(outside[t], -eta[t] * (w @ grads[: t + 1]), rtol=1e-10, atol=1e-13)
    relative = np.linalg.norm(inside - outside, axis=1) / np.linalg.norm(outside, axis=1)
    assert relative[0] < 1e-15 and relative.max() > 0.3


def test_momentum_rate_placement_agrees_for_a_constant_rate_and_maps_for_exponential_decay():
    """For a constant rate are the two placements the same method; for eta_t = eta r^t is the
    outside form the inside form with momentum mu r?"""
    p, x0, n, mu = problems.rosenbrock(), np.array([-1.2, 1.0]), 400, 0.9
    np.testing.assert_allclose(run(optim.momentum(1e-3, mu, lr_inside=False), p.grad, x0, n),
                               run(optim.momentum(1e-3, mu), p.grad, x0, n), rtol=1e-12, atol=1e-14)
    sched = schedules.exponential_decay(2e-3, 0.995)
    np.testing.assert_allclose(run(optim.momentum(sched, mu, lr_inside=False), p.grad, x0, n),
                               run(optim.momentum(sched, mu * 0.995), p.grad, x0, n), rtol=1e-10, atol=1e-12)


def test_momentum_lr_inside_must_be_a_bool():
    """Is a misspelt placement refused where it enters, instead of silently meaning True?"""
    with pytest.raises(TypeError, match="Invalid lr_inside: 'outside'"):
        optim.momentum(0.1, 0.9, lr_inside="outside")


def test_pytorch_sgd_dampening_leaves_the_first_buffer_undamped():
    """Is SGD(lr=eta, momentum=mu, dampening=tau) course_lib's momentum with the rate eta at the
    first step and eta (1 - tau) afterwards (b_1 = g_1, not (1 - tau) g_1), and therefore not
    source 004's EMA form when tau = mu?"""
    p, x0, n, eta, mu, tau = problems.rosenbrock(), np.array([-1.2, 1.0]), 300, 2e-3, 0.9, 0.9
    torch_path = torch_sgd(p.grad, x0, eta, mu, n, dampening=tau)
    first_undamped = lambda t: eta if t == 0 else eta * (1 - tau)  # noqa: E731
    np.testing.assert_allclose(run(optim.momentum(first_undamped, mu), p.grad, x0, n), torch_path,
                               rtol=1e-12, atol=1e-14)
    ema = run(optim.momentum(eta * (1 - tau), mu), p.grad, x0, n)  # 004's EMA form, alpha = eta
    np.testing.assert_allclose(torch_path[1] - x0, (ema[1] - x0) / (1 - tau))
    assert np.abs(torch_path - ema).max() > 1e-2


# --- The adaptive methods against PyTorch's documented algorithms (issue 16) -----------------

def torch_nadam(grad, x0, lr, n, b1=0.9, b2=0.999, eps=1e-8, psi=4e-3):
    """torch.optim.NAdam's documented update (no weight decay): mu_t = b1 (1 - 0.5 0.96^(t psi)),
    m_hat = mu_{t+1} m_t / (1 - prod_{i<=t+1} mu_i) + (1 - mu_t) g_t / (1 - prod_{i<=t} mu_i)."""
    theta, path = np.array(x0, float), [np.array(x0, float)]
    m, v, prod = np.zeros_like(theta), np.zeros_like(theta), 1.0
    for t in range(1, n + 1):
        g = grad(theta)
        mu_t = b1 * (1 - 0.5 * 0.96 ** (t * psi))
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        prod *= mu_t
        m_hat = mu_next * m / (1 - prod * mu_next) + (1 - mu_t) * g / (1 - prod)
        theta = theta - lr * m_hat / (np.sqrt(v / (1 - b2**t)) + eps)
        path.append(theta)
    return np.array(path)


def torch_adamax(grad, x0, lr, n, b1=0.9, b2=0.999, eps=1e-8):
    """torch.optim.Adamax's documented update: u_t = max(b2 u_{t-1}, |g_t| + eps),
    theta -= lr m_t / ((1 - b1^t) u_t)."""
    theta, path = np.array(x0, float), [np.array(x0, float)]
    m, u = np.zeros_like(theta), np.zeros_like(theta)
    for t in range(1, n + 1):
        g = grad(theta)
        m = b1 * m + (1 - b1) * g
        u = np.maximum(b2 * u, np.abs(g) + eps)
        theta = theta - lr / (1 - b1**t) * m / u
        path.append(theta)
    return np.array(path)


def torch_rmsprop(grad, x0, lr, n, alpha=0.99, eps=1e-8):
    """torch.optim.RMSprop's documented update (not centred, no momentum):
    v_t = alpha v_{t-1} + (1 - alpha) g_t^2, theta -= lr g_t / (sqrt(v_t) + eps)."""
    theta, path, v = np.array(x0, float), [np.array(x0, float)], 0.0
    for _ in range(n):
        g = grad(theta)
        v = alpha * v + (1 - alpha) * g * g
        theta = theta - lr * g / (np.sqrt(v) + eps)
        path.append(theta)
    return np.array(path)


def test_nadam_is_pytorchs_in_the_limit_of_infinite_momentum_decay_not_zero():
    """PyTorch's NAdam uses mu_t = b1 (1 - 0.5 0.96^(t psi)): does it coincide with course_lib's
    constant-b1 Nadam when psi -> infinity (mu_t = b1), differ at the default psi = 0.004 (first
    step 1 + mu_2 (1-b1)/(1 - mu_1 mu_2) times eta instead of 1 + b1/(1+b1)), and tend to
    mu_t = b1/2, not b1, when psi -> 0?"""
    p, x0, n, lr, b1 = problems.rosenbrock(), np.array([-1.2, 1.0]), 500, 0.02, 0.9
    ours = run(optim.nadam(lr), p.grad, x0, n)
    np.testing.assert_allclose(torch_nadam(p.grad, x0, lr, n, psi=1e6), ours, rtol=1e-10, atol=1e-12)
    default = torch_nadam(p.grad, x0, lr, n)
    mu1, mu2 = (b1 * (1 - 0.5 * 0.96 ** (t * 4e-3)) for t in (1, 2))
    np.testing.assert_allclose(np.abs(default[1] - x0) / lr, 1 + mu2 * (1 - b1) / (1 - mu1 * mu2), rtol=1e-6)
    np.testing.assert_allclose(np.abs(ours[1] - x0) / lr, 1 + b1 / (1 + b1), rtol=1e-6)
    assert np.abs(default - ours).max() > 1e-2
    for psi in (1e-6, 1e-9):
        assert b1 * (1 - 0.5 * 0.96 ** (1e4 * psi)) == pytest.approx(b1 / 2, rel=1e-3)


def test_adamax_matches_pytorch_for_zero_eps_and_within_eps_otherwise():
    """Is course_lib's Adamax PyTorch's when eps = 0, and with eps > 0 do the denominators obey
    0 <= (u_t + eps) - u'_t <= (1 - b2^(t-1)) eps, u'_t = max(b2 u'_{t-1}, |g_t| + eps)?"""
    p, x0, n, lr = problems.rosenbrock(), np.array([-1.2, 1.0]), 500, 0.02
    np.testing.assert_allclose(torch_adamax(p.grad, x0, lr, n, eps=0.0),
                               run(optim.adamax(lr, eps=0.0), p.grad, x0, n), rtol=1e-12, atol=1e-14)
    rng = np.random.default_rng(2)
    grads, b2, eps = 1e-3 * rng.standard_normal((400, 4)), 0.99, 1e-3   # eps comparable to |g|
    opt, state, u_torch = optim.adamax(0.1, b2=b2, eps=eps), None, np.zeros(4)
    state = opt.init(np.zeros(4))
    for t, g in enumerate(grads, start=1):
        _, state = opt.update(g, state)
        u_torch = np.maximum(b2 * u_torch, np.abs(g) + eps)
        d = state.nu + eps - u_torch
        assert np.all(d >= -1e-18) and np.all(d <= (1 - b2 ** (t - 1)) * eps + 1e-18)


def test_rmsprop_eps_outside_is_pytorchs_and_eps_inside_is_approximated_by_its_root():
    """Is rmsprop(eps_inside=False) PyTorch's RMSprop exactly, and is the eps-inside form
    approximated by eps_out = sqrt(eps_in), the outside steps being 1/sqrt(2) to 1 times as long?"""
    p, x0, n = problems.rosenbrock(), np.array([-1.2, 1.0]), 500
    np.testing.assert_allclose(torch_rmsprop(p.grad, x0, 2e-3, n, alpha=0.99, eps=1e-8),
                               run(optim.rmsprop(2e-3, decay=0.99, eps=1e-8), p.grad, x0, n),
                               rtol=1e-12, atol=1e-14)
    eps_in = 1e-8
    g = np.geomspace(1e-8, 1e2, 201)          # s_1 = 0.1 g^2 sweeps through eps_in
    ins = steps(optim.rmsprop(1.0, 0.9, eps_in, eps_inside=True), [g])[0]
    out = steps(optim.rmsprop(1.0, 0.9, np.sqrt(eps_in)), [g])[0]
    ratio = out / ins
    assert np.all(ratio <= 1 + 1e-12) and np.all(ratio >= 1 / np.sqrt(2) - 1e-12)
    assert ratio.min() == pytest.approx(1 / np.sqrt(2), rel=1e-3)   # at s = eps_in


def test_adam_is_pytorchs_adam():
    """Is course_lib's Adam PyTorch's documented Adam (amsgrad=False, no weight decay):
    bias-corrected moments and eps outside the root?"""
    p, x0, n, lr, b1, b2, eps = problems.rosenbrock(), np.array([-1.2, 1.0]), 500, 0.02, 0.9, 0.999, 1e-8
    theta, m, v, path = x0.copy(), np.zeros(2), np.zeros(2), [x0.copy()]
    for t in range(1, n + 1):
        g = p.grad(theta)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        theta = theta - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        path.append(theta)
    np.testing.assert_allclose(run(optim.adam(lr, b1, b2, eps), p.grad, x0, n), path, rtol=1e-10, atol=1e-12)


# -- run_many: a grid of learning rates in one loop -----------------------------------------------

BATCHED = {
    "gradient descent": optim.gradient_descent,
    "heavy ball": lambda lr: optim.momentum(lr, 0.9),
    "Nesterov": lambda lr: optim.momentum(lr, 0.9, nesterov=True),
    "momentum, lr inside": lambda lr: optim.momentum(lr, 0.9, lr_inside=True),
    "AdaGrad": optim.adagrad,
    "AdaGrad, eps = 0": lambda lr: optim.adagrad(lr, eps=0.0),
    "RMSProp": lambda lr: optim.rmsprop(lr, 0.9),
    "RMSProp, eps inside": lambda lr: optim.rmsprop(lr, 0.9, eps_inside=True),
    "Adam": optim.adam,
    "Nadam": optim.nadam,
    "Adamax": optim.adamax,
    "Adadelta": optim.adadelta,
}


@pytest.mark.parametrize("name", BATCHED)
def test_run_many_is_run_rate_by_rate(name):
    """With a gradient that computes each row as the single-point gradient does, is every run of
    run_many the run of run() at its rate and start, bit for bit, including runs that overflow
    early (where run stops them) among runs that go on?"""
    make = BATCHED[name]
    p = problems.rosenbrock()
    rates = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 0.1, 1.0, 30.0]
    starts = np.array([[-1.2, 1.0], [0.5, 0.5], [1.5, 1.0], [-0.5, 2.0], [0.0, 0.0], [-1.2, 1.0], [2.0, -1.0],
                       [1.0, 1.5]])
    rowwise = lambda P: np.array([p.grad(x) for x in P])
    many = optim.run_many(make, rates, rowwise, starts, 600)
    single = [run(make(lr), p.grad, x0, 600) for lr, x0 in zip(rates, starts)]
    assert [len(m) for m in many] == [len(s) for s in single]
    for lr, m, s in zip(rates, many, single):
        assert np.array_equal(m, s), f"{name}, learning rate {lr}"
    assert {len(s) for s in single} != {601} or name.startswith(("Ada", "RMS", "Adam", "Nadam")), \
        "the grid should make gradient descent and momentum overflow at some rates"


def test_run_many_with_a_vectorised_gradient_agrees_with_run():
    """A matrix product over the whole batch rounds differently: are the runs on a quadratic
    still run's to rounding, and do the divergent ones stop at the same step?"""
    A = problems.spd_matrix(np.geomspace(1.0, 1e-2, 6), seed=3)
    q = problems.quadratic(A, np.ones(6))
    rates = [0.1, 1.0, 1.9, 5.0, 20.0]          # 2 / lambda_max = 2: the last two overflow
    many = optim.run_many(optim.gradient_descent, rates, lambda P: P @ A.T - 1.0, np.zeros(6), 800)
    for lr, path in zip(rates, many):
        exact = run(optim.gradient_descent(lr), q.grad, np.zeros(6), 800)
        assert len(path) == len(exact)
        np.testing.assert_allclose(path, exact, rtol=1e-9, atol=1e-12)
    assert [len(p) for p in many][:3] == [801] * 3 and all(len(p) < 801 for p in many[3:])


def test_run_many_reports_bad_input_like_run():
    """Bad rates, starts, gradients: a message that says what and where?"""
    grad = lambda P: 2 * P
    with pytest.raises(ValueError, match="positive, finite rates"):
        optim.run_many(optim.adam, [0.1, -0.1], grad, [1.0], 5)
    with pytest.raises(ValueError, match=r"one per rate, shape \(2, d\)"):
        optim.run_many(optim.adam, [0.1, 0.2], grad, np.zeros((3, 2)), 5)
    with pytest.raises(ValueError, match=r"grad_many returned an array of shape \(2,\) at step 0"):
        optim.run_many(optim.adam, [0.1, 0.2], lambda P: P.sum(axis=1), [1.0, 2.0], 5)
    # a bug near the start: named with its run's rate and iterate, as run names the iterate
    with pytest.raises(ValueError, match=r"non-finite value at step 0 of the run with learning rate 0.2 "
                                         r"\(x = \[1\.\]\)"):
        optim.run_many(optim.gradient_descent, [0.1, 0.2], lambda P: 1 / (P - np.array([[0.0], [1.0]])), [1.0], 5)


def test_run_many_stops_a_run_whose_gradient_overflows_far_away():
    """A gradient that overflows far from the start ends that run (as run ends it), not the others."""
    grad = lambda P: P ** 3                  # overflows once |x| > ~1e102
    many = optim.run_many(optim.gradient_descent, [1e-3, 50.0], grad, [3.0], 40)
    single = [run(optim.gradient_descent(lr), lambda x: x ** 3, [3.0], 40) for lr in (1e-3, 50.0)]
    assert [len(m) for m in many] == [len(s) for s in single] and len(many[0]) == 41 and len(many[1]) < 41
    for m, s in zip(many, single):
        np.testing.assert_array_equal(m, s)
