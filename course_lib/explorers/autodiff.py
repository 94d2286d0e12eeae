r"""Explorers of chapter 5 (Automatic differentiation).

:func:`autodiff_explorer`
    A menu of expressions, each at a point: its computational graph, the forward-mode table of
    tangents and the reverse-mode table of adjoints, one sweep step at a time.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple, Sequence

import numpy as np

from course_lib.explorers.live import Dataset, LiveExplorer, Slider, readout

BLUE, ORANGE = "#1f77b4", "#e6550d"
_ROWS = 9                       # rows of the tables' panels (the largest example's nodes)


class AutodiffExample(NamedTuple):
    """An expression, its variable names, a point and a tangent direction, all as typed text."""

    expression: str
    variables: str
    point: str
    tangent: str


AUTODIFF_EXAMPLES = (
    AutodiffExample("sin(t1*t2) + exp(t2 + t3) - 2*t3", "t1, t2, t3", "pi/6, 2, 5", "0, 1, 0"),
    AutodiffExample("sin(t1*t2) + exp(t2 + t3) - 2*t3", "t1, t2, t3", "1, 0.5, -1", "1, 0, 0"),
    AutodiffExample("x*y - log(1 + exp(x*y))", "x, y", "1, 2", "1, 0"),
    AutodiffExample("x*y - log(1 + exp(x*y))", "x, y", "-1, 3", "0, 1"),
    AutodiffExample("log(x1) + x1*x2 - sin(x2)", "x1, x2", "2, 5", "1, 0"),
    AutodiffExample("log(x1) + x1*x2 - sin(x2)", "x1, x2", "0.5, 3", "1, 1"),
    AutodiffExample("(sigmoid(w*x + b) - y)**2", "w, b, x, y", "0.5, -1, 2, 1", "1, 0, 0, 0"),
    AutodiffExample("(sigmoid(w*x + b) - y)**2", "w, b, x, y", "-2, 1, 0.5, 0", "0, 0, 1, 0"),
)


def _numbers(text: str, what: str) -> list[float]:
    """Comma-separated numbers, each may be a constant expression such as ``pi/6``."""
    from course_lib.autodiff import parse_expression

    parts = [p.strip() for p in text.split(",")]
    if not text.strip() or any(not p for p in parts):
        raise ValueError(f"the {what} must be numbers separated by commas, such as 'pi/6, 2, 5'; got {text!r}.")
    return [float(parse_expression(p, [])()) for p in parts]


class _Worked(NamedTuple):
    """One example traced: its graph, the tables' rows and the numbers (all from course_lib.autodiff)."""

    names: list
    point: list
    tangent: list
    graph: list
    forward: list           # rows of Trace.forward_table
    reverse: list           # rows of Trace.reverse_table
    reverse_node: list      # the graph node of each reverse row
    value: float
    jvp: float
    gradient: list


def _work(example: AutodiffExample, index: int) -> _Worked:
    try:
        return _trace(example)
    except (ValueError, TypeError, FloatingPointError, ZeroDivisionError) as err:
        raise ValueError(f"Invalid example {index} ({example.expression!r} at ({example.point})): {err}") from None


def _trace(example: AutodiffExample) -> _Worked:
    from course_lib import autodiff as ad

    names = [v.strip() for v in example.variables.split(",") if v.strip()]
    if not names:
        raise ValueError("name at least one variable, such as 'x, y'.")
    f = ad.parse_expression(example.expression, names)
    point, tangent = _numbers(example.point, "point"), _numbers(example.tangent, "tangent")
    for what, v in (("point", point), ("tangent", tangent)):
        if len(v) != len(names):
            raise ValueError(f"the {what} has {len(v)} numbers but there are {len(names)} variables ({', '.join(names)}).")
    with np.errstate(all="raise"):
        tr = ad.trace(f, *point, input_names=names)
        if tr.output is None:
            raise ValueError("the expression does not depend on the inputs.")
        forward, reverse = tr.forward_table(tangent), tr.reverse_table()
        jv, gradient = tr.jvp(tangent), tr.vjp(1.0)
    return _Worked(names, point, tangent, tr.graph(), forward.rows, reverse.rows, tr.reverse_rows(), float(tr.value),
                   float(jv), [float(g) for g in gradient])


def _layout(graph) -> list[tuple[float, float]]:
    """Positions of the nodes, inputs on the top row and each iteration a row further down: the
    inputs evenly spaced, every later node under the mean of its operands, pushed apart to keep
    one unit between neighbours."""
    rows: dict[int, list[int]] = {}
    for i, node in enumerate(graph):
        rows.setdefault(node.level, []).append(i)
    pos = {}
    for level in sorted(rows):
        members = rows[level]
        if level == 0:
            wanted = [r - (len(members) - 1) / 2 for r in range(len(members))]
        else:
            wanted = [float(np.mean([pos[j][0] for j in graph[i].operands])) for i in members]
        order = sorted(range(len(members)), key=lambda r: (wanted[r], members[r]))
        x_prev = -math.inf
        for r in order:
            x_prev = max(wanted[r], x_prev + 1.0)
            pos[members[r]] = (x_prev, -float(level))
        # centre the row on its wish again (pushing apart moves it right)
        shift = np.mean([pos[m][0] for m in members]) - np.mean(wanted)
        for m in members:
            pos[m] = (pos[m][0] - shift, pos[m][1])
    return [pos[i] for i in range(len(graph))]


def autodiff_explorer(examples: Sequence[AutodiffExample] = AUTODIFF_EXAMPLES) -> LiveExplorer:
    r"""An expression's computational graph with its tangent (forward) and adjoint (reverse) tables.

    For an expression :math:`C(\theta)` at a point, :func:`course_lib.autodiff.trace` records the
    graph; the forward sweep gives every node :math:`a_i = f_i(u_1, \dots)` its tangent
    :math:`\dot a_i = \sum_k \frac{\partial f_i}{\partial u_k}\dot u_k` (004, eq. 4.29) for the
    example's direction :math:`\dot\theta`, so the output's tangent is :math:`\nabla C\cdot\dot\theta`;
    the reverse sweep gives every node its adjoint
    :math:`\zeta_j = \sum_{i \in \text{children}(j)} \frac{\partial f_i}{\partial a_j}\zeta_i` from
    :math:`\zeta_{\text{out}} = 1` (004, eq. 4.31), so the inputs' adjoints are :math:`\nabla C`.
    Every number shown is computed by :mod:`course_lib.autodiff` when the explorer is built.

    Panels: the graph (inputs on top, one row per iteration, each node with what it computes
    and its value); the forward table (each tangent's formula and value); the reverse table
    (each adjoint's formula and value). Controls: ``example`` (the menu: an expression at a
    point) and ``step``, the step of the sweeps shown (or all of them): the tables show their
    rows up to that step, and the graph marks the node the forward sweep (blue) and the reverse
    sweep (orange) reach at it.

    Parameters
    ----------
    examples : sequence of AutodiffExample
        The menu, at least two (at most nine nodes each, so the tables fit their panels).

    References
    ----------
    004, Section 4.4 (Tables 4.1-4.3); 000, eqs. (2.9)-(2.11).

    Examples
    --------
    >>> ex = autodiff_explorer()
    >>> [round(float(v), 2) for v in ex.frame("reverse", example=0)["adjoint"][-3:]]     # the gradient, last
    [1.0, 1096.89, 1094.63]
    """
    examples = tuple(examples)
    if len(examples) < 2:
        raise ValueError("Invalid examples: the menu needs at least two examples "
                         "(add yours to the chapter's: [AutodiffExample(...), *AUTODIFF_EXAMPLES]).")
    for k, example in enumerate(examples):
        if not isinstance(example, AutodiffExample):
            raise TypeError(f"Invalid example {k}: {example!r} (expected an AutodiffExample).")
    worked = [_work(example, k) for k, example in enumerate(examples)]
    for k, w in enumerate(worked):
        if len(w.graph) > _ROWS:
            raise ValueError(f"Invalid example {k} ({examples[k].expression!r}): its graph has {len(w.graph)} nodes; "
                             f"the tables show at most {_ROWS}.")
    steps = max(len(w.graph) for w in worked)

    def check(example):
        if example not in range(len(examples)):
            raise ValueError(f"Invalid example: {example!r} (an index into the {len(examples)} examples).")
        return worked[int(example)]

    @functools.lru_cache(maxsize=None)
    def positions(example):
        return _layout(check(example).graph)

    def nodes(example):
        w = check(example)
        pos = positions(example)
        back = {node: row for row, node in enumerate(w.reverse_node)}
        return {"node": np.arange(len(w.graph)), "x": [p[0] for p in pos], "y": [p[1] for p in pos],
                "value": [n.value for n in w.graph], "kind": [2 if n.is_output else 0 if n.level == 0 else 1 for n in w.graph],
                "forward": np.arange(len(w.graph)), "backward": [back[i] for i in range(len(w.graph))],
                "tangent": [float(r[4]) for r in w.forward], "adjoint": [float(w.reverse[back[i]][3]) for i in range(len(w.graph))]}

    def frame(example):
        # the corners of the graph's box: room for the boxes and, above the inputs, for the read-out
        xs = [p[0] for p in positions(example)]
        levels = max(n.level for n in check(example).graph)
        middle, half = (min(xs) + max(xs)) / 2, max((max(xs) - min(xs)) / 2 + 0.75, 1.5)
        return {"x": [middle - half, middle + half], "y": [-max(levels, 3) - 0.5, 1.0]}

    def edges(example):
        w = check(example)
        pos = positions(example)
        rows = {"x": [], "y": [], "x2": [], "y2": []}
        for i, node in enumerate(w.graph):
            for j in node.operands:
                rows["x"].append(pos[j][0])
                rows["y"].append(pos[j][1])
                rows["x2"].append(pos[i][0])
                rows["y2"].append(pos[i][1])
        return rows

    def forward(example):
        w = check(example)
        return {"row": np.arange(len(w.forward)), "value": [float(r[3]) for r in w.forward],
                "tangent": [float(r[4]) for r in w.forward]}

    def reverse(example):
        w = check(example)
        return {"row": np.arange(len(w.reverse)), "adjoint": [float(r[3]) for r in w.reverse]}

    # the words of the graph and the tables (names and formulas from course_lib.autodiff's
    # tables), inline in the chart and filtered by example; the numbers are the datasets above
    words = []
    for k, w in enumerate(worked):
        for i, (node, (px, py)) in enumerate(zip(w.graph, positions(k))):
            words.append({"example": k, "part": "node", "row": i, "x": px, "y": py,
                          "text": f"{node.name} = {node.expression}"})
        words += [{"example": k, "part": "forward", "row": i, "text": row[2]} for i, row in enumerate(w.forward)]
        words += [{"example": k, "part": "reverse", "row": i, "text": row[1]} for i, row in enumerate(w.reverse)]
        words.append({"example": k, "part": "forward", "row": -1,
                      "text": "tangent along θ̇ = (" + ", ".join(f"{t:g}" for t in w.tangent) + ")"})
        words.append({"example": k, "part": "reverse", "row": -1, "text": "adjoint, from the seed 1"})

    def panels(source):
        import altair as alt

        def text_of(part):
            return alt.Chart(alt.Data(values=words)).transform_filter(
                f"datum.example == example && datum.part == '{part}'")

        # -- the graph
        x = alt.X("x:Q", axis=None, scale=alt.Scale(nice=False, zero=False))
        y = alt.Y("y:Q", axis=None, scale=alt.Scale(nice=False, zero=False))
        corners = source("frame").mark_point(opacity=0, size=0).encode(x=x, y=y)
        lines = source("edges").mark_rule(color="#999", strokeWidth=1.2).encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
        fill = alt.Scale(domain=[0, 1, 2], range=["#dbe9f6", "white", "#fde2c8"])
        reached = "datum.forward == step - 1 || datum.backward == step - 1"   # step: 0 for "all", else the step
        boxes = source("nodes").mark_point(shape="M-1,-0.4H1V0.4H-1Z", filled=True, size=5000, opacity=1).encode(
            x=x, y=y, fill=alt.Fill("kind:N", scale=fill, legend=None),
            stroke={"condition": [{"test": "datum.forward == step - 1", "value": BLUE},
                                  {"test": "datum.backward == step - 1", "value": ORANGE}], "value": "#777"},
            strokeWidth=alt.condition(reached, alt.value(3), alt.value(1)))
        names = text_of("node").mark_text(fontSize=10, dy=-7).encode(x=x, y=y, text="text:N")
        values = source("nodes").mark_text(fontSize=10, dy=7, color="#333").encode(
            x=x, y=y, text=alt.Text("value:Q", format=".4~g"))
        on_node = readout(source("nodes"), "x", "y",
                          "'value ' + format(datum.value, '.6~g') + ', tangent ' + format(datum.tangent, '.6~g')"
                          " + ', adjoint ' + format(datum.adjoint, '.6~g')")
        graph_panel = alt.layer(corners, lines, boxes, names, values, *on_node).properties(
            title=["The graph, inputs on top; the step reaches", "blue: forward sweep, orange: reverse sweep"])

        # -- the tables: a formula and a number per row, the rows up to the step
        row = alt.Y("row:Q", axis=None, scale=alt.Scale(domain=[-1.6, _ROWS - 0.4], reverse=True, nice=False))

        def table(part, column, color, title):
            shown, now = "step == 0 || datum.row < step", "datum.row == step - 1"      # step 0: all the rows
            ink = alt.condition(now, alt.value(color), alt.value("black"))
            head = text_of(part).transform_filter("datum.row < 0").mark_text(
                align="left", fontSize=11, color="#555", x=4).encode(y=row, text="text:N")
            value_head = alt.Chart(alt.Data(values=[{"row": -1, "text": "value"}])).mark_text(
                align="right", fontSize=11, color="#555", x="width", dx=-4).encode(y=row, text="text:N")
            formulas = text_of(part).transform_filter(f"datum.row >= 0 && {shown}").mark_text(
                align="left", fontSize=11, x=4, limit=225).encode(y=row, text="text:N", color=ink)
            numbers = source(part).transform_filter(shown).mark_text(align="right", fontSize=11, x="width", dx=-4).encode(
                y=row, text=alt.Text(f"{column}:Q", format=".6~g"), color=ink)
            return alt.layer(head, value_head, formulas, numbers).properties(title=title)

        return [graph_panel,
                table("forward", "tangent", BLUE, "Forward mode: tangents, a row per step"),
                table("reverse", "adjoint", ORANGE, "Reverse mode: adjoints, a row per step")]

    controls = {
        "example": Slider("expression", list(range(len(examples))), 0,
                          labels=[f"{e.expression} at ({e.point})" for e in examples]),
        "step": Slider("sweep step", list(range(steps + 1)), 0, labels=["all"] + [str(k) for k in range(1, steps + 1)]),
    }
    datasets = {
        "nodes": Dataset(("example",), nodes),
        "edges": Dataset(("example",), edges),
        "frame": Dataset(("example",), frame),
        "forward": Dataset(("example",), forward),
        "reverse": Dataset(("example",), reverse),
    }
    return LiveExplorer(controls, datasets, panels, description=(
        "The computational graph of an expression at a point, drawn top to bottom: the inputs on the top row, "
        "each node labelled with its operation and value, the output at the bottom; with the forward-mode table "
        "of tangents and the reverse-mode table of adjoints"), columns=1, width=300, height=280)


# The live explorers of this chapter (tests/test_explorers_live.py checks every one listed here).
EXPLORERS = [autodiff_explorer]
