r"""Explorers of chapter 10 (networks and their loss landscapes).

:func:`saddle_escape_explorer`
    Perturbed gradient descent (:func:`course_lib.landscapes.perturbed_gd`) near the strict
    saddle of source 001's one-unit network loss :math:`(1 - w_1 w_2)^2`: the kick radius and
    the learning rate against the time to escape.
"""

from __future__ import annotations

import numpy as np

from course_lib.explorers.live import Dataset, LiveExplorer, Slider, readout

GREEN, GREY = "#2ca02c", "#999999"
_RUN_COLORS = ["#1f77b4", "#ff7f0e", "#9467bd", "#d62728", "#8c564b", "#e377c2", "#17becf", "#7f7f7f",
               "#bcbd22", "#393b79"]
_LIM = 1.8                       # the path panel shows [-_LIM, _LIM]^2
_LOSS_TOP = 2.8                  # the loss panel shows [-0.05, _LOSS_TOP]
_LEVELS = (0.05, 0.25, 0.6, 1.0, 2.0, 4.0)   # contours of C drawn
_TOL = 0.03                      # a drawn point moves by more than this (about 2 px) in w or C
_GAP = 12                        # ... or comes this many steps after the last one drawn
_PROBE_TOL, _PROBE_GAP = 0.2, 40     # the same for the points the read-outs pick from
_ESCAPED = 0.5                   # a run has escaped once its loss is below this


def _saddle_loss(w1, w2):
    return (1.0 - w1 * w2) ** 2


def _saddle_grad(w):
    r = 1.0 - w[0] * w[1]
    return np.array([-2.0 * w[1] * r, -2.0 * w[0] * r])


def _hyperbola(p: float, lim: float, num: int = 33):
    """The curve :math:`w_1 w_2 = p` inside :math:`[-lim, lim]^2`: two branches (the axes for
    ``p = 0``), each as ``(w1, w2)`` arrays."""
    if p == 0:
        line = np.array([-lim, lim])
        return [(line, np.zeros(2)), (np.zeros(2), line)]
    w1 = np.geomspace(abs(p) / lim, lim, num)
    return [(w1, p / w1), (-w1, -p / w1)]


def saddle_escape_explorer(num_steps: int = 120, num_runs: int = 5, start: float = 0.8) -> LiveExplorer:
    r"""Perturbed gradient descent from the stable line of the saddle of :math:`C(w) = (1 - w_1 w_2)^2`.

    The origin is a strict saddle: :math:`\nabla^2 C(0) = \begin{pmatrix} 0 & -2 \\ -2 & 0\end{pmatrix}`,
    eigenvalue :math:`-2` along :math:`(1, 1)` and :math:`+2` along :math:`(1, -1)`. Gradient
    descent from :math:`(s, -s)` stays on the line :math:`w_1 = -w_2` and converges to the saddle;
    :func:`course_lib.landscapes.perturbed_gd` adds a kick drawn uniformly from a ball of radius
    :math:`r` whenever :math:`\|g\| \le 10^{-3}` (at most every 10 steps), and the kick's
    component along :math:`(1, 1)` grows by :math:`1 + 2\eta` per step until the run reaches the
    valley of minima :math:`w_1 w_2 = 1`.

    Panels: ``num_runs`` seeded runs (seeds 0, 1, ...) on the contours of :math:`C` (hyperbolas
    :math:`w_1 w_2 = 1 \pm \sqrt c`), with the two branches of the valley of minima, the start
    and the saddle; their losses against the step, with the plateau :math:`C = 1`, the kicks
    (triangles), and how many runs escaped (loss below 1/2) at which median step. A run is drawn
    at the iterates where it has moved by more than 0.02 (in :math:`w` or in :math:`C`) since
    the last one drawn, or 10 steps later, and the last; up to its first iterate outside the
    panel's box.

    Controls: ``radius`` :math:`r` (0 is gradient descent) and ``eta`` :math:`\eta`.

    Parameters
    ----------
    num_steps : int
        Steps per run (at least 1).
    num_runs : int
        Seeds drawn (1 to 10).
    start : float
        The start :math:`(s, -s)`, with :math:`0 < s \le 1.5`.

    References
    ----------
    001 (the loss :math:`(1 - w_1 w_2)^2`, strict saddles, perturbed SGD); Jin et al. (2017).

    Examples
    --------
    >>> ex = saddle_escape_explorer(num_steps=60)
    >>> ex.frame("summary", radius=0.0, eta=0.2)["escaped"]    # gradient descent stays at the saddle
    array([0.])
    """
    from course_lib.checks import integer, real
    from course_lib.landscapes import perturbed_gd

    num_steps = integer("num_steps", num_steps, minimum=1)
    num_runs = integer("num_runs", num_runs, minimum=1)
    if num_runs > 10:
        raise ValueError(f"Invalid num_runs: {num_runs!r} (an integer from 1 to 10).")
    start = real("start", start, positive=True)
    if start > 1.5:
        raise ValueError(f"Invalid start: {start!r} (a number in (0, 1.5]).")
    x0 = np.array([start, -start])
    cache = {}

    def runs(radius, eta):
        radius = real("radius", radius, nonnegative=True)
        eta = real("eta", eta, positive=True)
        if eta > 0.25:
            raise ValueError(f"Invalid eta: {eta!r} (a number in (0, 0.25]: larger steps diverge on this loss).")
        key = (radius, eta)
        if key not in cache:
            cache[key] = [perturbed_gd(_saddle_grad, x0, float(eta), num_steps, radius=float(radius),
                                       grad_threshold=1e-3, wait=10, seed=seed) for seed in range(num_runs)]
        return cache[key]

    def drawn(radius, eta, tol, gap):
        # Each run at its iterates that moved by more than tol (in w or in C) since the last one
        # kept, or gap steps later, and its last, up to its first iterate outside the box.
        rows = {"t": [], "run": [], "w1": [], "w2": [], "loss": []}
        for seed, out in enumerate(runs(radius, eta)):
            w = out.path
            outside = np.any(np.abs(w) > _LIM, axis=1)
            last = int(np.argmax(outside)) if outside.any() else len(w) - 1
            loss = _saddle_loss(w[:, 0], w[:, 1])
            kept = [0]
            for t in range(1, last + 1):
                j = kept[-1]
                if t == last or t - j >= gap or np.max(np.abs(w[t] - w[j])) > tol or abs(loss[t] - loss[j]) > tol:
                    kept.append(t)
            rows["t"] += kept
            rows["run"] += [seed] * len(kept)
            # three decimals: a pixel is about 0.014 in either panel
            rows["w1"] += list(np.round(w[kept, 0], 3))
            rows["w2"] += list(np.round(w[kept, 1], 3))
            rows["loss"] += list(np.round(np.minimum(loss[kept], _LOSS_TOP + 1), 3))
        return rows

    def path(radius, eta):
        return drawn(radius, eta, _TOL, _GAP)

    def probe(radius, eta):
        # fewer points for the read-out (each point it can pick costs time at every slider move)
        return drawn(radius, eta, _PROBE_TOL, _PROBE_GAP)

    def kicks(radius, eta):
        rows = {"t": [], "run": [], "loss": []}
        for seed, out in enumerate(runs(radius, eta)):
            for t in out.kicks:
                rows["t"].append(t)
                rows["run"].append(seed)
                rows["loss"].append(round(float(_saddle_loss(*out.path[t])), 3))
        return rows

    def summary(radius, eta):
        first = []
        for out in runs(radius, eta):
            below = np.flatnonzero(_saddle_loss(out.path[:, 0], out.path[:, 1]) < _ESCAPED)
            if below.size:
                first.append(int(below[0]))
        kicked = sum(1 for out in runs(radius, eta) if out.kicks)
        return {"escaped": [len(first)], "median": [float(np.median(first)) if first else 0.0], "kicked": [kicked],
                "t_end": [num_steps]}

    def contours():
        rows = {"curve": [], "order": [], "w1": [], "w2": []}
        curve = 0
        for c in _LEVELS:
            for p in (1 - np.sqrt(c), 1 + np.sqrt(c)):
                for w1, w2 in _hyperbola(float(p), _LIM):
                    rows["curve"] += [curve] * len(w1)
                    rows["order"] += list(range(len(w1)))
                    rows["w1"] += list(np.round(w1, 3))
                    rows["w2"] += list(np.round(w2, 3))
                    curve += 1
        return rows

    def minima():
        rows = {"branch": [], "order": [], "w1": [], "w2": []}
        for b, (w1, w2) in enumerate(_hyperbola(1.0, _LIM, num=49)):
            rows["branch"] += [b] * len(w1)
            rows["order"] += list(range(len(w1)))
            rows["w1"] += list(w1)
            rows["w2"] += list(w2)
        return rows

    def panels(source):
        import altair as alt

        box = alt.Scale(domain=[-_LIM, _LIM], nice=False)
        x = alt.X("w1:Q", scale=box, title="w₁")
        y = alt.Y("w2:Q", scale=box, title="w₂")
        colors = alt.Color("run:N", scale=alt.Scale(domain=list(range(num_runs)), range=_RUN_COLORS[:num_runs]),
                           legend=None)
        level_sets = source("contours").mark_line(color="#c7c7c7", strokeWidth=1, clip=True).encode(
            x=x, y=y, detail="curve:N", order="order:Q")
        valley = source("minima").mark_line(color=GREEN, strokeWidth=2, clip=True).encode(
            x=x, y=y, detail="branch:N", order="order:Q")
        walks = source("path").mark_line(strokeWidth=1.3, clip=True, opacity=0.9).encode(
            x=x, y=y, color=colors, detail="run:N", order="t:Q")
        marks = alt.Chart(alt.Data(values=[{"w1": start, "w2": -start, "shape": "square"},
                                           {"w1": 0.0, "w2": 0.0, "shape": "cross"}]))
        start_mark = marks.transform_filter("datum.shape == 'square'").mark_point(
            shape="square", filled=True, color="black", size=60).encode(x=x, y=y)
        saddle_mark = marks.transform_filter("datum.shape == 'cross'").mark_point(
            shape="cross", filled=True, color="black", size=90, angle=45).encode(x=x, y=y)
        # (read-outs only of points inside their panel: the last point of a run may lie beyond it)
        on_path = readout(source("probe").transform_filter(f"abs(datum.w1) <= {_LIM} && abs(datum.w2) <= {_LIM}"),
                          "w1", "w2",
                          "'run ' + datum.run + ', t=' + datum.t + ': w=(' + format(datum.w1, '.2f') + ', '"
                          " + format(datum.w2, '.2f') + ')'", fields=["run", "t"])
        path_panel = alt.layer(level_sets, valley, walks, start_mark, saddle_mark, *on_path).properties(
            title="Runs from ■ past the saddle × to minima (green)")

        t_axis = alt.X("t:Q", title="step t", scale=alt.Scale(domain=[0, num_steps], nice=False))
        c_scale = alt.Scale(domain=[-0.05, _LOSS_TOP], nice=False)
        plateau = alt.Chart(alt.Data(values=[{"one": 1.0}])).mark_rule(color=GREY, strokeDash=[2, 3]).encode(
            y=alt.Y("one:Q", scale=c_scale))
        losses = source("path").mark_line(strokeWidth=1.3, clip=True).encode(
            x=t_axis, y=alt.Y("loss:Q", scale=c_scale, title="C(wₜ)"), color=colors, detail="run:N", order="t:Q")
        kick_marks = source("kicks").mark_point(shape="triangle-down", filled=True, size=40, clip=True).encode(
            x=t_axis, y=alt.Y("loss:Q", scale=c_scale), color=colors)
        caption = source("summary").transform_calculate(text=(
            f"datum.escaped > 0 ? datum.escaped + ' of {num_runs} escaped, median step ' + format(datum.median, '.4~g')"
            f" : (datum.kicked > 0 ? 'no run escaped in {num_steps} steps'"
            f" : 'no kick: ‖g‖ > 0.001 for {num_steps} steps')")).mark_text(
            align="right", baseline="top", fontSize=12, fontWeight="bold", color="#333").encode(
            x=alt.X("t_end:Q", scale=alt.Scale(domain=[0, num_steps], nice=False)), y=alt.value(22), text="text:N")
        on_loss = readout(source("probe").transform_filter(f"datum.loss <= {_LOSS_TOP}"), "t", "loss",
                          "'t=' + datum.t + ': C=' + format(datum.loss, '.3f') + ', w=(' + format(datum.w1, '.2f') + ', '"
                          " + format(datum.w2, '.2f') + ')'", fields=["run", "t"])
        loss_panel = alt.layer(plateau, losses, kick_marks, caption, *on_loss).properties(
            title="Losses, kicks ▼; dotted: the plateau C = 1")
        return [path_panel, loss_panel]

    controls = {
        "radius": Slider("kick radius r", [0.0, 1e-6, 1e-4, 1e-2, 0.1, 0.5], 1e-2, fmt="{:g}"),
        "eta": Slider("learning rate η", [0.02, 0.05, 0.1, 0.15, 0.2, 0.25], 0.1, fmt="{:g}"),
    }
    datasets = {
        "path": Dataset(("radius", "eta"), path),
        "probe": Dataset(("radius", "eta"), probe),
        "kicks": Dataset(("radius", "eta"), kicks),
        "summary": Dataset(("radius", "eta"), summary),
        "contours": Dataset((), contours),
        "minima": Dataset((), minima),
    }
    return LiveExplorer(controls, datasets, panels, width=_WIDTH, height=_HEIGHT, description=(
        "Perturbed gradient descent runs from the stable line of the saddle of the loss (1 - w1 w2) squared, "
        "drawn on its contours with the two branches of the hyperbola of minima, and their losses against "
        "the step with the kicks and the number of runs that escaped"))


_WIDTH, _HEIGHT = 250, 240

# The live explorers of this chapter (tests/test_explorers_live.py checks every one listed here).
EXPLORERS = [saddle_escape_explorer]
