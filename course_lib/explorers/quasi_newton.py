r"""Explorers of chapter 8 (Quasi-Newton methods).

:func:`quasi_newton_race_explorer`
    Gradient descent with exact line search, BFGS, L-BFGS and safeguarded Newton racing on
    Rosenbrock's function: the paths, the errors on a log scale and the cost of each run, for
    L-BFGS's memory :math:`m` and the steepness :math:`b` of the valley.
"""

from __future__ import annotations

import numpy as np

from course_lib.explorers.live import Dataset, LiveExplorer, Slider, readout

BLUE, RED, GREEN, ORANGE = "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e"
_METHODS = ("GD, exact search", "BFGS", "Newton", "L-BFGS")   # the column ``method`` indexes these
_SHORT = ("GD", "BFGS", "Newton", "L-BFGS")
_COLORS = (BLUE, RED, GREEN, ORANGE)
_X0, _X_STAR = (-1.2, 1.0), (1.0, 1.0)
_BOX = ((-1.6, 1.6), (-0.6, 1.6))  # the path panel
_K_MAX = 120                       # the error panel's iterations (gradient descent goes on beyond)
_FLOOR = 1e-15                     # the error panel's lower end
_TOL = 1e-10                       # every run stops at ||grad f|| <= _TOL
_HEIGHT = 210                      # a panel's height in pixels


def _pieces(x, y, box, margin=0.05):
    """Split a curve into the runs of consecutive points inside ``box`` (widened by ``margin``),
    each run extended by one point at both ends so that its line reaches the panel's edge."""
    (x0, x1), (y0, y1) = box
    inside = (x >= x0 - margin) & (x <= x1 + margin) & (y >= y0 - margin) & (y <= y1 + margin)
    near = inside.copy()
    near[1:] |= inside[:-1]
    near[:-1] |= inside[1:]
    runs, start = [], None
    for i, keep in enumerate(near):
        if keep and start is None:
            start = i
        if not keep and start is not None:
            runs.append(slice(start, i))
            start = None
    if start is not None:
        runs.append(slice(start, len(x)))
    return [(x[r], y[r]) for r in runs if r.stop - r.start >= 2]


def quasi_newton_race_explorer(max_steps: int = 400) -> LiveExplorer:
    r"""Gradient descent with exact line search, BFGS, L-BFGS with memory :math:`m` and Newton's
    method (safeguarded) racing on Rosenbrock's function

    .. math::

        f(x) = (1 - x_1)^2 + b\,(x_2 - x_1^2)^2, \qquad x^\star = (1, 1),

    from :math:`x_0 = (-1.2, 1)`, each until :math:`\|\nabla f(x_k)\| \le 10^{-10}` or
    ``max_steps`` steps (:func:`course_lib.linesearch.line_search_descent` with
    ``step="exact"``, :func:`course_lib.quasi_newton.bfgs`,
    :func:`course_lib.quasi_newton.lbfgs`, :func:`course_lib.newton.safeguarded_newton`).

    Panels: the paths on the contours; the error :math:`\|x_k - x^\star\|` against the
    iteration on a log scale, where the orders show as shapes: a straight line (linear), a curve
    bending down (superlinear), a cliff (quadratic); the cost of each run (steps, evaluations of
    :math:`f`, :math:`\nabla f` and :math:`\nabla^2 f`).

    Controls: ``m``, L-BFGS's memory, and ``b``, the steepness of the valley's walls: the
    Hessian at :math:`x^\star`, :math:`\begin{pmatrix} 2 + 8b & -4b \\ -4b & 2b \end{pmatrix}`,
    has determinant :math:`4b` and trace :math:`2 + 10b`, so its condition number is about
    :math:`25\,b` for large :math:`b`.

    Every run costs a fraction of a second, so the whole grid is computed when the explorer is
    built. One table (``runs``, depending on ``b``) holds the four methods, L-BFGS once per
    memory (column ``memory``: the index of :math:`m`'s value, -1 for the other methods); the
    chart keeps the L-BFGS rows of the current memory. Pointing at an iterate in the error panel
    reads out its error and rings it on its path.

    Parameters
    ----------
    max_steps : int
        Iteration limit of every run (gradient descent reaches it).

    References
    ----------
    Nocedal and Wright (2006), Sections 3.3 (steepest descent's linear rate), 6.1 (BFGS),
    7.2 (L-BFGS), 3.4 (Newton's method with a modified Hessian).

    Examples
    --------
    >>> ex = quasi_newton_race_explorer(max_steps=60)
    >>> costs = ex.frame("costs", b=100)
    >>> int(costs["nit"][0]), bool(costs["success"][0])     # gradient descent stops at the limit
    (60, False)
    """
    from course_lib import linesearch as ls
    from course_lib.checks import integer, real
    from course_lib.newton import safeguarded_newton
    from course_lib.problems import rosenbrock
    from course_lib.quasi_newton import bfgs, lbfgs

    max_steps = integer("max_steps", max_steps, minimum=1)
    controls = {
        "m": Slider("L-BFGS memory m", [1, 2, 3, 5, 10, 20], 5, fmt="{:g}"),
        "b": Slider("valley steepness b", [1, 10, 100, 1000], 100, fmt="{:g}"),
    }
    memories = list(controls["m"].values)
    cache = {}

    def race(b):
        """The runs at steepness ``b``: ``[(method, memory index, result)]``."""
        b = real("b", b, positive=True)
        if b not in cache:
            p = rosenbrock(b=b)
            x0 = np.array(_X0)
            cache[b] = [
                (0, -1, ls.line_search_descent(p.fun, p.grad, x0, step="exact", tol=_TOL, maxiter=max_steps)),
                (1, -1, bfgs(p.fun, p.grad, x0, tol=_TOL, maxiter=max_steps)),
                (2, -1, safeguarded_newton(p.fun, p.grad, p.hess, x0, tol=_TOL, maxiter=max_steps)),
            ] + [(3, i, lbfgs(p.fun, p.grad, x0, m=int(m), tol=_TOL, maxiter=max_steps)) for i, m in enumerate(memories)]
        return cache[b]

    def runs(b):
        rows = {"method": [], "memory": [], "k": [], "x1": [], "x2": [], "error": []}
        for method, memory, res in race(b):
            # Gradient descent's iterates after the 20th: every fifth up to the error panel's last
            # iteration, then every tenth, and the last. Its zig-zag across the valley is then
            # narrower than 0.02 (two pixels); fewer points keep the pointer's read-out quick.
            k = np.arange(len(res.history))
            if method == 0:
                k = k[(k <= 20) | (k % 5 == 0) & (k <= _K_MAX) | (k % 10 == 0) | (k == k[-1])]
            path = res.history[k]
            error = np.linalg.norm(path - np.array(_X_STAR), axis=1)
            rows["method"] += [method] * len(path)
            rows["memory"] += [memory] * len(path)
            rows["k"] += list(k)
            rows["x1"] += list(path[:, 0])
            rows["x2"] += list(path[:, 1])
            # below the axis (an exact hit, 0, has no logarithm): drawn as a cliff off the panel
            rows["error"] += list(np.maximum(error, _FLOOR / 10))
        return rows

    def costs(b):
        rows = {"method": [], "memory": [], "nit": [], "nfev": [], "njev": [], "nhev": [], "success": []}
        for method, memory, res in race(b):
            rows["method"].append(method)
            rows["memory"].append(memory)
            for name in ("nit", "nfev", "njev", "nhev", "success"):
                rows[name].append(float(getattr(res, name)))
        return rows

    def contours(b):
        # f = c is the curve x1 = 1 + sqrt(c) cos t, x2 = x1^2 + sqrt(c / b) sin t: (1 - x1)^2 = c cos^2 t
        # and b (x2 - x1^2)^2 = c sin^2 t. Only the arcs with x1 in the panel are sampled.
        b = real("b", b, positive=True)
        (lo, hi), _ = _BOX
        rows = {"piece": [], "order": [], "x": [], "y": []}
        piece = 0
        for c in np.geomspace(0.05, max(20.0, 5.0 * b), 9):
            r = np.sqrt(c)
            a = np.arccos(np.clip((hi - 1) / r, -1, 1))      # x1 = hi at t = a
            z = np.arccos(np.clip((lo - 1) / r, -1, 1))      # x1 = lo at t = z
            if a == 0 and z == np.pi:                       # the whole curve is within x1's range
                arcs = [np.linspace(0, 2 * np.pi, 60)]
            else:                                           # its upper and lower arcs
                arcs = [np.linspace(a, z, 30), np.linspace(-a, -z, 30)]
            for t in arcs:
                x = 1 + r * np.cos(t)
                y = x**2 + np.sqrt(c / b) * np.sin(t)
                for px, py in _pieces(x, y, _BOX):
                    rows["piece"] += [piece] * len(px)
                    rows["order"] += list(range(len(px)))
                    rows["x"] += list(px)
                    rows["y"] += list(py)
                    piece += 1
        return rows

    def panels(source):
        import altair as alt

        color = alt.Color("method:N", scale=alt.Scale(domain=[0, 1, 2, 3], range=list(_COLORS)), legend=None)
        current = "datum.memory < 0 || datum.memory == m"   # L-BFGS at the current memory only
        names = "['" + "', '".join(_METHODS) + "'][datum.method]"
        memory = "(datum.method == 3 ? ', m = ' + [" + ", ".join(f"{v:g}" for v in memories) + "][datum.memory] : '')"
        shown = source("runs").transform_filter(current)

        x_scale = alt.Scale(domain=list(_BOX[0]), nice=False)
        y_scale = alt.Scale(domain=list(_BOX[1]), nice=False)
        level_sets = source("contours").mark_line(color="#c7c7c7", strokeWidth=1, clip=True).encode(
            x=alt.X("x:Q", scale=x_scale, title="x₁"), y=alt.Y("y:Q", scale=y_scale, title="x₂"),
            detail="piece:N", order="order:Q")
        p_x = alt.X("x1:Q", scale=x_scale, title="x₁")
        p_y = alt.Y("x2:Q", scale=y_scale, title="x₂")
        paths = shown.mark_line(strokeWidth=1.2, clip=True).encode(
            x=p_x, y=p_y, color=color, detail="method:N", order="k:Q")
        steps = shown.transform_filter("datum.method > 0").mark_point(size=10, filled=True, opacity=1, clip=True).encode(
            x=p_x, y=p_y, color=color)
        ends = alt.Chart(alt.Data(values=[{"x": _X0[0], "y": _X0[1], "s": "square"}, {"x": _X_STAR[0], "y": _X_STAR[1], "s": "diamond"}]))
        start_end = ends.mark_point(filled=True, color="black", size=80).encode(
            x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), shape=alt.Shape("s:N", scale=None))
        # the colour key, in the panel's lower left corner (the paths stay near the valley)
        key = alt.Chart(alt.Data(values=[{"i": i, "name": n, "py": _HEIGHT - 8 - 15 * (3 - i)} for i, n in enumerate(_SHORT)]))
        key = key.mark_text(align="left", baseline="bottom", fontSize=12, fontWeight="bold").encode(
            x=alt.value(4), y=alt.Y("py:Q", scale=None), text="name:N",
            color=alt.Color("i:N", scale=alt.Scale(domain=[0, 1, 2, 3], range=list(_COLORS)), legend=None))
        log = alt.Scale(type="log", domain=[_FLOOR, 10], nice=False)
        k_axis = alt.X("k:Q", title="iteration k", scale=alt.Scale(domain=[0, _K_MAX], nice=False))
        early = shown.transform_filter(f"datum.k <= {_K_MAX}")
        errors = early.mark_line(strokeWidth=1.5, clip=True).encode(
            x=k_axis, y=alt.Y("error:Q", scale=log, title="‖xₖ − x*‖", axis=alt.Axis(
                values=[10.0 ** e for e in range(-15, 2, 3)], labelExpr="'1e' + round(log(datum.value) / LN10)")),
            color=color, detail="method:N", order="k:Q")
        on_error = readout(early, "k", "error",
                           f"{names} + {memory} + ', k = ' + datum.k + ':  ' + format(datum.error, '.2~e')")
        error_panel = alt.layer(errors, *on_error).properties(title="Error ‖xₖ − x*‖ (GD goes on beyond k = 120)")

        # The iterate read out in the error panel, ringed on its path (one pointer target: the
        # paths cross and crowd near x*, the errors are spread out).
        hovered = alt.ParameterPredicate(param=on_error[0].params[0].name, empty=False)
        here = shown.transform_filter(hovered)
        ring = here.mark_point(size=110, filled=False, strokeWidth=2, color="#333").encode(x=p_x, y=p_y)
        where = here.transform_calculate(t=f"{names} + {memory} + ', k = ' + datum.k + ':  (' + format(datum.x1, '.4f') + ', ' + format(datum.x2, '.4f') + ')'").mark_text(
            align="left", baseline="top", fontSize=12, fontWeight="bold", color="#333").encode(x=alt.value(4), y=alt.value(4), text="t:N")
        path_panel = alt.layer(level_sets, paths, steps, start_end, key, ring, where).properties(
            title="Paths from (−1.2, 1) (square) to x* (diamond)")

        table = source("costs").transform_filter(current)
        row = alt.Y("method:O", scale=alt.Scale(domain=[-1, 0, 1, 2, 3, 4], type="point", padding=0.5), axis=None)
        columns = ((150, "steps", "datum.nit + (datum.success ? '' : '*')"), (190, "f", "'' + datum.nfev"),
                   (226, "∇f", "'' + datum.njev"), (262, "∇²f", "datum.nhev > 0 ? '' + datum.nhev : '–'"))
        heads = [alt.Chart(alt.Data(values=[{"method": -1, "t": head}])).mark_text(
            align="right", baseline="middle", fontSize=12, color="#555").encode(x=alt.value(x), y=row, text="t:N")
            for x, head, _ in columns]
        name_cells = table.transform_calculate(t=f"{names} + {memory}").mark_text(
            align="left", baseline="middle", fontSize=12, fontWeight="bold").encode(x=alt.value(0), y=row, text="t:N", color=color)
        cells = [table.transform_calculate(t=fmt).mark_text(align="right", baseline="middle", fontSize=12).encode(
            x=alt.value(x), y=row, text="t:N", color=color) for x, _, fmt in columns]
        note = table.transform_filter("datum.method == 0 && !datum.success").transform_calculate(
            t=f"'* stopped at {max_steps} steps, ‖∇f‖ > 1e-10'", row="4").mark_text(
            align="left", baseline="middle", fontSize=11, color="#555").encode(
            x=alt.value(0), y=alt.Y("row:O", scale=alt.Scale(domain=[-1, 0, 1, 2, 3, 4], type="point", padding=0.5), axis=None), text="t:N")
        cost_panel = alt.layer(*heads, name_cells, *cells, note).properties(
            title="Cost to ‖∇f‖ ≤ 1e-10: steps and evaluations")
        return [error_panel, path_panel, cost_panel]

    datasets = {
        "runs": Dataset(("b",), runs),
        "costs": Dataset(("b",), costs),
        "contours": Dataset(("b",), contours),
    }
    return LiveExplorer(controls, datasets, panels, description=(
        "Gradient descent with exact line search, BFGS, L-BFGS and Newton's method on Rosenbrock's function: "
        "paths on the contours, the distance to the minimum against the iteration on a log scale, and the "
        "steps and evaluations each run took"), height=_HEIGHT)


# The live explorers of this chapter (tests/test_explorers_live.py checks every one listed here).
EXPLORERS = [quasi_newton_race_explorer]
