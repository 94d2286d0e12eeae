"""Hidden tests, task 3: mini-batch SGD with a new shuffle in every epoch.

No message shows a hidden input or an expected value: hints describe the mistake.
"""

import numpy as np
import pytest

from course_lib.stochastic import least_squares, make_regression


def data(n, d, seed, outlier=0.0):
    """Least-squares data from course_lib (new seeds), the LAST target shifted by ``outlier``; a point theta."""
    ds = make_regression(n, d, noise=0.3, seed=seed)
    y = ds.y.copy()
    y[-1] += outlier
    return ds.X, y, np.random.default_rng(seed + 1000).normal(size=d)


def recorder(X, y):
    """A mini-batch gradient that remembers the batches it is asked for, and that list.

    A closure, not an object: the grader may copy the arguments it passes to student code,
    and a copied function is the same function, so the list still fills up.
    """
    problem = least_squares(X, y)
    batches = []

    def grad_batch(theta, idx):
        idx = np.asarray(idx)
        assert idx.ndim == 1 and np.issubdtype(idx.dtype, np.integer), "idx should be a 1-D integer array"
        batches.append(idx.copy())
        return problem.grad_i(np.asarray(theta, dtype=float), idx).mean(axis=0)

    return grad_batch, batches, problem


def _epochs(batches, per_epoch):
    return [np.concatenate(batches[k:k + per_epoch]) for k in range(0, len(batches), per_epoch)]


def _calls_per_step(batches, steps):
    """``k`` if grad_batch was called exactly k > 1 times per step (consecutive repeats of a batch), else None."""
    for k in (2, 3):
        if steps and len(batches) == k * steps and all(
                np.array_equal(batches[k * t], batches[k * t + j]) for t in range(steps) for j in range(1, k)):
            return k
    return None


@pytest.mark.points(1)
def test_each_epoch_is_a_permutation_in_consecutive_batches(student):
    """when batch_size does not divide n, every epoch has full batches and then one smaller batch, covers each
    example exactly once, and each step calls grad_batch once"""
    n, b, epochs = 23, 5, 4
    X, y, theta0 = data(n, 2, 71)
    grad_batch, batches, _ = recorder(X, y)
    path = np.asarray(student.minibatch_sgd(grad_batch, n, theta0, 0.01, b, epochs, 5), dtype=float)
    expected = [b] * (n // b) + [n % b]
    steps = len(path) - 1 if path.ndim == 2 else 0
    if _calls_per_step(batches, steps):
        pytest.fail("grad_batch is called more than once per step: call it exactly once and reuse its value")
    sizes = [len(idx) for idx in batches]
    if sizes == [b] * (n // b) * epochs:
        pytest.fail("the last, smaller batch of each epoch is dropped: keep it")
    if len(sizes) != len(expected) * epochs:
        pytest.fail("the number of steps is wrong: one step per batch, ceil(n / batch_size) batches per epoch, "
                    "num_epochs epochs")
    assert sizes == expected * epochs, (
        "each epoch should be cut into consecutive batches of batch_size indices, the last one smaller")
    for epoch in _epochs(batches, len(expected)):
        assert sorted(epoch.tolist()) == list(range(n)), (
            "an epoch does not visit every example exactly once: draw a permutation (rng.permutation(n)) "
            "and cut it into batches, instead of sampling with replacement")
    assert path.shape == (len(batches) + 1, 2), "return every iterate, theta0 first: shape (num_steps + 1, d)"


@pytest.mark.points(1)
def test_order_changes_between_epochs_and_follows_the_seed(student):
    """each epoch has a new order; the same seed repeats the run, another seed changes it"""
    X, y, theta0 = data(15, 3, 72)
    runs = []
    for seed in (8, 8, 9):
        grad_batch, batches, _ = recorder(X, y)
        student.minibatch_sgd(grad_batch, 15, theta0, 0.01, 4, 3, seed)
        assert batches, "grad_batch was never called"
        runs.append(np.concatenate(batches))
    orders = _epochs([runs[0][k:k + 15] for k in range(0, 45, 15)], 1)
    assert not (np.array_equal(orders[0], orders[1]) and np.array_equal(orders[1], orders[2])), (
        "every epoch visits the examples in the same order: create the generator ONCE, before the epochs, "
        "and draw a new permutation for each epoch")
    assert np.array_equal(runs[0], runs[1]), "the same seed should give the same batches"
    assert not np.array_equal(runs[0], runs[2]), "different seeds give the same batches: is the seed used?"
    assert not np.array_equal(orders[0], np.arange(15)), "the first epoch is not shuffled"


@pytest.mark.points(1)
def test_iterates_follow_the_update_and_learn(student):
    """theta_(t+1) = theta_t - lr * grad_batch(theta_t, B_t) at every step, and the loss falls"""
    X, y, theta0 = data(40, 4, 73)
    grad_batch, batches, problem = recorder(X, y)
    path = np.asarray(student.minibatch_sgd(grad_batch, 40, theta0, 0.05, 8, 6, 3), dtype=float)
    extra_calls = _calls_per_step(batches, len(path) - 1)
    if extra_calls:   # charged in the first test of this suite; the update itself is checked here
        batches = batches[::extra_calls]
    assert path.shape == (len(batches) + 1, 4), "return every iterate, theta0 first: one row per step plus one"
    if len(path) > 2 and np.allclose(path[1:], path[-1]):
        pytest.fail("the rows are all the same: the list holds one array, updated in place (theta -= ...); "
                    "append a copy, or write theta = theta - lr * g")
    assert np.allclose(path[0], theta0), "the first row should be theta0"
    for t, idx in enumerate(batches):
        want = path[t] - 0.05 * problem.grad_i(path[t], idx).mean(axis=0)
        assert np.allclose(path[t + 1], want, rtol=1e-10, atol=1e-12), (
            f"step {t}: theta_(t+1) should be theta_t - lr * grad_batch(theta_t, idx) with the batch of that step")
    assert problem.fun(path[-1]) < 0.2 * problem.fun(theta0), "after several epochs the loss should have fallen: is the step -lr * grad?"
