r"""Explorers of chapter 7 (Line search).

:func:`ray_explorer`
    One line search on Rosenbrock's function: the ray on the contours, :math:`\phi(\alpha)` with
    the Armijo line and the Wolfe and strong Wolfe intervals, and the step each rule accepts
    with what it cost, for directions turned from :math:`-\nabla f` and for the constants
    :math:`c_1` and :math:`c_2`.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from course_lib.explorers.live import Dataset, LiveExplorer, Slider, readout

BLUE, RED, GREEN, GREY = "#1f77b4", "#d62728", "#2ca02c", "#999999"
METHODS = ("backtracking", "strong Wolfe", "exact")       # the order of the ``method`` column
_COLORS = (BLUE, RED, GREEN)
_STAR = ("M0,-1L0.2245,-0.309L0.9511,-0.309L0.3633,0.118L0.5878,0.809L0,0.382L-0.5878,0.809"
         "L-0.3633,0.118L-0.9511,-0.309L-0.2245,-0.309Z")
_SHAPES = ("circle", "square", _STAR)
_LEVELS = np.geomspace(0.01, 200.0, 10)    # the contour levels of f drawn (as in the old figure, fewer)
_ASPECT = 4 / 3                            # width / height of a panel: the contour panel keeps x₁ and x₂ alike
_REACH = 4.4                               # the ray and phi are drawn for alpha in [0, _REACH * exact step]
_MAX_EVALUATIONS = 80                      # the cost panel's axis (f plus grad-f evaluations; at most 35)


def _cut(a: np.ndarray, b: np.ndarray, box) -> tuple[float, float]:
    """The part ``[t0, t1]`` of the segment ``a + t (b - a)``, ``0 <= t <= 1``, inside ``box``
    (Liang-Barsky; ``t0 > t1`` when it misses the box)."""
    x0, x1, y0, y1 = box
    d = b - a
    t0, t1 = 0.0, 1.0
    for p, q in ((-d[0], a[0] - x0), (d[0], x1 - a[0]), (-d[1], a[1] - y0), (d[1], y1 - a[1])):
        if p == 0:
            if q < 0:
                return 1.0, 0.0
        elif p < 0:
            t0 = max(t0, q / p)
        else:
            t1 = min(t1, q / p)
    return t0, t1


def _clip(points: np.ndarray, box) -> list[np.ndarray]:
    """The pieces of the finely sampled polyline ``points`` (n x 2) inside ``box = (x0, x1, y0,
    y1)``: each run of points inside, extended to where its end segments cross the boundary."""
    x0, x1, y0, y1 = box
    inside = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
    edges = np.diff(np.concatenate([[0], inside.astype(int), [0]]))
    pieces = []
    for s, e in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1):
        piece = [points[s:e + 1]]
        if s > 0:
            a, b = points[s - 1], points[s]
            piece.insert(0, (a + _cut(a, b, box)[0] * (b - a))[None])
        if e < len(points) - 1:
            a, b = points[e], points[e + 1]
            piece.append((a + _cut(a, b, box)[1] * (b - a))[None])
        piece = np.concatenate(piece)
        if len(piece) >= 2:
            pieces.append(piece)
    return pieces


def _simplify(points: np.ndarray, tol: float) -> np.ndarray:
    """Ramer-Douglas-Peucker: the points of a polyline needed to draw it within ``tol``."""
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        chord = points[j] - points[i]
        rel = points[i + 1:j] - points[i]
        length = np.hypot(*chord)
        dist = np.abs(chord[0] * rel[:, 1] - chord[1] * rel[:, 0]) / length if length > 0 else np.hypot(rel[:, 0], rel[:, 1])
        k = int(np.argmax(dist))
        if dist[k] > tol:
            keep[i + 1 + k] = True
            stack += [(i, i + 1 + k), (i + 1 + k, j)]
    return points[keep]


def _markers(source, x, y, shift: float = 0.0):
    """The accepted steps: backtracking's as a ring (its step often is the strong Wolfe search's
    first trial, drawn inside it), the exact step as a star under the strong Wolfe square."""
    import altair as alt

    color = alt.Color("method:N", scale=alt.Scale(domain=[0, 1, 2], range=list(_COLORS)), legend=None)
    ring = source("steps").transform_filter("datum.ok == 1 && datum.method == 0").mark_point(
        filled=False, size=190, strokeWidth=2.2, xOffset=shift).encode(x=x, y=y, color=color)
    filled = source("steps").transform_filter("datum.ok == 1 && datum.method > 0").mark_point(
        filled=True, opacity=0.95, xOffset=shift).encode(
        x=x, y=y, color=color, shape=alt.Shape("method:N", scale=alt.Scale(domain=[1, 2], range=list(_SHAPES[1:])), legend=None),
        size=alt.Size("method:N", scale=alt.Scale(domain=[1, 2], range=[70, 230]), legend=None),
        order=alt.Order("method:Q", sort="descending"))
    return ring, filled


def ray_explorer(xk=(0.8, 0.0), rho: float = 0.5) -> LiveExplorer:
    r"""One line search on Rosenbrock's function :math:`f(x) = (1 - x_1)^2 + 100(x_2 - x_1^2)^2`:
    the ray, :math:`\phi(\alpha) = f(x_k + \alpha p_k)`, the Armijo line, the Wolfe intervals, and
    the step each rule accepts with its cost.

    From 004's point :math:`x_k = (0.8, 0)` (its Figure 4.8) along :math:`p_k`, the unit
    steepest-descent direction :math:`-\nabla f(x_k)/\|\nabla f(x_k)\|` turned by ``angle``
    degrees (a descent direction for every angle below 90; :math:`\alpha` is the distance along
    the ray). A step :math:`\alpha > 0` satisfies

    .. math::

        \text{Armijo: } \phi(\alpha) \le \phi(0) + c_1\alpha\phi'(0), \qquad
        \text{curvature: } \phi'(\alpha) \ge c_2\phi'(0), \qquad
        \text{strong: } |\phi'(\alpha)| \le c_2|\phi'(0)|,

    the Wolfe conditions being Armijo and curvature, the strong Wolfe conditions Armijo and the
    strong curvature condition (they need :math:`0 < c_1 < c_2 < 1`; the explorer says so when
    the sliders give :math:`c_1 \ge c_2`).

    Panels: the contours of :math:`f` around the ray (level sets in closed form,
    :math:`x_1 = 1 + \sqrt c\cos t`, :math:`x_2 = x_1^2 + \tfrac{\sqrt c}{10}\sin t`) with the ray and
    the three accepted points; :math:`\phi(\alpha)` with the Armijo line and the steps satisfying
    the Wolfe conditions (light band) and the strong Wolfe conditions (dark band), computed by
    :func:`course_lib.linesearch.acceptable_steps` on a grid of 600 steps; the evaluations of
    :math:`f` and :math:`\nabla f` each search used. The searches:
    :func:`~course_lib.linesearch.backtracking` (from :math:`\alpha_0` = four times the exact
    step, factor ``rho``), :func:`~course_lib.linesearch.wolfe_line_search` (strong Wolfe, from
    the same :math:`\alpha_0`) and :func:`~course_lib.linesearch.exact_line_search`.

    Controls: ``angle`` (degrees from :math:`-\nabla f`), ``c1`` and ``c2``.

    Parameters
    ----------
    xk : pair of float
        The point the ray starts from (its gradient must not vanish).
    rho : float
        Backtracking's factor, in (0, 1).

    References
    ----------
    004, Section 4.5 and Figure 4.8; Nocedal and Wright, *Numerical Optimization*, Section 3.1.

    Examples
    --------
    >>> ex = ray_explorer()
    >>> steps = ex.frame("steps", angle=0.0, c1=1e-4, c2=0.9)
    >>> [METHODS[int(m)] for m in steps["method"]]
    ['backtracking', 'strong Wolfe', 'exact']
    """
    from course_lib import checks
    from course_lib import linesearch as ls
    from course_lib.problems import rosenbrock

    problem = rosenbrock()
    xk = checks.array("xk", xk, shape=(2,))
    if not checks.real("rho", rho, positive=True) < 1:
        raise ValueError(f"Invalid rho: {rho!r} (backtracking's factor must lie in (0, 1); 0.5 is usual).")
    gk = problem.grad(xk)
    if not np.linalg.norm(gk) > 0:
        raise ValueError(f"Invalid xk: {tuple(xk)} is a stationary point of f (no descent direction to search along).")

    def check_angle(angle):
        if not -90 < checks.real("angle", angle) < 90:
            raise ValueError(f"Invalid angle: {angle!r} (it must lie strictly between -90 and 90 degrees, "
                             "so that the direction is a descent direction).")

    angles = [-75.0, -60.0, -45.0, -30.0, -15.0, 0.0, 15.0, 30.0, 45.0, 60.0, 75.0]
    c1s, c2s = [1e-4, 0.1, 0.3], [0.1, 0.5, 0.9]

    @functools.lru_cache(maxsize=None)
    def direction(angle):
        """The unit direction and the exact step along it."""
        check_angle(angle)
        t = math.radians(angle)
        rotation = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
        pk = rotation @ (-gk) / np.linalg.norm(gk)                  # unit length: alpha is a distance
        return pk, ls.exact_line_search(problem.fun, problem.grad, xk, pk, alpha0=1e-3)

    @functools.lru_cache(maxsize=None)
    def searches(angle, c1, c2):
        pk, exact = direction(angle)
        ls.check_constants(c1)
        if not 0 < checks.real("c2", c2) < 1:
            raise ValueError(f"Invalid c2: {c2!r} (the curvature constant must lie in (0, 1); 0.9 is usual).")
        back = ls.backtracking(problem.fun, problem.grad, xk, pk, alpha0=4 * exact.alpha, rho=rho, c1=c1)
        wolfe = (ls.wolfe_line_search(problem.fun, problem.grad, xk, pk, c1=c1, c2=c2, alpha0=4 * exact.alpha)
                 if c1 < c2 else None)
        return back, wolfe, exact

    @functools.lru_cache(maxsize=None)
    def ray(angle):
        """The direction, the exact step, the drawn range of alpha (every step accepted for the
        sliders' constants inside it) and the windows of both panels."""
        pk, exact = direction(angle)
        accepted = [r.alpha for c1 in c1s for c2 in c2s for r in searches(angle, c1, c2) if r is not None]
        top = max(_REACH * exact.alpha, 1.1 * max(accepted))
        ends = np.array([xk, xk + top * pk])
        centre, span = ends.mean(axis=0), np.ptp(ends, axis=0)
        half_x = max(0.6 * span[0], 0.6 * span[1] * _ASPECT, 0.3)
        window = (centre[0] - half_x, centre[0] + half_x, centre[1] - half_x / _ASPECT, centre[1] + half_x / _ASPECT)
        alphas = np.linspace(0.0, top, 161)
        phi = np.array([problem.fun(xk + a * pk) for a in alphas])
        low = float(phi.min())
        height = float(phi[0]) - low
        phi_box = (0.0, top, low - 0.05 * height, float(phi[0]) + 0.9 * height)
        return pk, exact, top, window, alphas, phi, phi_box

    def contours(angle):
        window = ray(angle)[3]
        tol = (window[1] - window[0]) / 250                     # about a pixel of the panel
        t = np.linspace(0.0, 2 * np.pi, 4001)
        rows = {"line": [], "i": [], "x": [], "y": []}
        line = 0
        for c in _LEVELS:
            # f = c exactly: (1 - x1)^2 = c cos^2 t and 100 (x2 - x1^2)^2 = c sin^2 t
            x1 = 1 + math.sqrt(c) * np.cos(t)
            curve = np.column_stack([x1, x1 ** 2 + math.sqrt(c) / 10 * np.sin(t)])
            for piece in _clip(curve, window):
                piece = _simplify(piece, tol)
                rows["line"] += [line] * len(piece)
                rows["i"] += list(range(len(piece)))
                rows["x"] += list(piece[:, 0])
                rows["y"] += list(piece[:, 1])
                line += 1
        return rows

    def path(angle):
        pk, _, _, _, alphas, phi, box = ray(angle)
        every, values = alphas[::4], phi[::4]
        points = xk + every[:, None] * pk
        # inside: the point is also inside the phi panel (where it can be read out)
        return {"alpha": every, "x": points[:, 0], "y": points[:, 1], "phi": values, "inside": values <= box[3]}

    def frame(angle):
        # the corners of both panels' boxes: invisible points that set the axes' ranges
        _, _, _, window, _, _, box = ray(angle)
        return {"x": window[:2], "y": window[2:], "alpha": box[:2], "phi": box[2:]}

    def curve(angle):
        _, _, _, _, alphas, phi, box = ray(angle)
        rows = {"piece": [], "alpha": [], "phi": []}
        scale = np.array([box[1] - box[0], box[3] - box[2]])
        for k, piece in enumerate(_clip(np.column_stack([alphas, phi]), box)):
            piece = _simplify(piece / scale, 1 / 1500) * scale      # a fraction of a pixel
            rows["piece"] += [k] * len(piece)
            rows["alpha"] += list(piece[:, 0])
            rows["phi"] += list(piece[:, 1])
        return rows

    def armijo(angle, c1):
        ls.check_constants(c1)
        pk, _, top, _, _, phi, box = ray(angle)
        dphi0 = float(gk @ pk)
        # the line phi(0) + c1 alpha phi'(0), up to the panel's floor
        end = min(top, (box[2] - phi[0]) / (c1 * dphi0))
        return {"alpha": [0.0, end], "phi": [phi[0], phi[0] + c1 * end * dphi0]}

    def bands(angle, c1, c2):
        searches(angle, c1, c2)                                     # checks c1 and c2
        rows = {"kind": [], "lo": [], "hi": []}
        if c1 >= c2:
            return rows                                             # no Wolfe steps: c1 < c2 is needed
        pk, _, top, *_ = ray(angle)
        alphas = np.linspace(0.0, top, 601)[1:]
        q = ls.acceptable_steps(problem.fun, problem.grad, xk, pk, alphas, c1, c2)
        for kind, key in enumerate(("wolfe", "strong wolfe")):
            ok = np.concatenate([[False], q[key], [False]]).astype(int)
            starts, stops = np.flatnonzero(np.diff(ok) == 1), np.flatnonzero(np.diff(ok) == -1) - 1
            rows["kind"] += [kind] * len(starts)
            rows["lo"] += list(alphas[starts])
            rows["hi"] += list(alphas[stops])
        return rows

    def steps(angle, c1, c2):
        pk = ray(angle)[0]
        rows = {"method": [], "ok": [], "zero": [], "alpha": [], "phi": [], "x": [], "y": [], "nfev": [], "njev": [], "total": []}
        for method, res in enumerate(searches(angle, c1, c2)):
            found = res is not None
            alpha = res.alpha if found else 0.0
            point = xk + alpha * pk
            rows["method"].append(method)
            rows["ok"].append(int(found and res.success))
            rows["zero"].append(0)
            rows["alpha"].append(alpha)
            rows["phi"].append(problem.fun(point))
            rows["x"].append(point[0])
            rows["y"].append(point[1])
            rows["nfev"].append(res.nfev if found else 0)
            rows["njev"].append(res.njev if found else 0)
            rows["total"].append(res.nfev + res.njev if found else 0)
        return rows

    def panels(source):
        import altair as alt

        methods = alt.Scale(domain=[0, 1, 2], range=list(_COLORS))
        found = "datum.ok == 1"

        # -- the ray on the contours
        x = alt.X("x:Q", title="x₁", scale=alt.Scale(nice=False, zero=False))
        y = alt.Y("y:Q", title="x₂", scale=alt.Scale(nice=False, zero=False))
        corners = source("frame").mark_point(opacity=0, size=0).encode(x=x, y=y)
        levels = source("contours").mark_line(color="#c7c7c7", strokeWidth=1, clip=True).encode(
            x=x, y=y, detail="line:N", order="i:Q")
        line = source("path").mark_line(color="#444", strokeWidth=1.2, clip=True).encode(x=x, y=y, order="alpha:Q")
        start = source("path").transform_filter("datum.alpha == 0").mark_point(
            shape="square", filled=True, color="black", size=60).encode(x=x, y=y)
        accepted = _markers(source, x, y)
        on_ray = readout(source("path"), "x", "y",
                         "'α = ' + format(datum.alpha, '.3g') + ':  x = (' + format(datum.x, '.3f') + ', ' "
                         "+ format(datum.y, '.3f') + ')'")
        ray_panel = alt.layer(corners, levels, line, start, *accepted, *on_ray).properties(
            title="The ray from xₖ (square) on the contours")

        # -- phi along the ray
        a = alt.X("alpha:Q", title="step α (distance along the ray)", scale=alt.Scale(nice=False, zero=False))
        p = alt.Y("phi:Q", title="φ(α)", scale=alt.Scale(nice=False, zero=False))
        box = source("frame").mark_point(opacity=0, size=0).encode(x=a, y=p)
        shade = alt.Scale(domain=[0, 1], range=[0.13, 0.3])
        band = source("bands").mark_rect(color=RED).encode(
            x=alt.X("lo:Q", scale=alt.Scale(nice=False, zero=False)), x2="hi:Q",
            opacity=alt.Opacity("kind:N", scale=shade, legend=None))
        phi = source("curve").mark_line(color="black", strokeWidth=1.5, clip=True).encode(
            x=a, y=p, detail="piece:N", order="alpha:Q")
        line = source("armijo").mark_line(color=BLUE, strokeDash=[6, 4], strokeWidth=1.2, clip=True).encode(x=a, y=p)
        marks = _markers(source, a, p)
        on_phi = readout(source("path").transform_filter("datum.inside == 1"), "alpha", "phi",
                         "'α = ' + format(datum.alpha, '.3g') + ':  φ(α) = ' + format(datum.phi, '.4g')")
        phi_panel = alt.layer(box, band, phi, line, *marks, *on_phi).properties(
            title=alt.TitleParams(["φ(α) and the Armijo line (dashed)", "bands: Wolfe (light), strong Wolfe (dark)"]))

        # -- what each search cost
        names = "['backtracking', 'strong Wolfe', 'exact'][datum.value]"
        m = alt.Y("method:O", title=None, axis=alt.Axis(labelExpr=names, labelFontSize=12))
        evaluations = alt.Scale(domain=[0, _MAX_EVALUATIONS], nice=False)
        f_bars = source("steps").transform_filter(found).mark_bar(height=alt.RelativeBandSize(0.6), opacity=0.35).encode(
            y=m, x=alt.X("zero:Q", title="evaluations: f (light), ∇f (dark)", scale=evaluations), x2="nfev:Q",
            color=alt.Color("method:N", scale=methods, legend=None))
        g_bars = source("steps").transform_filter(found).mark_bar(height=alt.RelativeBandSize(0.6)).encode(
            y=m, x=alt.X("nfev:Q", scale=evaluations), x2="total:Q", color=alt.Color("method:N", scale=methods, legend=None))
        costs = source("steps").transform_calculate(text=(
            "datum.ok == 1 ? 'α = ' + format(datum.alpha, '.3g') + ':  ' + datum.nfev + ' f, ' + datum.njev + ' ∇f'"
            " : (datum.method == 1 ? 'none: needs c₁ < c₂' : 'failed')")).mark_text(
            align="left", dx=18, fontSize=12).encode(
            y=m, x=alt.X("total:Q", scale=evaluations), text="text:N",
            color=alt.Color("method:N", scale=methods, legend=None))
        symbols = _markers(source, alt.X("total:Q", scale=evaluations), m, shift=9)
        cost_panel = alt.layer(f_bars, g_bars, *symbols, costs).properties(title="Each search: its step and its cost")
        return [ray_panel, phi_panel, cost_panel]

    controls = {
        "angle": Slider("angle from −∇f", angles, 0.0, fmt="{:g}°"),
        "c1": Slider("c₁ (Armijo)", c1s, 1e-4, fmt="{:g}"),
        "c2": Slider("c₂ (curvature)", c2s, 0.5, fmt="{:g}"),
    }
    datasets = {
        "contours": Dataset(("angle",), contours),
        "path": Dataset(("angle",), path),
        "frame": Dataset(("angle",), frame),
        "curve": Dataset(("angle",), curve),
        "armijo": Dataset(("angle", "c1"), armijo),
        "bands": Dataset(("angle", "c1", "c2"), bands),
        "steps": Dataset(("angle", "c1", "c2"), steps),
    }
    return LiveExplorer(controls, datasets, panels, description=(
        "One line search on Rosenbrock's function: the ray on the contours, the ray's function φ(α) with the "
        "Armijo line and the intervals of steps that satisfy the Wolfe and strong Wolfe conditions, the steps that "
        "backtracking, the strong Wolfe search and the exact search accept, and the evaluations each used"))


# The live explorers of this chapter (tests/test_explorers_live.py checks every one listed here).
EXPLORERS = [ray_explorer]
