r"""Figures and interactive widgets for the book and the exercises.

Every explorer is one drawing function ``draw(fig, **params)`` plus the controls of its
parameters. :class:`Explorer` shows it two ways from the same code:

- in Jupyter (a live kernel), as ipywidgets sliders that redraw the figure;
- in the static HTML book (no kernel), as an animation that sweeps one parameter through
  its values, which a reader scrubs with the player's slider (matplotlib's ``to_jshtml``:
  plain HTML and JavaScript with the frames embedded; its icons come from the page's own
  Font Awesome, nothing is loaded from the network). The player opens on the frame of the
  sweep parameter's default value.

Both are in the object's display bundle; the front end chooses. JupyterLab renders the
live widget; the book's configuration (``nb_mime_priority_overrides`` in ``_config.yml``)
drops the widget view, so the page keeps the sweep.

matplotlib and ipywidgets are imported here only, and only when an explorer is built, so
the algorithm modules stay light.

Factories
---------
:func:`draw_graph`
    A computational graph drawn left to right (chapter 5's figures; its explorer is
    :func:`course_lib.explorers.autodiff.autodiff_explorer`).

:class:`Table` is a small display helper for the book's computed tables; :func:`sci`,
:func:`fmt_vector` and :func:`book_style` keep the chapters' numbers and figures uniform.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np


@dataclass
class Slider:
    """A numeric control: ``values`` are the choices (the sweep uses all of them)."""

    label: str
    values: Sequence[float]
    default: float
    fmt: str = "{:.3g}"

    def __post_init__(self):
        if len(self.values) < 2:
            raise ValueError(f"slider {self.label!r} needs at least two values.")
        if self.default not in list(self.values):
            raise ValueError(f"slider {self.label!r}: default {self.default} is not one of its values.")


@dataclass
class Explorer:
    """A figure with parameters, live in Jupyter and scrubbable in the static book.

    Parameters
    ----------
    draw : callable
        ``draw(fig, **params)`` draws the figure for one choice of parameters into an empty
        matplotlib ``Figure``.
    controls : mapping
        Parameter name to :class:`Slider`.
    sweep : str
        The parameter that the static rendering sweeps (the others stay at their defaults).
    figsize : (float, float)
    description : str
        What the picture shows, for readers who cannot see it: the player's alt text is this
        description followed by the swept parameter's current value.
    """

    draw: Callable
    controls: Mapping[str, Slider]
    sweep: str
    figsize: tuple = (9.0, 4.0)
    description: str = "The explorer's figure"
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if self.sweep not in self.controls:
            raise ValueError(f"sweep parameter {self.sweep!r} is not one of {list(self.controls)}.")

    def defaults(self) -> dict:
        return {name: s.default for name, s in self.controls.items()}

    def figure(self, **params):
        """The figure for ``params`` (defaults for the ones not given), as a matplotlib Figure."""
        from matplotlib.figure import Figure

        unknown = set(params) - set(self.controls)
        if unknown:
            raise TypeError(f"unknown parameter(s) {sorted(unknown)}; this explorer has {list(self.controls)}.")
        fig = Figure(figsize=self.figsize, layout="constrained")
        self.draw(fig, **{**self.defaults(), **params})
        return fig

    def static_html(self) -> str:
        """The sweep over ``self.sweep`` as self-contained HTML: matplotlib's ``to_jshtml``
        player (frames embedded as PNG, a slider and play buttons), opening on the frame of
        the sweep parameter's default value."""
        if "html" not in self._cache:
            from matplotlib.animation import FuncAnimation
            from matplotlib.figure import Figure

            slider = self.controls[self.sweep]
            values = list(slider.values)
            fig = Figure(figsize=self.figsize, layout="constrained")

            def frame(k):
                fig.clear()
                self.draw(fig, **{**self.defaults(), self.sweep: values[k]})
                fig.suptitle(f"{slider.label} = {slider.fmt.format(values[k])}", fontsize="medium")

            anim = FuncAnimation(fig, frame, frames=len(values), interval=700, repeat=False)
            html = anim.to_jshtml(default_mode="once")
            # matplotlib links Font Awesome 4 from a CDN for the button icons; the book's theme
            # already provides Font Awesome (with the version-4 names), so drop the link.
            html = re.sub(r'<link rel="stylesheet"\s+href="https://[^"]*font-awesome[^"]*">', "", html)
            # Frames as palette PNGs: a plot has few colours, and the page weighs a third.
            html = re.sub(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)", _smaller_frame, html)
            self._cache["html"] = _labelled_player(html, slider, values, self.description)
        return self._cache["html"]

    def png(self, **params) -> bytes:
        """The figure for ``params`` rendered as PNG bytes (what the live widget shows)."""
        buffer = io.BytesIO()
        self.figure(**params).savefig(buffer, format="png")
        return buffer.getvalue()

    def widget(self):
        """The live ipywidgets view: one slider per parameter, the figure redrawn on change.

        The figure is rendered to PNG and shown in an ``Image`` widget, so the view does not
        depend on which matplotlib backend the kernel has activated.
        """
        import ipywidgets as w

        sliders = {
            name: w.SelectionSlider(
                options=[(s.fmt.format(v), v) for v in s.values], value=s.default,
                description=s.label, continuous_update=False,
                style={"description_width": "initial"}, layout=w.Layout(width="420px"),
            )
            for name, s in self.controls.items()
        }
        image = w.Image(value=self.png(), format="png", layout=w.Layout(max_width="100%"))

        def redraw(change=None):
            image.value = self.png(**{name: s.value for name, s in sliders.items()})

        for s in sliders.values():
            s.observe(redraw, names="value")
        return w.VBox([w.HBox(list(sliders.values()), layout=w.Layout(flex_flow="row wrap")), image])

    def _repr_mimebundle_(self, include=None, exclude=None):
        return _static_and_live(self, f"<{type(self).__name__}: {', '.join(self.controls)}>")


def _smaller_frame(match) -> str:
    """A ``data:`` PNG frame of ``to_jshtml`` re-encoded with a 64-colour palette (if smaller):
    the explorers draw lines and markers on white, which 64 colours render faithfully."""
    import base64

    from PIL import Image

    raw = base64.b64decode(match.group(1).replace("\\", "").replace("\n", ""))
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, format="PNG", optimize=True)
    small = out.getvalue() if len(out.getvalue()) < len(raw) else raw
    return "data:image/png;base64," + base64.b64encode(small).decode("ascii")


def _labelled_player(html: str, slider: "Slider", values: list,
                     description: str = "The explorer's figure") -> str:
    """``to_jshtml``'s player made readable and operable anywhere: in a column-wide box, its
    slider labelled (visibly and for screen readers) with the current value shown, the picture
    described in its alt text, opening on the default value."""
    import html as html_module
    import json

    name = re.search(r'id="(_anim_slider\w+)"', html).group(1)
    image = re.search(r'id="(_anim_img\w+)"', html).group(1)
    output = name.replace("_anim_slider", "_anim_value")
    shown = [slider.fmt.format(v) for v in values]
    label = html_module.escape(slider.label)
    what = html_module.escape(description.rstrip(". "), quote=True).replace("'", "&#x27;")
    start = values.index(slider.default)
    html = html.replace(f'id="{name}"', f'id="{name}" aria-label="{label}" aria-valuetext="{shown[start]}"', 1)
    html = html.replace(f'id="{image}"', f'id="{image}" alt="{what}, at {label} = {shown[start]}"', 1)
    html = re.sub(r'(<input[^>]*id="' + name + r'")', f'<div class="explorer-control"><label for="{name}">{label}</label> '
                  f'<output id="{output}" for="{name}">{shown[start]}</output></div>\\1', html, count=1)
    hook = (f"{{var a = %s, shown = {json.dumps(shown)}, set = a.set_frame.bind(a);"
            "a.frames = frames.map(function (u) { return {src: u}; });"
            f"a.set_frame = function(k) {{ set(k); var s = shown[a.current_frame];"
            f"document.getElementById('{output}').textContent = s;"
            f"document.getElementById('{name}').setAttribute('aria-valuetext', s);"
            f"document.getElementById('{image}').alt = {json.dumps(html_module.unescape(what) + ', at ' + slider.label + ' = ')} + s; }};"
            f"a.set_frame({start});}}")
    html = re.sub(r"(anim\w+) = new Animation\(([^;]*)\);", lambda m: f"{m.group(0)}\n        " + hook % m.group(1),
                  html, count=1)
    # matplotlib's player downloads every frame when the page opens; here a frame is fetched
    # when it is shown (the book stores frames as files, see book/_ext/reader_html.py)
    html = html.replace("= new Animation(frames, ", '= new Animation(frames.map(function () { return ""; }), ', 1)
    return f'<div class="explorer" role="group" aria-label="{label}">{html}</div>'


def _static_and_live(explorer, plain: str) -> dict:
    """The display bundle of an explorer: its static HTML for the book and its live widget view
    for Jupyter (the front end chooses; see the module docstring)."""
    bundle = {"text/html": explorer.static_html(), "text/plain": plain}
    live = explorer.widget()._repr_mimebundle_() or {}
    bundle.update({k: v for k, v in live.items() if k != "text/plain"})
    return bundle


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


#: matplotlib settings shared by every page of the book (see :func:`book_style`).
BOOK_STYLE = {"figure.dpi": 100, "axes.grid": True, "grid.alpha": 0.3, "legend.fontsize": "small"}

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def book_style() -> None:
    """Apply :data:`BOOK_STYLE` to matplotlib (every chapter calls this once)."""
    import matplotlib.pyplot as plt

    plt.rcParams.update(BOOK_STYLE)


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


def _check_num_steps(num_steps):
    if isinstance(num_steps, bool) or int(num_steps) != num_steps or num_steps < 1:
        raise ValueError(f"num_steps must be a positive integer, got {num_steps!r}.")
    return int(num_steps)


def _inside_prefix(points, box):
    """The leading part of a trajectory, up to and including its first point outside ``box``.

    ``box`` is ``(lo, hi)`` applied to every coordinate; drawing stops one point after the
    trajectory leaves it, so a divergent run is shown leaving the axes without asking
    matplotlib to draw astronomically large coordinates.
    """
    points = np.asarray(points, dtype=float)
    lo, hi = box
    outside = np.any((points < lo) | (points > hi) | ~np.isfinite(points), axis=tuple(range(1, points.ndim)))
    if not np.any(outside):
        return points
    first = int(np.argmax(outside))
    return points[: first + 1]


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
