"""Tests of chapter 2's live explorer (course_lib.explorers.sgd.batch_size_explorer).

- the numbers drawn in the built chapter agree with an independent computation: the
  least-squares gradients recomputed here with numpy from make_regression's documented recipe,
  the covariance and the noise σ²/b (times (n − b)/(n − 1) without replacement) from them, and
  the cloud's statistics within tolerances set by its standard error;
- the full batch drawn without replacement has no noise at all.
The generic checks (valid chart, size, labelled controls) are in test_explorers_live.py, the
refusals of bad arguments in test_explorers_arguments.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.explorers.sgd import batch_size_explorer

N = 40


def _gradients(n=N, seed=0):
    """Per-example gradients (x_i·θ − y_i) x_i at θ = x_min + (1, −0.5), for the data
    make_regression(n, 2, noise=0.5, seed) documents: X, θ_true, then the noise, standard
    normal from numpy.random.default_rng(seed)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    y = X @ rng.standard_normal(2) + 0.5 * rng.standard_normal(n)
    theta = np.linalg.solve(X.T @ X, X.T @ y) + np.array([1.0, -0.5])
    return (X @ theta - y)[:, None] * X


@pytest.fixture(scope="module")
def chapter2(explorer_tables):
    return explorer_tables("02_sgd.html", "cloud", what="batch-size explorer")


@pytest.mark.parametrize("b_i, replace_i", [(0, 0), (0, 1), (3, 0), (3, 1), (6, 1), (7, 0), (8, 0), (8, 1)])
def test_batch_explorer_in_the_book_follows_the_exact_covariance(chapter2, b_i, replace_i):
    """Are the per-example and full gradients those of the least-squares problem, the ellipse
    the 2-standard-deviation level set of Σ/b (times (n−b)/(n−1) without replacement), the
    noise its trace, and is the cloud a sample of mini-batch means: centred on ∇C and with the
    exact mean square deviation, within 5 standard errors (single examples at b = 1, ∇C itself
    for the full batch without replacement)?"""
    explorer = batch_size_explorer()
    b = explorer.controls["batch_size"].values[b_i]
    replace = explorer.controls["replace"].values[replace_i]
    g = _gradients()
    g_bar = g.mean(axis=0)
    sigma = (g - g_bar).T @ (g - g_bar) / N
    factor = 1 / b if replace else (N - b) / (b * (N - 1))

    examples = np.array([[r["gx"], r["gy"]] for r in chapter2["examples"]])
    np.testing.assert_allclose(examples, g, rtol=2e-3, atol=2e-3 * np.abs(g).max())
    (full,) = chapter2["full"]
    np.testing.assert_allclose([full["gx"], full["gy"]], g_bar, rtol=2e-3, atol=1e-4)

    rows = lambda name: [r for r in chapter2[name] if (r["batch_size"], r["replace"]) == (b_i, replace_i)]
    ring = np.array([[r["gx"], r["gy"]] for r in rows("ellipse")]) - g_bar
    if factor > 0:
        levels = np.einsum("ij,jk,ik->i", ring, np.linalg.inv(factor * sigma), ring)
        np.testing.assert_allclose(levels, 4.0, rtol=1e-2)
    else:
        np.testing.assert_allclose(ring, 0.0, atol=1e-3)

    (current,) = rows("current")
    exact = factor * np.trace(sigma)
    assert current["exact"] == pytest.approx(exact, rel=2e-3, abs=1e-12)
    noise = {int(r["b"]): r for r in chapter2["noise"]}
    if b in noise:
        assert noise[b]["with"] == pytest.approx(np.trace(sigma) / b, rel=2e-3)

    cloud = np.array([[r["gx"], r["gy"]] for r in rows("cloud")])
    assert len(cloud) == 200
    if b == 1:   # every mini-batch gradient is one example's gradient
        gaps = np.abs(cloud[:, None, :] - g[None, :, :]).max(axis=2).min(axis=1)
        assert np.all(gaps <= 2e-3 * np.abs(g).max())
    if factor == 0:
        np.testing.assert_allclose(cloud, np.broadcast_to(g_bar, cloud.shape), rtol=2e-3, atol=1e-4)
        assert current["measured"] == pytest.approx(0.0, abs=1e-9)
        return
    m = len(cloud)
    standard_error = np.sqrt(np.diag(factor * sigma) / m)
    assert np.all(np.abs(cloud.mean(axis=0) - g_bar) <= 5 * standard_error), "the cloud is not centred on ∇C"
    squares = np.sum((cloud - g_bar) ** 2, axis=1)
    assert current["measured"] == pytest.approx(squares.mean(), rel=5e-3)
    assert abs(squares.mean() - exact) <= 5 * squares.std() / np.sqrt(m), "the cloud's spread is not Σ/b"


def test_full_batch_without_replacement_has_no_noise():
    """Does the full batch drawn without replacement give exactly ∇C every time (noise 0),
    while with replacement it keeps σ²/n?"""
    explorer = batch_size_explorer()
    without = explorer.frame("current", batch_size=N, replace=False)
    with_r = explorer.frame("current", batch_size=N, replace=True)
    assert without["exact"][0] == 0.0 and without["measured"][0] < 1e-20
    assert with_r["exact"][0] > 0 and with_r["measured"][0] > 0
    ring = explorer.frame("ellipse", batch_size=N, replace=False)
    assert np.ptp(ring["gx"]) == pytest.approx(0.0, abs=1e-12)
