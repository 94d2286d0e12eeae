r"""Display helpers of the book's pages: tables, numbers and matplotlib's style.

:class:`Table`
    A small table of already formatted cells (HTML in the book, aligned text elsewhere).
:func:`sci`, :func:`fmt_vector`, :func:`book_style`
    Keep the chapters' numbers and figures uniform.
:func:`draw_graph`
    A computational graph drawn left to right (chapter 5's figures).

The explorers (figures whose parameters a reader moves) are in :mod:`course_lib.explorers`, one
module per chapter. matplotlib is imported only by the functions that draw, so the algorithm
modules stay light.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np


@dataclass
class Table:
    """A small table of already formatted cells: HTML in the book, aligned text elsewhere.

    Parameters
    ----------
    header : sequence of str
        Column titles.
    rows : sequence of sequences
        The cells, one row per entry; each row has one cell per column (converted with ``str``).
    align : str, optional
        One character per column, ``"l"`` or ``"r"``; numbers read best right-aligned.
        Defaults to left for the first column and right for the others.

    Examples
    --------
    >>> print(Table(["k", "x"], [[0, "1.50"], [1, "5.25"]]))
    k     x
    0  1.50
    1  5.25
    """

    header: Sequence[str]
    rows: Sequence[Sequence]
    align: str | None = None

    def __post_init__(self):
        self.header = [str(h) for h in self.header]
        self.rows = [[str(c) for c in row] for row in self.rows]
        for i, row in enumerate(self.rows):
            if len(row) != len(self.header):
                raise ValueError(f"row {i} has {len(row)} cells but the header has {len(self.header)}.")
        if self.align is None:
            self.align = "l" + "r" * (len(self.header) - 1)
        if len(self.align) != len(self.header) or set(self.align) - {"l", "r"}:
            raise ValueError(f"align must be one 'l' or 'r' per column, got {self.align!r}.")

    def __str__(self) -> str:
        widths = [max(len(r[j]) for r in [self.header, *self.rows]) for j in range(len(self.header))]

        def line(cells):
            return "  ".join(c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(cells, widths, self.align)).rstrip()

        return "\n".join(line(r) for r in [self.header, *self.rows])

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        import html

        style = {"l": "text-align:left", "r": "text-align:right"}

        def cells(tag, row):
            return "".join(f'<{tag} style="{style[a]}">{html.escape(c)}</{tag}>' for c, a in zip(row, self.align))

        body = "".join(f"<tr>{cells('td', r)}</tr>" for r in self.rows)
        return (f'<table class="table course-table"><thead><tr>{cells("th", self.header)}</tr></thead>'
                f"<tbody>{body}</tbody></table>")


# ---------------------------------------------------------------------------------------------
# Factories
# ---------------------------------------------------------------------------------------------

_NEWTON_COLOR, _GD_COLOR = "C3", "C0"


#: matplotlib settings shared by every page of the book (see :func:`book_style`). Every figure is
#: laid out by matplotlib ("constrained"), inside its own canvas.
BOOK_STYLE = {"figure.dpi": 100, "axes.grid": True, "grid.alpha": 0.3, "legend.fontsize": "small",
              "figure.constrained_layout.use": True}

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def book_style() -> None:
    """Apply :data:`BOOK_STYLE` to matplotlib (every chapter calls this once).

    In Jupyter, inline figures are then saved as drawn: the constrained layout already keeps every
    label inside the canvas, so the inline backend's default ``bbox_inches="tight"`` (a second
    layout pass over every text, about a quarter of a figure's cost) is not needed.
    """
    import matplotlib.pyplot as plt

    plt.rcParams.update(BOOK_STYLE)
    try:
        from matplotlib_inline.config import InlineBackend
    except ImportError:                       # no Jupyter here: nothing else to set
        return
    inline = InlineBackend.instance()
    inline.print_figure_kwargs = {**inline.print_figure_kwargs, "bbox_inches": None}


def sci(x, digits: int = 1) -> str:
    """``x`` in scientific notation for running text.

    Examples
    --------
    >>> sci(2.5e-14), sci(-31415.9, 2), sci(0.0)
    ('2.5×10⁻¹⁴', '-3.14×10⁴', '0')
    """
    if x == 0:
        return "0"
    mantissa, exponent = f"{x:.{digits}e}".split("e")
    return f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def fmt_vector(v, digits: int = 4) -> str:
    """A short vector as ``(a, b, ...)`` with ``digits`` significant digits, never ``-0``.

    Examples
    --------
    >>> fmt_vector([1.0, -0.0, 2 / 3])
    '(1, 0, 0.6667)'
    """
    return "(" + ", ".join(f"{x + 0.0:.{digits}g}" for x in np.ravel(v)) + ")"


def draw_graph(ax, graph, title: str | None = None) -> None:
    """Draw a computational graph (:meth:`course_lib.autodiff.Trace.graph`) left to right.

    Column ``k`` holds the nodes of iteration ``k`` (inputs in column 0); each node shows its
    name, what it computes and its value; an arrow runs from every operand to its node.
    """
    columns: dict[int, list[int]] = {}
    for i, node in enumerate(graph):
        columns.setdefault(node.level, []).append(i)
    from matplotlib.patches import FancyArrowPatch

    # inputs evenly spaced; every later node at the mean height of its operands, pushed apart
    # to keep one unit between neighbours (fewer crossings than spacing each column evenly)
    pos = {}
    for level in sorted(columns):
        members = columns[level]
        if level == 0:
            wanted = [(len(members) - 1) / 2 - r for r in range(len(members))]
        else:
            wanted = [float(np.mean([pos[j][1] for j in graph[i].operands])) for i in members]
        order = sorted(range(len(members)), key=lambda r: (-wanted[r], members[r]))
        y_prev = math.inf
        for r in order:
            y_prev = min(wanted[r], y_prev - 1.0)
            pos[members[r]] = (float(level), y_prev)
    ys = [y for _, y in pos.values()]

    boxes = {}
    for i, node in enumerate(graph):
        label = node.name if node.level == 0 else f"{node.name} = {node.expression}"
        if node.level == 0 and node.expression != node.name:
            label = f"{node.name} = {node.expression}"
        face = "#fde2c8" if node.is_output else ("#dbe9f6" if node.level == 0 else "white")
        boxes[i] = ax.text(*pos[i], f"{label}\n{node.value:.4g}", ha="center", va="center", fontsize="small",
                           bbox=dict(boxstyle="round,pad=0.4", fc=face, ec="0.4"), zorder=3)
    levels = max(columns)
    ax.set_xlim(-0.6, levels + 0.6)
    ax.set_xticks(range(levels + 1), ["inputs"] + [f"iteration {k}" for k in range(1, levels + 1)])
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    # each arrow is clipped to the boxes at its ends; drawn after them (higher zorder), it sees
    # their final size in every rendering, so every arrow head shows
    ax.set_ylim(min(ys) - 0.6 - 0.4 * any(n.level - graph[j].level > 1 for n in graph for j in n.operands),
                max(ys) + 0.6)                                                  # room for bent edges
    for i, node in enumerate(graph):
        for j in node.operands:
            skips = node.level - graph[j].level > 1       # bend an edge that jumps over a column
            ax.add_patch(FancyArrowPatch(pos[j], pos[i], arrowstyle="-|>", mutation_scale=12, color="0.45", lw=1.0,
                                         connectionstyle=f"arc3,rad={0.25 if skips else 0.0}",
                                         patchA=boxes[j].get_bbox_patch(), patchB=boxes[i].get_bbox_patch(), zorder=4))
    if title:
        ax.set_title(title, fontsize="medium")
