"""Finite sums, mini-batch gradients and SGD (course_lib.stochastic).

Oracles independent of the code under test: central finite differences and
scipy.optimize.approx_fprime for derivatives, scipy.special.log_expit for the logistic loss,
exhaustive enumeration of every mini-batch for expectations and variances,
np.linalg.lstsq and scipy.optimize.minimize for minimisers, scipy.spatial for convex hulls.
Monte Carlo checks use tolerances from the standard error (see ``_z``).
"""

import itertools
import math

import numpy as np
import pytest
from conftest import central_gradient, central_jacobian
from scipy import optimize, special, stats
from scipy.spatial import Delaunay

from course_lib import problems, schedules, stochastic as st
from course_lib import stochastic
from course_lib.optim import gradient_descent, run

# A Monte Carlo check fails a correct implementation with probability <= P_FAIL.
P_FAIL = 1e-6


def _z(num_comparisons=1):
    """Two-sided Gaussian quantile for P_FAIL shared by ``num_comparisons`` tests (Bonferroni)."""
    return stats.norm.isf(P_FAIL / (2 * num_comparisons))


REG = st.make_regression(7, 3, noise=0.3, seed=11)
CLS = st.make_classification(9, 3, seed=12)

# Each factory builds a problem from its first n examples (all of them by default).
FACTORIES = {
    "least squares": lambda n=None: st.least_squares(REG.X[:n], REG.y[:n]),
    "logistic": lambda n=None: st.logistic_regression(CLS.X[:n], CLS.y[:n]),
    "logistic+l2": lambda n=None: st.logistic_regression(CLS.X[:n], CLS.y[:n], l2=0.3),
}
PROBLEMS = [make() for make in FACTORIES.values()] + [st.convex_hull_example()]


def _point(problem, seed=0):
    """A random parameter of the right dimension (2 for the convex-hull example, else 3)."""
    d = 2 if problem.name.startswith("convex") else 3
    return np.random.default_rng(seed).normal(size=d)


# --------------------------------------------------------------------------- derivatives


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
def test_per_example_gradients_match_finite_differences(problem):
    """Is every row of grad_i the gradient of the matching C_i (central differences)?"""
    theta = _point(problem)
    G = problem.grad_i(theta, np.arange(problem.n))
    assert G.shape == (problem.n, theta.size)
    for i in range(problem.n):
        fd = central_gradient(lambda th: problem.fun_i(th, np.array([i]))[0], theta)
        np.testing.assert_allclose(G[i], fd, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
def test_full_objective_is_the_mean_of_the_per_example_terms(problem):
    """Is C the MEAN (not the sum) of the C_i, and grad its gradient (scipy's approx_fprime)?"""
    theta = _point(problem, seed=1)
    all_idx = np.arange(problem.n)
    assert problem.fun(theta) == pytest.approx(np.mean(problem.fun_i(theta, all_idx)), rel=1e-12)
    mean_grad = problem.grad_i(theta, all_idx).mean(axis=0)
    np.testing.assert_allclose(problem.grad(theta), mean_grad, rtol=1e-12, atol=1e-14)
    fd = optimize.approx_fprime(theta, problem.fun, 1e-7)
    np.testing.assert_allclose(problem.grad(theta), fd, rtol=1e-5, atol=1e-6)


def test_repeated_indices_give_repeated_rows():
    """Does grad_i accept any index array, repeats included, one row per entry?"""
    p = PROBLEMS[1]
    theta = _point(p)
    G = p.grad_i(theta, np.array([2, 0, 2]))
    np.testing.assert_array_equal(G[0], G[2])
    np.testing.assert_array_equal(G[1], p.grad_i(theta, np.array([0]))[0])


def test_logistic_loss_matches_scipy_and_is_stable_for_huge_margins():
    """Is the loss the cross-entropy -y log s(z) - (1-y) log(1-s(z)), finite even for |z| ~ 1e3?"""
    data = st.make_classification(30, 4, seed=3)
    l2 = 0.2
    p = st.logistic_regression(data.X, data.y, l2=l2)
    for scale in [1.0, 1e3]:
        theta = scale * np.random.default_rng(4).normal(size=4)
        z = data.X @ theta
        expected = -data.y * special.log_expit(z) - (1 - data.y) * special.log_expit(-z) + 0.5 * l2 * theta @ theta
        np.testing.assert_allclose(p.fun_i(theta, np.arange(30)), expected, rtol=1e-10)
        residual = special.expit(z) - data.y
        np.testing.assert_allclose(p.grad(theta), data.X.T @ residual / 30 + l2 * theta, rtol=1e-10)
        assert np.all(np.isfinite(p.grad_i(theta, np.arange(30))))


def test_least_squares_minimiser_is_lstsq():
    """Is x_min the least-squares solution, where the mean-form gradient vanishes?"""
    data = st.make_regression(50, 4, noise=0.5, seed=5)
    p = st.least_squares(data.X, data.y)
    np.testing.assert_allclose(p.x_min, np.linalg.lstsq(data.X, data.y, rcond=None)[0], rtol=1e-12)
    np.testing.assert_allclose(p.grad(p.x_min), 0, atol=1e-12)


# --------------------------------------------------------------------------- 004's example (4.12)


def test_convex_hull_example_is_the_sources_data_and_minimiser():
    """Are the default data 004's, each u_i the minimiser of C_i, and x_min the argmin of C?"""
    p = st.convex_hull_example()
    assert p.n == 5
    np.testing.assert_array_equal(st.HULL_POINTS, [[1, 1], [2, 0], [3, 1], [2, 3], [1, 2]])
    for i, u in enumerate(st.HULL_POINTS):
        assert p.fun_i(u, np.array([i]))[0] == 0.0
        np.testing.assert_array_equal(p.grad_i(u, np.array([i]))[0], [0.0, 0.0])
    # literal (4.12): a_i scales the first square only
    theta = np.array([0.0, 0.0])
    a, u = st.HULL_WEIGHTS, st.HULL_POINTS
    np.testing.assert_allclose(p.fun_i(theta, np.arange(5)), a * u[:, 0] ** 2 + u[:, 1] ** 2)
    numerical = optimize.minimize(p.fun, st.HULL_START, jac=p.grad, method="BFGS", options={"gtol": 1e-12}).x
    np.testing.assert_allclose(p.x_min, numerical, atol=1e-8)
    np.testing.assert_allclose(p.x_min, [22 / 12, 7 / 5], rtol=1e-14)
    assert Delaunay(st.HULL_POINTS).find_simplex(p.x_min) >= 0  # inside S for the source's data


def test_convex_hull_claims_fail_for_unequal_weights():
    """Can the literal (4.12) put the minimiser outside S, and a single step move away from S?"""
    # minimiser off the segment S between (0,0) and (1,1)
    p = st.convex_hull_example(u=[[0.0, 0.0], [1.0, 1.0]], a=[1.0, 100.0])
    np.testing.assert_allclose(p.x_min, [100 / 101, 0.5])
    assert abs(p.x_min[0] - p.x_min[1]) > 0.4
    # default data: theta just below the edge from (2,0) to (3,1), whose line is t2 = t1 - 2
    q = st.convex_hull_example()
    theta = np.array([2.25, 0.1])
    assert Delaunay(st.HULL_POINTS).find_simplex(theta) < 0

    def distance_to_edge_line(x):
        return (x[0] - x[1] - 2.0) / math.sqrt(2.0)  # > 0 on the outer side

    step = theta - 0.01 * q.grad_i(theta, np.array([2]))[0]  # C_3, minimised at u_3 = (3, 1)
    assert distance_to_edge_line(step) > distance_to_edge_line(theta) > 0


def test_sgd_on_the_convex_hull_example_stays_in_the_hull():
    """With the source's settings (step 0.01, start (6,6), one example per step), once SGD has
    entered S does it stay there almost always (seed 0)?"""
    p = st.convex_hull_example()
    res = st.sgd_run(p, st.HULL_START, 0.01, num_epochs=200, batch_size=1, seed=0, replace=True)
    inside = Delaunay(st.HULL_POINTS).find_simplex(res.trajectory) >= 0
    assert not inside[0] and inside.any()
    assert inside[np.argmax(inside):].mean() > 0.99


# --------------------------------------------------------------------------- unbiasedness and variance


def _all_batches(n, b, replace):
    """Every batch with its probability: ordered tuples (with replacement) or subsets (without)."""
    if replace:
        return [(np.array(t), n**-b) for t in itertools.product(range(n), repeat=b)]
    return [(np.array(c), 1 / math.comb(n, b)) for c in itertools.combinations(range(n), b)]


@pytest.mark.parametrize("kind", FACTORIES)
@pytest.mark.parametrize("replace", [False, True])
def test_minibatch_gradient_is_unbiased_by_enumeration(kind, replace):
    """Averaged over EVERY possible batch, is the mini-batch gradient exactly grad C (any b)?"""
    n = 5
    sub = FACTORIES[kind](n)
    theta = _point(sub, seed=2)
    for b in range(1, n + 1):
        batches = _all_batches(n, b, replace)
        assert sum(w for _, w in batches) == pytest.approx(1.0)
        mean = sum(w * st.minibatch_gradient(sub, theta, idx) for idx, w in batches)
        np.testing.assert_allclose(mean, sub.grad(theta), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("kind", FACTORIES)
@pytest.mark.parametrize("replace", [False, True])
def test_exact_variance_formula_by_enumeration(kind, replace):
    """Is E||g_B - grad C||^2 over every batch equal to sigma^2/b (times (n-b)/(n-1) without replacement)?"""
    n = 5
    sub = FACTORIES[kind](n)
    theta = _point(sub, seed=3)
    g = sub.grad(theta)
    for b in range(1, n + 1):
        exact = sum(
            w * np.sum((st.minibatch_gradient(sub, theta, idx) - g) ** 2) for idx, w in _all_batches(n, b, replace)
        )
        assert st.minibatch_variance(sub, theta, b, replace=replace) == pytest.approx(exact, rel=1e-12, abs=1e-15)
    assert st.minibatch_variance(sub, theta, n, replace=False) == 0.0  # the full batch is exact


def test_variance_scales_like_one_over_b_with_replacement():
    """Is b * Var(g_B) independent of b with replacement, and smaller without (finite-population correction)?"""
    p = PROBLEMS[2]
    theta = _point(p)
    with_r = np.array([st.minibatch_variance(p, theta, b, replace=True) for b in range(1, 10)])
    np.testing.assert_allclose(with_r * np.arange(1, 10), with_r[0], rtol=1e-12)
    without = np.array([st.minibatch_variance(p, theta, b, replace=False) for b in range(1, 10)])
    assert without[0] == pytest.approx(with_r[0]) and np.all(without[1:] < with_r[1:])


def test_sum_form_estimators_of_source_000():
    """Source 000 uses the sum form: is N grad L_I unbiased for its gradient, and is the
    mini-batch scaling N/|B| (not the binomial coefficient the text prints) the unbiased one?"""
    n = 5
    p = FACTORIES["logistic"](n)
    theta = _point(p, seed=5)
    sum_grad = n * p.grad(theta)  # gradient of sum_i C_i
    single = sum((1 / n) * n * p.grad_i(theta, np.array([i]))[0] for i in range(n))  # eq. (2.5)
    np.testing.assert_allclose(single, sum_grad, rtol=1e-12)
    for b in range(2, n):
        batches = _all_batches(n, b, replace=False)
        batch_sums = [p.grad_i(theta, idx).sum(axis=0) for idx, _ in batches]
        right = sum(w * (n / b) * s for (_, w), s in zip(batches, batch_sums))
        printed = sum(w * math.comb(n, b) * s for (_, w), s in zip(batches, batch_sums))
        np.testing.assert_allclose(right, sum_grad, rtol=1e-12)
        assert np.linalg.norm(printed - sum_grad) > 0.5 * np.linalg.norm(sum_grad)


def test_sgd_on_the_sum_form_is_sgd_on_the_mean_form_with_n_times_the_step():
    """Does a step eta on sum_i C_i (000) give the same iterates as a step n*eta on the mean?"""
    p = PROBLEMS[0]
    n = p.n
    sum_form = st.FiniteSum(
        "sum form", n, lambda th: n * p.fun(th), lambda th: n * p.grad(th),
        lambda th, idx: n * p.fun_i(th, idx), lambda th, idx: n * p.grad_i(th, idx),
    )
    eta = 0.002
    a = st.sgd_run(sum_form, np.zeros(3), eta, num_epochs=3, batch_size=2, seed=8)
    b = st.sgd_run(p, np.zeros(3), n * eta, num_epochs=3, batch_size=2, seed=8)
    np.testing.assert_allclose(a.trajectory, b.trajectory, rtol=1e-12, atol=1e-14)


def _sampling_problem():
    data = st.make_classification(20, 3, seed=21)
    p = st.logistic_regression(data.X, data.y, l2=0.1)
    return p, np.random.default_rng(22).normal(size=3)


@pytest.mark.parametrize("replace", [False, True])
def test_monte_carlo_mean_of_minibatch_gradients(replace):
    """Does the average of many sampled mini-batch gradients fall within z standard errors of
    grad C in every coordinate, with z chosen so a correct sampler fails with prob < 1e-6?"""
    p, theta = _sampling_problem()
    n, b, M = p.n, 4, 10_000
    rng = np.random.default_rng(100 + replace)
    draws = np.array([st.minibatch_gradient(p, theta, st.minibatch_indices(rng, n, b, replace)) for _ in range(M)])
    # per-coordinate variance of one draw, computed from the n per-example gradients
    G = p.grad_i(theta, np.arange(n))
    var = G.var(axis=0) / b * (1.0 if replace else (n - b) / (n - 1))
    tol = _z(num_comparisons=3) * np.sqrt(var / M)
    error = draws.mean(axis=0) - p.grad(theta)
    assert np.all(np.abs(error) < tol), (error, tol)
    # power: any bias of norm 15% of |grad C| has a coordinate above 2 tol, so would be caught
    assert 0.15 * np.linalg.norm(p.grad(theta)) / math.sqrt(3) > 2 * tol.max()


@pytest.mark.parametrize("replace", [False, True])
def test_monte_carlo_variance_matches_the_exact_formula(replace):
    """Is the sample mean of ||g_B - grad C||^2 within z standard errors of minibatch_variance,
    and far from the formula of the OTHER sampling scheme (so a swapped formula would fail)?"""
    p, theta = _sampling_problem()
    n, b, M = p.n, 10, 10_000
    rng = np.random.default_rng(200 + replace)
    g = p.grad(theta)
    draws = [st.minibatch_gradient(p, theta, st.minibatch_indices(rng, n, b, replace)) for _ in range(M)]
    sq = np.sum((np.array(draws) - g) ** 2, axis=1)
    se = sq.std(ddof=1) / math.sqrt(M)
    z = _z() + 0.5  # margin for the Gaussian approximation of a skewed mean
    exact = st.minibatch_variance(p, theta, b, replace=replace)
    other = st.minibatch_variance(p, theta, b, replace=not replace)
    assert abs(sq.mean() - exact) < z * se
    assert abs(sq.mean() - other) > z * se


# --------------------------------------------------------------------------- sampling and epochs


def test_minibatch_indices():
    """Are batches without replacement distinct and in range, and bad sizes refused?"""
    rng = np.random.default_rng(0)
    for _ in range(50):
        idx = st.minibatch_indices(rng, 12, 5, replace=False)
        assert idx.shape == (5,) and len(set(idx.tolist())) == 5 and idx.min() >= 0 and idx.max() < 12
    assert st.minibatch_indices(rng, 3, 10, replace=True).shape == (10,)
    with pytest.raises(ValueError, match="batch_size: 13 > n = 12"):
        st.minibatch_indices(rng, 12, 13)
    with pytest.raises(ValueError, match="batch_size: 0"):
        st.minibatch_indices(rng, 12, 0)
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        st.minibatch_indices(np.random.RandomState(0), 12, 3)


@pytest.mark.parametrize("n, b", [(10, 1), (10, 3), (10, 5), (10, 10), (12, 5), (1, 1)])
def test_an_epoch_covers_every_index_exactly_once(n, b):
    """Does one epoch use every example exactly once, in ceil(n/b) batches, only the last one short?"""
    rng = np.random.default_rng(n * 100 + b)
    batches = st.epoch_batches(rng, n, b)
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(n))
    assert len(batches) == -(-n // b)
    assert [len(x) for x in batches[:-1]] == [b] * (len(batches) - 1)
    assert len(batches[-1]) == n - b * (len(batches) - 1)


def test_epochs_are_reshuffled_and_reproducible():
    """Is each epoch a new permutation, and the sequence the same for the same seed?"""
    first = [np.concatenate(st.epoch_batches(np.random.default_rng(5), 20, 4))]
    rng = np.random.default_rng(5)
    epochs = [np.concatenate(st.epoch_batches(rng, 20, 4)) for _ in range(3)]
    np.testing.assert_array_equal(epochs[0], first[0])
    assert not np.array_equal(epochs[0], epochs[1]) and not np.array_equal(epochs[1], epochs[2])


# --------------------------------------------------------------------------- SGD


def test_full_batch_sgd_is_gradient_descent():
    """With b = n (no replacement) and a constant rate, is sgd_run exactly optim's gradient descent?"""
    p = PROBLEMS[0]
    res = st.sgd_run(p, np.zeros(3), 0.1, num_epochs=20, batch_size=p.n, seed=0)
    expected = run(gradient_descent(0.1), p.grad, np.zeros(3), 20)
    np.testing.assert_allclose(res.trajectory, expected, rtol=1e-12, atol=1e-14)


def test_sgd_result_shapes_and_rates():
    """Does the result hold theta0 first, one row per step, the schedule's rates, and the epoch ends?"""
    p = PROBLEMS[1]  # n = 9
    theta0 = np.array([0.5, -0.5, 1.0])
    sched = schedules.exponential_decay(0.5, 0.9)
    res = st.sgd_run(p, theta0, sched, num_epochs=4, batch_size=4, seed=1)
    assert res.nit == 4 * 3 and res.trajectory.shape == (13, 3) and not res.diverged
    np.testing.assert_array_equal(res.trajectory[0], theta0)
    np.testing.assert_array_equal(theta0, [0.5, -0.5, 1.0])  # not mutated
    np.testing.assert_allclose(res.learning_rates, 0.5 * 0.9 ** np.arange(12))
    np.testing.assert_array_equal(res.epoch_ends, [3, 6, 9, 12])
    np.testing.assert_array_equal(res.x, res.trajectory[-1])
    with_r = st.sgd_run(p, theta0, 0.1, num_epochs=2, batch_size=4, seed=1, replace=True)
    assert with_r.nit == 6


def test_sgd_is_reproducible_for_a_seed():
    """Does the same seed give the same trajectory, and another seed a different one?"""
    p = PROBLEMS[2]
    kwargs = dict(num_epochs=5, batch_size=2)
    rate = schedules.inverse_time(0.5, 10)
    a = st.sgd_run(p, np.zeros(3), rate, seed=42, **kwargs)
    b = st.sgd_run(p, np.zeros(3), rate, seed=42, **kwargs)
    c = st.sgd_run(p, np.zeros(3), rate, seed=43, **kwargs)
    np.testing.assert_array_equal(a.trajectory, b.trajectory)
    assert not np.allclose(a.trajectory, c.trajectory)


def test_sgd_converges_on_least_squares_with_a_decaying_rate():
    """Does SGD with an inverse-time rate reach the lstsq solution, and beat a constant rate?"""
    data = st.make_regression(200, 3, noise=0.5, seed=0)
    p = st.least_squares(data.X, data.y)
    x_star = np.linalg.lstsq(data.X, data.y, rcond=None)[0]
    start = np.linalg.norm(x_star)
    decaying = st.sgd_run(p, np.zeros(3), schedules.inverse_time(0.2, 50), 50, 10, seed=0)
    constant = st.sgd_run(p, np.zeros(3), 0.1, 50, 10, seed=0)
    err_decaying = np.linalg.norm(decaying.x - x_star)
    err_constant = np.linalg.norm(constant.x - x_star)
    assert err_decaying < 5e-3 * start
    assert err_decaying < err_constant
    # Polyak averaging of the constant-rate tail removes most of its fluctuation
    averaged = st.polyak_average(constant.trajectory[500:])[-1]
    assert np.linalg.norm(averaged - x_star) < 0.2 * err_constant


def test_sgd_stops_a_divergent_run_at_its_last_finite_iterate():
    """Does a far too large rate end the run cleanly, flagged, with a finite trajectory?"""
    p = PROBLEMS[0]
    res = st.sgd_run(p, np.ones(3), 1e6, num_epochs=1000, batch_size=1, seed=0)
    assert res.diverged and res.nit < 1000 * p.n and np.all(np.isfinite(res.trajectory))
    assert len(res.learning_rates) == res.nit == len(res.trajectory) - 1


# --------------------------------------------------------------------------- runs side by side

ROW_PROBLEMS = {
    "least squares": st.least_squares(REG.X, REG.y),
    "Cauchy": st.cauchy_regression(REG.X, REG.y + np.array([0, 0, 6.0, 0, 0, -5.0, 0]), scale=1.5),
}


def _row_by_row(p):
    """The problem with grad_rows computed run by run by grad_i: sgd_run's arithmetic exactly."""
    return p._replace(grad_rows=lambda thetas, idx: np.stack([p.grad_i(t, i) for t, i in zip(thetas, idx)]))


def _same_runs(got, want, exact):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert (g.nit, g.diverged) == (w.nit, w.diverged)
        assert np.array_equal(g.learning_rates, w.learning_rates) and np.array_equal(g.epoch_ends, w.epoch_ends)
        if exact:
            assert np.array_equal(g.trajectory, w.trajectory) and np.array_equal(g.x, w.x)
        else:
            np.testing.assert_allclose(g.trajectory, w.trajectory, rtol=1e-11, atol=1e-13)


@pytest.mark.parametrize("name", ROW_PROBLEMS)
def test_grad_rows_are_grad_i_run_by_run(name):
    """Is row r of grad_rows the per-example gradients at run r's parameter and batch?"""
    p = ROW_PROBLEMS[name]
    rng = np.random.default_rng(3)
    thetas, idx = rng.normal(size=(4, 3)), rng.integers(0, p.n, size=(4, 5))
    want = np.stack([p.grad_i(t, i) for t, i in zip(thetas, idx)])
    np.testing.assert_allclose(p.grad_rows(thetas, idx), want, rtol=1e-13, atol=1e-15)
    with pytest.raises(ValueError, match=r"thetas must have shape \(R, 3\)"):
        p.grad_rows(np.zeros(3), idx)
    with pytest.raises(ValueError, match=r"idx must be an integer array of shape \(4, b\)"):
        p.grad_rows(thetas, idx[:3])
    with pytest.raises(IndexError, match="indices must lie in 0..6"):
        p.grad_rows(thetas, idx + 7)


@pytest.mark.parametrize("name", ROW_PROBLEMS)
@pytest.mark.parametrize("replace, batch_size", [(False, 1), (False, 3), (True, 1), (True, 2)])
def test_sgd_runs_are_sgd_run_seed_by_seed(name, replace, batch_size):
    """Does each run take sgd_run's steps for its seed: bit for bit with sgd_run's arithmetic,
    to rounding with the vectorised gradients?"""
    p = ROW_PROBLEMS[name]
    seeds = [0, 5, 17, 2]
    for rate in (0.05, schedules.inverse_time(0.2, 4.0)):
        args = (np.array([1.0, -2.0, 0.5]), rate, 6, batch_size)
        want = [st.sgd_run(p, *args, seed=s, replace=replace) for s in seeds]
        _same_runs(st.sgd_runs(_row_by_row(p), *args, seeds=seeds, replace=replace), want, exact=True)
        _same_runs(st.sgd_runs(p, *args, seeds=seeds, replace=replace), want, exact=False)


def test_a_diverging_run_ends_alone():
    """Does a run that overflows end where sgd_run ends it while the others go on?"""
    p = _row_by_row(ROW_PROBLEMS["least squares"])
    scale = 1.0 / np.max(np.sum(REG.X**2, axis=1))
    seeds = range(12)
    want = [st.sgd_run(p, np.ones(3), 12 * scale, num_epochs=300, batch_size=1, seed=s, replace=True) for s in seeds]
    assert len({w.nit for w in want}) > 2 and 0 < sum(w.diverged for w in want) < 12, "the case should mix runs"
    _same_runs(st.sgd_runs(p, np.ones(3), 12 * scale, num_epochs=300, batch_size=1, seeds=seeds, replace=True),
               want, exact=True)


def test_sgd_runs_without_grad_rows_runs_sgd_run():
    p = FACTORIES["logistic"]()
    assert p.grad_rows is None
    want = [st.sgd_run(p, np.zeros(3), 0.3, 4, 2, seed=s) for s in (1, 2)]
    _same_runs(st.sgd_runs(p, np.zeros(3), 0.3, 4, 2, seeds=(1, 2)), want, exact=True)
    with pytest.raises(ValueError, match="Invalid theta0"):
        st.sgd_runs(ROW_PROBLEMS["Cauchy"], np.zeros(2), 0.3, 4, 2, seeds=(1, 2))


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(learning_rate=-0.1), ValueError, "Invalid learning_rate: -0.1"),
        (dict(learning_rate="0.1"), TypeError, "learning_rate"),
        (dict(learning_rate=0.1, num_epochs=-1), ValueError, "num_epochs"),
        (dict(learning_rate=lambda t: 0.1 - 0.05 * t), ValueError, "schedule returned -0.0[0-9]* at step 3"),
        (dict(learning_rate=0.1, theta0=np.zeros(2)), ValueError, "Invalid theta0"),
        (dict(learning_rate=0.1, batch_size=8), ValueError, "batch_size: 8 > n = 7"),
    ],
)
def test_sgd_arguments_are_validated(kwargs, error, match):
    """Are bad arguments refused with a message saying what is wrong?"""
    args = dict(theta0=np.zeros(3), num_epochs=3, batch_size=2, seed=0) | kwargs
    with pytest.raises(error, match=match):
        st.sgd_run(PROBLEMS[0], **args)


def test_polyak_average_is_the_running_mean():
    """Is row k the mean of rows 0..k, and 003's tail average a slice of it?"""
    traj = np.random.default_rng(0).normal(size=(30, 2))
    avg = st.polyak_average(traj)
    for k in [0, 1, 10, 29]:
        np.testing.assert_allclose(avg[k], traj[: k + 1].mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(st.polyak_average(traj[-10:])[-1], traj[-10:].mean(axis=0))
    with pytest.raises(ValueError, match=r"\(steps, d\)"):
        st.polyak_average(np.zeros(3))


# --------------------------------------------------------------------------- data and validation


def test_synthetic_data_are_seeded():
    """Are the generators deterministic for a seed, of the right shapes, exact without noise?"""
    a, b = st.make_regression(20, 3, noise=0.0, seed=7), st.make_regression(20, 3, noise=0.0, seed=7)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_allclose(st.least_squares(a.X, a.y).x_min, a.theta_true, rtol=1e-10)
    c = st.make_classification(200, 2, seed=7)
    assert c.X.shape == (200, 2) and set(np.unique(c.y)) == {0.0, 1.0}
    np.testing.assert_array_equal(c.y, st.make_classification(200, 2, seed=7).y)
    assert not np.array_equal(c.X, st.make_classification(200, 2, seed=8).X)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: st.least_squares(np.ones((3, 2)), np.ones(4)), r"y must have shape \(3,\)"),
        (lambda: st.least_squares(np.ones(3), np.ones(3)), "2-D"),
        (lambda: st.logistic_regression(np.ones((2, 1)), [0, 2]), "labels must be 0 or 1"),
        (lambda: st.logistic_regression(np.ones((2, 1)), [0, 1], l2=-1.0), "l2"),
        (lambda: st.convex_hull_example(u=[[0, 0], [1, 1]], a=[1.0, 0.0]), "positive"),
        (lambda: st.convex_hull_example(u=[[0, 0, 0]], a=[1.0]), r"shape \(n, 2\)"),
        (lambda: st.make_regression(0, 2), "n must be a positive integer"),
        (lambda: st.make_regression(5, 2, noise=-1.0), "noise"),
        (lambda: PROBLEMS[0].grad_i(np.zeros(3), np.array([7])), "0..6"),
        (lambda: PROBLEMS[0].grad(np.zeros(2)), r"theta must have shape \(3,\)"),
        (lambda: st.minibatch_gradient(PROBLEMS[0], np.zeros(3), []), "non-empty"),
    ],
)
def test_bad_inputs_are_refused(make, match):
    """Are inconsistent data, labels, weights, sizes and indices refused with a clear message?"""
    with pytest.raises((ValueError, IndexError), match=match):
        make()


# ---------------------------------------------------------------- non-convex finite sums and saddles

def _outlier_data(seed=3, n=60, d=3):
    data = stochastic.make_regression(n, d, noise=0.2, seed=seed)
    y = data.y.copy()
    y[:6] += 8.0                                            # a few gross outliers
    return data.X, y


def test_cauchy_regression_derivatives_match_finite_differences():
    """Are the Cauchy loss's gradients the derivatives of its losses, and the means consistent?"""
    X, y = _outlier_data()
    p = stochastic.cauchy_regression(X, y, scale=1.5)
    rng = np.random.default_rng(0)
    for theta in rng.normal(size=(3, 3)):
        np.testing.assert_allclose(p.grad(theta), central_gradient(p.fun, theta), rtol=1e-6, atol=1e-8)
        idx = np.arange(p.n)
        assert p.fun(theta) == pytest.approx(p.fun_i(theta, idx).mean())
        np.testing.assert_allclose(p.grad(theta), p.grad_i(theta, idx).mean(axis=0))
        for i in (0, 10):
            np.testing.assert_allclose(p.grad_i(theta, np.array([i]))[0],
                                       central_gradient(lambda t: p.fun_i(t, np.array([i]))[0], theta), atol=1e-7)


def test_cauchy_constants_bound_curvature_and_noise():
    """Do L and sigma^2 bound the Hessian (from finite differences) and the one-example variance?"""
    X, y = _outlier_data()
    p = stochastic.cauchy_regression(X, y, scale=1.5)
    L, sigma2 = stochastic.cauchy_constants(X, scale=1.5)
    rng = np.random.default_rng(1)
    negative = False
    for theta in rng.normal(scale=3.0, size=(20, 3)):
        H = central_jacobian(p.grad, theta, h=1e-5)
        lam = np.linalg.eigvalsh((H + H.T) / 2)
        assert np.max(np.abs(lam)) <= L * (1 + 1e-6)
        negative |= lam[0] < 0
        G = p.grad_i(theta, np.arange(p.n))
        assert np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1)) <= sigma2
    assert negative, "with outliers the loss should be non-convex somewhere"
    with pytest.raises(ValueError, match="scale"):
        stochastic.cauchy_regression(X, y, scale=-1.0)


def test_perturbed_gradient_descent_escapes_a_strict_saddle():
    """Does gradient descent stay on the saddle's stable axis while the perturbed version leaves it?"""
    p = problems.strict_saddle()
    gd = run(gradient_descent(0.1), p.grad, np.array([1.0, 0.0]), 300)
    assert np.linalg.norm(gd[-1]) < 1e-12, "plain GD from the axis converges to the saddle"
    xs = stochastic.perturbed_gradient_descent(p.grad, np.array([1.0, 0.0]), 0.1, 300, radius=1.0, seed=5)
    assert abs(abs(xs[-1, 1]) - 1.0) < 0.2, "the perturbed run should end near a minimum (0, +-1)"
    again = stochastic.perturbed_gradient_descent(p.grad, np.array([1.0, 0.0]), 0.1, 300, radius=1.0, seed=5)
    np.testing.assert_array_equal(xs, again)


def test_perturbed_gradient_descent_kicks_have_the_stated_length():
    """With a zero gradient, is every step a kick of length eta * r in a uniformly random direction?"""
    xs = stochastic.perturbed_gradient_descent(lambda x: np.zeros(3), np.zeros(3), 0.5, 4000, radius=2.0, seed=0)
    steps = np.diff(xs, axis=0)
    np.testing.assert_allclose(np.linalg.norm(steps, axis=1), 1.0)
    # uniform on the sphere: mean direction 0 (each coordinate has variance 1/3 per unit step)
    assert np.all(np.abs(steps.mean(axis=0)) < 6 * np.sqrt(1 / 3 / 4000))
    for bad, match in ((dict(learning_rate=0.0), "learning_rate"), (dict(radius=-1.0), "radius"),
                       (dict(num_steps=-2), "num_steps")):
        kwargs = dict(learning_rate=0.1, num_steps=3, radius=1.0) | bad
        with pytest.raises(ValueError, match=match):
            stochastic.perturbed_gradient_descent(lambda x: x, np.zeros(2), **kwargs)
