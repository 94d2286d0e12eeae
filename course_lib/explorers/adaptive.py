r"""Explorers of chapter 4 (adaptive methods: AdaGrad, RMSProp, Adam and their relatives).

:func:`optimizer_race_explorer`
    Gradient descent, heavy-ball momentum, RMSProp and Adam racing on Rosenbrock's function:
    the learning-rate multiplier and the starting point against the paths and the losses.
"""

from __future__ import annotations

import math

from functools import lru_cache

import numpy as np

from course_lib.explorers.live import Dataset, LiveExplorer, Slider, readout

NAMES = ("GD", "momentum", "RMSProp", "Adam")
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e")
BASE_RATES = (1e-3, 1e-3, 5e-3, 5e-2)   # eta of each method at multiplier 1
_XLIM, _YLIM = (-2.0, 2.0), (-1.0, 3.0)  # the path panel
_FLOOR, _CEILING = 1e-12, 1e4           # the loss panel's range
_DELTA = 0.03                           # paths: iterates closer than this to the last drawn one are skipped
_MAX_DRAWN = 60                         # ... with the distance doubled until a run has at most this many points
_LOSS_TIMES = 40                        # the loss is drawn at about this many log-spaced iterations


def _inside(points) -> np.ndarray:
    return ((points[:, 0] >= _XLIM[0]) & (points[:, 0] <= _XLIM[1])
            & (points[:, 1] >= _YLIM[0]) & (points[:, 1] <= _YLIM[1]))


def thin_path(points, delta: float = _DELTA, max_drawn: int = _MAX_DRAWN) -> np.ndarray:
    """Indices of the iterates a path is drawn through: the first, every iterate farther than
    ``delta`` from the last one kept, and the last; ``delta`` is doubled until at most
    ``max_drawn`` remain (a run that jitters in place is drawn as a scribble of that many points).

    >>> thin_path(np.array([[0.0, 0], [0.001, 0], [0.5, 0], [0.501, 0]]), delta=0.1).tolist()
    [0, 2, 3]
    """
    points = np.asarray(points, dtype=float).tolist()     # plain floats: a thousand steps in a millisecond
    while True:
        keep = [0]
        kx, ky = points[0]
        for i, (x, y) in enumerate(points[1:], 1):
            if math.hypot(x - kx, y - ky) > delta:
                keep.append(i)
                kx, ky = x, y
        if keep[-1] != len(points) - 1:
            keep.append(len(points) - 1)
        if len(keep) <= max_drawn:
            return np.array(keep)
        delta *= 2


def loss_times(num_steps: int, count: int = _LOSS_TIMES) -> np.ndarray:
    """About ``count`` iterations from 1 to ``num_steps``, evenly spaced on a log scale (the
    loss panel's axis), every iteration up to 10.

    >>> loss_times(1000, 20)[[0, -1]].tolist()
    [1, 1000]
    """
    return np.unique(np.concatenate([np.arange(1, min(10, num_steps) + 1),
                                     np.rint(np.geomspace(1, num_steps, count)).astype(int)]))


def optimizer_race_explorer(num_steps: int = 1000) -> LiveExplorer:
    r"""GD, momentum, RMSProp and Adam racing from the same start on the Rosenbrock function.

    The objective is :math:`C(\theta) = (1 - \theta_1)^2 + 100(\theta_2 - \theta_1^2)^2`
    (:func:`course_lib.problems.rosenbrock`), with minimiser :math:`\theta^* = (1, 1)`. Each
    method runs ``num_steps`` steps with :func:`course_lib.optim.run` from the same start and a
    base learning rate (gradient descent and heavy-ball momentum, :math:`\mu = 0.9`:
    :math:`10^{-3}`; RMSProp, decay 0.9: :math:`5\times10^{-3}`; Adam, default :math:`\beta`'s:
    :math:`5\times10^{-2}`), all multiplied by the one control ``lr_scale``.

    Panels: the four paths on the contours (each drawn up to its first iterate after the last
    one inside the box, through the iterates :func:`thin_path` keeps: 1000 iterates of four
    methods on every grid point would weigh megabytes); :math:`C(\theta_t)` against :math:`t`
    on log-log axes at the iterations :func:`loss_times` (about 40, log-spaced; a divergent
    run's loss leaves the panel at the top), with each method's learning rate and final loss,
    or the step at which it overflowed (where :func:`~course_lib.optim.run` stops).

    Controls: ``lr_scale``, the learning-rate multiplier (from crawling to divergence), and
    ``start``, the first coordinate of :math:`\theta_0 = (\theta_{0,1}, 1)` (the classic start
    :math:`(-1.2, 1)`, points on both sides of the minimum, on and off the valley floor).

    Parameters
    ----------
    num_steps : int
        Number of steps of each method.

    References
    ----------
    000, eqs. (2.7)-(2.8); 001 (AdaGrad, RMSProp and Adam slides); 004, Algorithm 4.2.

    Examples
    --------
    >>> ex = optimizer_race_explorer(num_steps=50)
    >>> ex.frame("final", lr_scale=10.0)["overflow"].tolist()   # GD and momentum diverge at once
    [8.0, 8.0, -1.0, -1.0]
    """
    from course_lib.checks import integer, real
    from course_lib.optim import adam, gradient_descent, momentum as heavy_ball, rmsprop, run_many
    from course_lib.problems import rosenbrock

    num_steps = integer("num_steps", num_steps, minimum=1)
    problem = rosenbrock()
    makers = (gradient_descent, lambda lr: heavy_ball(lr, 0.9), lambda lr: rmsprop(lr, 0.9), adam)
    times = loss_times(num_steps)
    grads = lambda P: problem.grad(P.T).T       # one point per row

    def race(settings):
        """Each method's run for each (scale, start) of ``settings``: one run_many per method."""
        scales = np.array([scale for scale, _ in settings])
        starts = np.array([[start, 1.0] for _, start in settings])
        by_method = [run_many(make, base * scales, grads, starts, num_steps) for make, base in zip(makers, BASE_RATES)]
        return {setting: tuple(paths[i] for paths in by_method) for i, setting in enumerate(settings)}

    @lru_cache(maxsize=None)
    def on_sliders():
        return race([(scale, start) for scale in controls["lr_scale"].values for start in controls["start"].values])

    @lru_cache(maxsize=None)
    def runs(lr_scale, start):
        scale = real("lr_scale", lr_scale, positive=True, hint=" (it multiplies every base learning rate)")
        start = real("start", start, hint=" (the first coordinate of the start)")
        if lr_scale in controls["lr_scale"].values and start in controls["start"].values:
            return on_sliders()[lr_scale, start]       # every slider position at once (the book's tables)
        return race([(scale, start)])[scale, start]

    def losses(points):
        with np.errstate(over="ignore", invalid="ignore"):
            values = problem.fun(np.asarray(points).T)
        return np.where(np.isfinite(values), values, np.inf)

    def path(lr_scale, start):
        rows = {"m": [], "t": [], "x": [], "y": []}
        for m, points in enumerate(runs(lr_scale, start)):
            # Up to the first iterate after the last one inside the box: a divergent run leaves the
            # axes, a convergent one is drawn whole (its excursions clipped by the panel).
            inside = np.flatnonzero(_inside(points))
            last = min(int(inside[-1]) + 1 if len(inside) else 1, len(points) - 1)
            keep = thin_path(points[: last + 1])
            rows["m"] += [m] * len(keep)
            rows["t"] += list(keep)
            rows["x"] += list(np.round(points[keep, 0], 3))     # 0.001 is a tenth of a pixel
            rows["y"] += list(np.round(points[keep, 1], 3))
        return rows

    def loss(lr_scale, start):
        columns = {"t": times}
        for name, points in zip(NAMES, runs(lr_scale, start)):
            values = np.full(len(times), np.inf)
            ran = times < len(points)               # after a divergent run stopped: off the panel
            values[ran] = losses(points)[times[ran]]
            columns[name] = np.clip(values, _FLOOR / 10, _CEILING * 10)
        return columns

    def final(lr_scale, start):
        rows = {"m": [], "eta": [], "final": [], "overflow": []}
        for m, (base, points) in enumerate(zip(BASE_RATES, runs(lr_scale, start))):
            # run stops early when the next iterate (or the gradient far away) overflows.
            overflow = len(points) if len(points) < num_steps + 1 else -1
            rows["m"].append(m)
            rows["eta"].append(base * lr_scale)
            rows["final"].append(float(np.clip(losses(points[-1:])[0], _FLOOR / 10, 1e300)) if overflow < 0 else 0.0)
            rows["overflow"].append(overflow)
        return rows

    def contours():
        # The level set C = c is x = 1 - sqrt(c) cos s, y = x^2 +- sqrt(c) sin(s) / 10 (s in [0, pi]),
        # drawn where x is inside the panel, each branch (sign) a line of its own.
        rows = {"line": [], "order": [], "x": [], "y": []}
        for i, c in enumerate(np.geomspace(0.05, 2000, 12)):
            r = np.sqrt(c)
            s = np.linspace(np.arccos(min((1 - _XLIM[0]) / r, 1.0)), np.arccos(max((1 - _XLIM[1]) / r, -1.0)), 40)
            for sign in (1, -1):
                x = 1 - r * np.cos(s)
                y = x ** 2 + sign * r * np.sin(s) / 10
                rows["line"] += [2 * i + (sign < 0)] * len(s)
                rows["order"] += list(range(len(s)))
                rows["x"] += list(np.round(x, 3))
                rows["y"] += list(np.round(y, 3))
        return rows

    def panels(source):
        import altair as alt

        color = alt.Color("m:N", scale=alt.Scale(domain=list(range(4)), range=list(COLORS)), legend=None)
        x_box = alt.Scale(domain=list(_XLIM), nice=False)
        y_box = alt.Scale(domain=list(_YLIM), nice=False)
        x1, y1 = alt.X("x:Q", scale=x_box, title="θ₁"), alt.Y("y:Q", scale=y_box, title="θ₂")
        level_sets = source("contours").mark_line(color="#c7c7c7", strokeWidth=1, clip=True).encode(
            x=x1, y=y1, detail="line:N", order="order:Q")
        walks = source("path").mark_line(strokeWidth=1.3, clip=True).encode(x=x1, y=y1, color=color, detail="m:N",
                                                                              order="t:Q")
        start = source("path").transform_filter("datum.t == 0 && datum.m == 0").mark_point(
            shape="square", filled=True, color="black", size=70).encode(x=x1, y=y1)
        optimum = alt.Chart(alt.Data(values=[{"x": 1.0, "y": 1.0}])).mark_point(
            shape="diamond", filled=True, color="black", size=90).encode(x=x1, y=y1)
        names = "['" + "', '".join(NAMES) + "'][datum.m]"
        on_path = readout(
            source("path").transform_filter(f"(datum.t > 0 || datum.m == 0) && datum.x >= {_XLIM[0]} && datum.x <= {_XLIM[1]} && "
                                            f"datum.y >= {_YLIM[0]} && datum.y <= {_YLIM[1]}"),
            "x", "y", names + " + ', t = ' + datum.t + ':  θ = (' + format(datum.x, '.3f') + ', ' + format(datum.y, '.3f') + ')'",
            fields=["m", "t"])
        path_panel = alt.layer(level_sets, walks, start, optimum, *on_path).properties(
            title="Paths from θ₀ (square) to θ* = (1, 1) (diamond)")

        t_axis = alt.X("t:Q", title="iteration t", scale=alt.Scale(type="log", domain=[1, num_steps], nice=False),
                       axis=alt.Axis(values=[10 ** e for e in range(6) if 10 ** e <= num_steps], format="d"))
        log = alt.Scale(type="log", domain=[_FLOOR, _CEILING], nice=False)
        # No read-out here: its hundreds of invisible rings cost more per slider move than the
        # path panel's; the key gives each method's final loss.
        folded = source("loss").transform_fold(list(NAMES), as_=["method", "loss"])
        method_color = alt.Color("method:N", scale=alt.Scale(domain=list(NAMES), range=list(COLORS)), legend=None)
        curves = folded.mark_line(strokeWidth=1.5, clip=True).encode(
            x=t_axis, y=alt.Y("loss:Q", scale=log, title="C(θₜ)", axis=alt.Axis(
                values=[10.0 ** e for e in range(-12, 5, 2)], labelExpr="'1e' + round(log(datum.value) / LN10)")),
            color=method_color, detail="method:N")
        keys = [
            source("final").transform_filter(f"datum.m == {m}").transform_calculate(
                text=f"'{name}, η = ' + format(datum.eta, '.2~g') + (datum.overflow < 0 ? ': C = ' + "
                     "format(datum.final, '.2~e') : ': overflow at t = ' + datum.overflow)").mark_text(
                align="left", baseline="bottom", fontSize=12, fontWeight="bold", color=COLORS[m]).encode(
                x=alt.value(4), y=alt.value(_HEIGHT - 4 - 15 * (3 - m)), text="text:N")
            for m, name in enumerate(NAMES)
        ]
        loss_panel = alt.layer(curves, *keys).properties(title="Loss C(θₜ), log-log; below: η and the final C")
        return [path_panel, loss_panel]

    controls = {
        "lr_scale": Slider("learning-rate multiplier", [0.1, 0.3, 1.0, 2.0, 3.0, 10.0], 1.0, fmt="{:g}"),
        "start": Slider("start θ₀", [-1.5, -1.2, -0.5, 0.0, 0.5, 1.5], -1.2, fmt="({:g}, 1)"),
    }
    datasets = {
        "contours": Dataset((), contours),
        "path": Dataset(("lr_scale", "start"), path),
        "loss": Dataset(("lr_scale", "start"), loss),
        "final": Dataset(("lr_scale", "start"), final),
    }
    return LiveExplorer(controls, datasets, panels, height=_HEIGHT, description=(
        "Gradient descent, momentum, RMSProp and Adam from the same start on Rosenbrock's function: their paths "
        "on the contours and their losses against the step number on log-log axes"))


_HEIGHT = 250

# The live explorers of this chapter (tests/test_explorers_live.py checks every one listed here).
EXPLORERS = [optimizer_race_explorer]
