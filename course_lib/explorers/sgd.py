r"""Explorers of chapter 2 (Stochastic gradient descent).

:func:`batch_size_explorer`
    The cloud of mini-batch gradients of a two-dimensional least-squares problem against the
    batch size, drawn with or without replacement, and their noise against the batch size.
"""

from __future__ import annotations

import math

import numpy as np

from course_lib.explorers.live import Dataset, LiveExplorer, Slider, readout

BLUE, GREY, RED, GREEN, ORANGE = "#1f77b4", "#999999", "#d62728", "#2ca02c", "#ff7f0e"
_X, _PLUS = "M-1,-1L1,1M-1,1L1,-1", "M-1,0L1,0M0,-1L0,1"     # symbols as SVG paths


def batch_size_explorer(n: int = 40, num_samples: int = 200, seed: int = 0) -> LiveExplorer:
    r"""The cloud of mini-batch gradients of a two-dimensional least-squares problem.

    The problem is :func:`course_lib.stochastic.least_squares` on ``n`` examples drawn by
    :func:`course_lib.stochastic.make_regression` (two parameters, so every gradient is a
    point in the plane), evaluated at a fixed :math:`\theta` away from the minimiser. For
    the chosen batch size :math:`b` the figure draws ``num_samples`` mini-batch gradients
    :math:`\hat g_B = \frac1b \sum_{i\in B}\nabla C_i(\theta)`
    (:func:`course_lib.stochastic.minibatch_gradient`, batches from
    :func:`course_lib.stochastic.minibatch_indices`), the per-example gradients, the full
    gradient :math:`\nabla C(\theta)`, and the ellipse of two standard deviations of the exact
    covariance

    .. math::

        \operatorname{Cov}\hat g_B = \frac{\Sigma}{b} \quad\text{(with replacement)},
        \qquad \frac{\Sigma}{b}\,\frac{n-b}{n-1} \quad\text{(without)}, \qquad
        \Sigma = \frac1n \sum_i (g_i - \bar g)(g_i - \bar g)^\top .

    The second panel shows the noise :math:`\mathbb E\|\hat g_B - \nabla C\|^2`
    (:func:`course_lib.stochastic.minibatch_variance`) against :math:`b` on log-log axes,
    both sampling schemes, with the current choice and its Monte Carlo estimate marked (the
    full batch drawn without replacement has no noise at all: its value is drawn at the
    bottom of the axis). The axes are fixed across parameters, so the cloud is seen to shrink.

    Controls: ``batch_size`` :math:`b` and ``replace`` (draw the batch with or without
    replacement).

    Parameters
    ----------
    n : int
        Number of examples (at least 2).
    num_samples : int
        Mini-batch gradients drawn for each choice of the parameters.
    seed : int
        Seed of the data and of the batches: the same parameters give the same figure.

    References
    ----------
    002 (standard error :math:`\sigma/\sqrt N`); 004, Section 4.2 (variance :math:`1/n_b`).

    Examples
    --------
    >>> ex = batch_size_explorer()
    >>> float(ex.frame("current", batch_size=40, replace=False)["exact"][0])   # the full batch: no noise
    0.0
    """
    from course_lib.checks import integer
    from course_lib.stochastic import (
        least_squares, make_regression, minibatch_gradient, minibatch_indices, minibatch_variance,
    )

    n = integer("n", n, minimum=2)
    num_samples = integer("num_samples", num_samples, minimum=1)
    seed = integer("seed", seed)
    data = make_regression(n, 2, noise=0.5, seed=seed)
    problem = least_squares(data.X, data.y)
    theta = problem.x_min + np.array([1.0, -0.5])
    g_all = problem.grad_i(theta, np.arange(n))
    g_bar = problem.grad(theta)
    sigma = np.cov(g_all.T, bias=True)  # (1/n) sum (g_i - g_bar)(g_i - g_bar)^T
    spread = 3.2 * math.sqrt(float(np.linalg.eigvalsh(sigma)[-1]))
    sizes = np.unique(np.geomspace(1, n, 40).round().astype(int))
    top = minibatch_variance(problem, theta, 1, replace=True) * 3
    floor = minibatch_variance(problem, theta, n, replace=True) / 20    # the noise axis: [floor, top]

    def batch(batch_size, replace):
        b = integer("batch_size", batch_size, minimum=1)
        if not replace and b > n:
            raise ValueError(f"Invalid batch_size: {b} > n = {n} (without replacement a batch holds at most n examples).")
        return b, bool(replace)

    def examples():
        return {"gx": g_all[:, 0], "gy": g_all[:, 1]}

    def full():
        return {"gx": [g_bar[0]], "gy": [g_bar[1]]}

    def cloud(batch_size, replace):
        b, replace = batch(batch_size, replace)
        rng = np.random.default_rng(seed + b)
        points = np.array([minibatch_gradient(problem, theta, minibatch_indices(rng, n, b, replace=replace))
                           for _ in range(num_samples)])
        return {"gx": points[:, 0], "gy": points[:, 1]}

    def ellipse(batch_size, replace):
        b, replace = batch(batch_size, replace)
        factor = 1.0 / b if replace else (n - b) / (b * (n - 1))
        lam, vec = np.linalg.eigh(factor * sigma)
        t = np.linspace(0.0, 2 * np.pi, 49)
        xy = g_bar[:, None] + vec @ (2.0 * np.sqrt(np.maximum(lam, 0.0))[:, None] * np.stack([np.cos(t), np.sin(t)]))
        return {"order": np.arange(len(t)), "gx": xy[0], "gy": xy[1]}

    def noise():
        # Without replacement the noise is 0 at b = n: drawn at the bottom of the axis.
        return {"b": sizes, "with": [minibatch_variance(problem, theta, int(s), replace=True) for s in sizes],
                "without": np.maximum([minibatch_variance(problem, theta, int(s), replace=False) for s in sizes], floor / 2)}

    def current(batch_size, replace):
        b, replace = batch(batch_size, replace)
        exact = minibatch_variance(problem, theta, b, replace=replace)
        drawn = cloud(b, replace)
        points = np.column_stack([drawn["gx"], drawn["gy"]])
        measured = float(np.mean(np.sum((points - g_bar) ** 2, axis=1)))
        return {"b_": [b], "exact": [exact], "measured": [measured],
                "exact_shown": [max(exact, floor / 2)], "measured_shown": [max(measured, floor / 2)]}

    def panels(source):
        import altair as alt

        x_scale = alt.Scale(domain=[g_bar[0] - 1.1 * spread, g_bar[0] + 1.1 * spread], nice=False)
        y_scale = alt.Scale(domain=[g_bar[1] - spread, g_bar[1] + spread], nice=False)
        x = alt.X("gx:Q", title="∂C/∂θ₁", scale=x_scale)
        y = alt.Y("gy:Q", title="∂C/∂θ₂", scale=y_scale)
        per_example = source("examples").mark_point(shape=_X, color=GREY, size=30, strokeWidth=1.2, clip=True).encode(x=x, y=y)
        dots = source("cloud").mark_circle(color=BLUE, opacity=0.35, size=14, clip=True).encode(x=x, y=y)
        ring = source("ellipse").mark_line(color=RED, strokeWidth=1.5, clip=True).encode(x=x, y=y, order="order:Q")
        star = source("full").mark_point(shape="diamond", filled=True, color="black", size=90).encode(x=x, y=y)
        legend = source("full").transform_calculate(text="'red: 2 std. dev. of Cov ĝ_B'").mark_text(
            align="left", baseline="bottom", dx=4, dy=-4, fontSize=12, color=RED).encode(
            x=alt.value(0), y=alt.value("height"), text="text:N")
        # The read-out names the per-example gradients (fixed: nothing to redraw when a slider
        # moves), those inside the axes only (an unseen ring would widen the figure).
        inside = source("examples").transform_filter(
            f"abs(datum.gx - {g_bar[0]:.6g}) < {1.1 * spread:.6g} && abs(datum.gy - {g_bar[1]:.6g}) < {spread:.6g}")
        on_examples = readout(inside, "gx", "gy",
                              "'∇Cᵢ = (' + format(datum.gx, '.3~g') + ', ' + format(datum.gy, '.3~g') + ')'", color="#555")
        cloud_panel = alt.layer(per_example, dots, ring, star, legend, *on_examples).properties(
            title="ĝ_B (blue), ∇Cᵢ (grey ×), ∇C (◆)")

        b_scale = alt.Scale(type="log", domain=[1, n], nice=False)
        v_scale = alt.Scale(type="log", domain=[floor, top], nice=False)
        b_x = alt.X("b:Q", title="batch size b", scale=b_scale, axis=alt.Axis(format="~g"))
        with_r = source("noise").mark_line(color=ORANGE, strokeWidth=1.5, clip=True).encode(
            x=b_x, y=alt.Y("with:Q", title="E‖ĝ_B − ∇C‖²", scale=v_scale, axis=alt.Axis(format="~g")))
        without = source("noise").mark_line(color=GREEN, strokeWidth=1.5, strokeDash=[6, 4], clip=True).encode(
            x=b_x, y=alt.Y("without:Q", scale=v_scale))
        b_mark = alt.X("b_:Q", scale=b_scale)
        exact = source("current").mark_point(size=110, color="black", strokeWidth=1.5, clip=True).encode(
            x=b_mark, y=alt.Y("exact_shown:Q", scale=v_scale))
        measured = source("current").mark_point(shape=_PLUS, size=110, strokeWidth=2.5, color=RED, clip=True).encode(
            x=b_mark, y=alt.Y("measured_shown:Q", scale=v_scale))
        caption = source("current").transform_calculate(text=(
            "datum.exact == 0 ? 'zero noise: b = n without replacement'"
            f" : 'noise ' + format(datum.exact, '.3~g') + ' (○), {num_samples} batches ' + format(datum.measured, '.3~g') + ' (+)'"
        )).mark_text(align="left", baseline="top", dx=4, dy=4, fontSize=12, fontWeight="bold", color="black").encode(
            x=alt.value(0), y=alt.value(0), text="text:N")
        schemes = [source("current").transform_calculate(text=f"'{text}'").mark_text(
            align="left", baseline="bottom", dx=4, dy=-4 - 16 * line, fontSize=12, color=color).encode(
            x=alt.value(0), y=alt.value("height"), text="text:N")
            for text, line, color in (("with replacement: σ²/b", 1, ORANGE), ("without: σ²/b · (n−b)/(n−1)", 0, GREEN))]
        noise_panel = alt.layer(with_r, without, exact, measured, caption, *schemes).properties(
            title="Noise against the batch size")
        return [cloud_panel, noise_panel]

    values = sorted({b for b in (1, 2, 3, 5, 8, 12, 20, 30) if b < n} | {n})
    controls = {
        "batch_size": Slider("batch size b", values, 5 if 5 in values else values[0], fmt="{:d}"),
        "replace": Slider("with replacement", [False, True], False, fmt="{}"),
    }
    datasets = {
        "examples": Dataset((), examples),
        "full": Dataset((), full),
        "cloud": Dataset(("batch_size", "replace"), cloud),
        "ellipse": Dataset(("batch_size", "replace"), ellipse),
        "noise": Dataset((), noise),
        "current": Dataset(("batch_size", "replace"), current),
    }
    return LiveExplorer(controls, datasets, panels, height=240, description=(
        "Mini-batch gradients of a least-squares problem scattered around the full gradient with the "
        "two-standard-deviation ellipse of their covariance, and their noise against the batch size with and "
        "without replacement"))


# The live explorers of this chapter (tests/test_explorers_live.py checks every one listed here).
EXPLORERS = [batch_size_explorer]
