r"""Explorers that answer at once in the book, with every parameter, and live in Jupyter.

An explorer is defined once, by three things:

- its **controls**: for each parameter, a :class:`Slider` with the values it can take;
- its **datasets**: named tables of the numbers it draws, each computed by ``course_lib`` for
  one choice of the parameters it depends on (:class:`Dataset`);
- its **panels**: Vega-Lite charts (written with Altair) that draw those tables.

When the explorer is built, each dataset is computed on the whole grid of its parameters and
stored as one table (CSV, four significant digits: a drawing needs no more) with a column per parameter. Each panel reads
its rows through a filter ``datum.<parameter> == <parameter>``, where ``<parameter>`` is a
Vega-Lite variable parameter holding the index of the slider's value, so moving a control only filters precomputed rows: no algorithm is
run again in the browser, and nothing is written in JavaScript but the few generic lines of
``book/_ext/static/explorers.js`` that start the view and connect the sliders.

Two renderings of the same chart:

- **the book** (:meth:`LiveExplorer.static_html`): the Vega-Lite chart with two layouts (one
  column for a phone, ``columns`` side by side for a wide screen), labelled HTML sliders that
  show their values, and the tables once. The page loads Vega's runtime (Vega, Vega-Lite and
  vega-embed, shipped inside ``vl-convert-python`` and copied into the book by
  ``book/_ext/explorers.py``) only when an explorer comes near the screen, and the reader's
  browser compiles the chart in the layout that fits (tens of milliseconds; the build would
  spend 0.7 s per page starting a compiler of its own);
- **Jupyter** (:meth:`LiveExplorer.widget`): ipywidgets sliders driving Altair's
  ``JupyterChart`` (an ipywidget; offline, its JavaScript also from ``vl-convert-python``).

Both are in the object's display bundle; JupyterLab shows the widget, and the book's
configuration (``nb_mime_priority_overrides`` in ``_config.yml``) drops it. While the book is built (environment variable
``COURSE_LIB_EXPLORERS=static``, set by ``book/_ext/explorers.py``), no widget is created.

Hover read-outs are drawn in the chart (:func:`readout`): the point nearest the pointer (or the
finger) and its values, so they work on a touch screen too.
"""

from __future__ import annotations

import hashlib
import html as html_module
import itertools
import json
import os
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np

_FONT = 12
# The explorers' look: system fonts, light grids, legends below, titles on the left.
_CONFIG = {
    "font": "system-ui, -apple-system, 'Segoe UI', sans-serif",
    "axis": {"labelFontSize": _FONT, "titleFontSize": _FONT + 1, "titleFontWeight": "normal", "grid": True,
             "gridColor": "#eee"},
    "legend": {"labelFontSize": _FONT, "titleFontSize": _FONT, "orient": "bottom", "direction": "vertical",
               "symbolSize": 60},
    "title": {"fontSize": _FONT + 1, "fontWeight": "normal", "anchor": "start"},
    "view": {"stroke": "#ccc"},
}


@dataclass
class Slider:
    """A numeric control: ``values`` are the choices, ``default`` the one shown first, each shown
    as ``fmt.format(value)`` or, when ``labels`` are given (one per value), as its label (a menu
    of named choices: values ``0, 1, ..., n - 1`` and their names)."""

    label: str
    values: Sequence[float]
    default: float
    fmt: str = "{:.3g}"
    labels: Sequence[str] | None = None

    def __post_init__(self):
        if len(self.values) < 2:
            raise ValueError(f"slider {self.label!r} needs at least two values.")
        if self.default not in list(self.values):
            raise ValueError(f"slider {self.label!r}: default {self.default} is not one of its values.")
        if self.labels is not None and len(self.labels) != len(self.values):
            raise ValueError(f"slider {self.label!r}: {len(self.labels)} labels for {len(self.values)} values.")

    def shown(self) -> list[str]:
        if self.labels is not None:
            return [str(label) for label in self.labels]
        return [self.fmt.format(v) for v in self.values]

    def text(self, value) -> str:
        """How ``value`` (one of the values) is shown."""
        return self.shown()[list(self.values).index(value)]


@dataclass
class Dataset:
    """A table drawn by an explorer: ``compute(**params)`` returns ``{column: 1-D array}`` (equal
    lengths) for one choice of the parameters named in ``depends``."""

    depends: tuple[str, ...]
    compute: Callable[..., Mapping[str, Sequence[float]]]


def _csv_number(x: float) -> str:
    if not np.isfinite(x):
        raise ValueError(f"an explorer's table holds {x}; tables must be finite (clip what leaves the axes).")
    text = f"{x:.4g}"
    return "0" if text == "-0" else text


@dataclass
class LiveExplorer:
    """An explorer: controls, datasets and panels (see the module docstring).

    Parameters
    ----------
    controls : mapping
        Parameter name to :class:`Slider`. Names must be valid identifiers (they become
        Vega-Lite parameters and table columns).
    datasets : mapping
        Dataset name to :class:`Dataset`.
    panels : callable
        ``panels(source)`` returns the list of Altair charts, one per panel, where
        ``source(name)`` is an ``alt.Chart`` of dataset ``name`` already filtered to the current
        parameters. Panels need no width or height of their own (the layout sets them).
    description : str
        What the picture shows, for readers who cannot see it (followed by the current values).
    columns : int
        Panels side by side on a wide screen (a phone shows one column).
    width, height : int
        Size of one panel's plotting area, in pixels.
    """

    controls: Mapping[str, Slider]
    datasets: Mapping[str, Dataset]
    panels: Callable
    description: str = "The explorer's figure"
    columns: int = 2
    width: int = 280
    height: int = 210
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for name in self.controls:
            if not name.isidentifier():
                raise ValueError(f"control name {name!r} must be an identifier.")
        for name, data in self.datasets.items():
            unknown = set(data.depends) - set(self.controls)
            if unknown:
                raise ValueError(f"dataset {name!r} depends on {sorted(unknown)}, which are not controls.")

    def defaults(self) -> dict:
        return {name: s.default for name, s in self.controls.items()}

    # -- the numbers -------------------------------------------------------------------------

    def frame(self, name: str, **params) -> dict:
        """Dataset ``name`` for one choice of parameters (defaults for those not given), as
        ``{column: array}``: what the chart shows for that choice."""
        unknown = set(params) - set(self.controls)
        if unknown:
            raise TypeError(f"unknown parameter(s) {sorted(unknown)}; this explorer has {list(self.controls)}.")
        data = self.datasets[name]
        chosen = {**self.defaults(), **params}
        columns = {k: np.asarray(v, dtype=float).ravel() for k, v in data.compute(**{p: chosen[p] for p in data.depends}).items()}
        lengths = {len(v) for v in columns.values()}
        if len(lengths) != 1:
            raise ValueError(f"dataset {name!r}: its columns have different lengths {sorted(lengths)}.")
        clash = set(columns) & set(self.controls)
        if clash:
            raise ValueError(f"dataset {name!r}: columns {sorted(clash)} clash with control names.")
        return columns

    def table(self, name: str) -> str:
        """Dataset ``name`` on the whole grid of its parameters, as CSV text: the columns of
        :meth:`frame` followed by one column per parameter it depends on, holding the index of
        the parameter's value in its slider (short, and compared exactly)."""
        key = ("table", name)
        if key not in self._cache:
            depends = self.datasets[name].depends
            header, lines = None, []
            for values in itertools.product(*(self.controls[p].values for p in depends)):
                params = dict(zip(depends, values))
                columns = self.frame(name, **params)
                if header is None:
                    header = list(columns) + list(depends)
                    lines.append(",".join(header))
                rows = np.column_stack([columns[c] for c in header[: len(columns)]])
                index = [list(self.controls[p].values).index(v) for p, v in params.items()]
                tail = "," + ",".join(str(i) for i in index) if index else ""
                lines.extend(",".join(_csv_number(x) for x in row) + tail for row in rows)
            self._cache[key] = "\n".join(lines) + "\n"
        return self._cache[key]

    # -- the chart ---------------------------------------------------------------------------

    def _source(self, name: str):
        import altair as alt

        if name not in self.datasets:
            raise KeyError(f"no dataset {name!r}; this explorer has {list(self.datasets)}.")
        header = self.table(name).split("\n", 1)[0].split(",")
        data = alt.NamedData(name=name, format=alt.DataFormat(type="csv", parse={c: "number" for c in header}))
        chart = alt.Chart(data)
        depends = self.datasets[name].depends
        if depends:
            chart = chart.transform_filter(" && ".join(f"datum.{p} == {p}" for p in depends))
        return chart

    def chart(self, columns: int | None = None, width: int | None = None):
        """The whole explorer as one Altair chart: panels in ``columns`` columns, the controls as
        Vega-Lite parameters (unbound: the sliders are the book's or Jupyter's own), the tables
        as named datasets."""
        import altair as alt

        columns = self.columns if columns is None else columns
        width = self.width if width is None else width
        panels = [p.properties(width=width, height=self.height) for p in self.panels(self._source)]
        params = [alt.param(name=name, value=list(s.values).index(s.default)) for name, s in self.controls.items()]
        chart = alt.ConcatChart(concat=panels, columns=columns)     # lifts the panels' own params
        # Set on the new chart, not through add_params() or properties(): each of those copies the
        # whole chart, panels and all. The specification is the same, sliders after the panels' params.
        lifted = [] if chart.params is alt.Undefined else list(chart.params)
        chart.params = lifted + [p.param for p in params]
        chart.datasets = {name: self.table(name) for name in self.datasets}   # in their order: the same at every build
        chart.config = _CONFIG
        return chart

    def spec(self, columns: int | None = None, width: int | None = None) -> dict:
        """The chart as a Vega-Lite specification (a dict), in ``columns`` columns of panels
        ``width`` pixels wide (the chart is built once; the layouts differ only in these)."""
        import copy

        if "spec" not in self._cache:
            # Altair's schema validation takes seconds on these specs; the tests validate every
            # explorer's chart once (tests/test_explorers_live.py).
            self._cache["spec"] = self.chart().to_dict(validate=False)
        spec = copy.deepcopy(self._cache["spec"])
        spec["columns"] = self.columns if columns is None else columns
        for panel in spec["concat"]:
            panel["width"] = self.width if width is None else width
        return spec

    # -- the book ----------------------------------------------------------------------------

    def static_html(self) -> str:
        """The book's rendering: labelled sliders, a figure container, and one JSON payload with
        the Vega-Lite specification, its two layouts and the tables (started by
        ``book/_ext/static/explorers.js``, which compiles the specification in the reader's
        browser with the Vega-Lite that Altair writes for)."""
        if "html" in self._cache:
            return self._cache["html"]
        spec = self.spec()
        tables = spec.pop("datasets")
        layouts = {"narrow": {"columns": 1, "width": self.width - 16},   # fits a 360-pixel phone
                   "wide": {"columns": self.columns, "width": self.width}}
        wide_min = self.columns * (self.width + 80)
        payload = {"spec": spec, **layouts, "tables": tables, "wide_min": wide_min,
                   "description": self.description.rstrip(". ")}
        digest = hashlib.sha1(json.dumps([self.description, list(self.controls)]).encode()).hexdigest()[:8]
        uid = f"explorer-{digest}"
        controls = []
        for name, s in self.controls.items():
            shown = s.shown()
            start = list(s.values).index(s.default)
            label = html_module.escape(s.label)
            controls.append(
                f'<div class="explorer-control"><label for="{uid}-{name}">{label}</label> '
                f'<output for="{uid}-{name}">{html_module.escape(shown[start])}</output>'
                f'<input type="range" class="explorer-slider" id="{uid}-{name}" min="0" max="{len(shown) - 1}" '
                f'step="1" value="{start}" data-param="{name}" aria-valuetext="{html_module.escape(shown[start])}" '
                f"data-shown='{html_module.escape(json.dumps(shown))}' data-label='{label}' disabled></div>")
        alt_text = html_module.escape(self._alt_text(), quote=True)
        data = json.dumps(payload, separators=(",", ":")).replace("</", "<\\/")
        height = self.height + 90
        html = (f'<div class="explorer live-explorer" id="{uid}" role="group" aria-label="{alt_text}">'
                f'<div class="explorer-controls">{"".join(controls)}</div>'
                f'<div class="explorer-figure" role="img" aria-label="{alt_text}" style="min-height: {height}px">'
                f'<p class="explorer-loading">The figure appears here when its script has loaded.</p></div>'
                f'<script type="application/json" class="explorer-data">{data}</script></div>')
        self._cache["html"] = html
        return html

    def _alt_text(self, **params) -> str:
        chosen = {**self.defaults(), **params}
        values = ", ".join(f"{s.label} = {s.text(chosen[n])}" for n, s in self.controls.items())
        return f"{self.description.rstrip('. ')}, at {values}"

    # -- Jupyter -----------------------------------------------------------------------------

    def widget(self):
        """The live view in Jupyter: one ipywidgets slider per parameter driving the same chart
        (Altair's ``JupyterChart``, offline)."""
        import altair as alt
        import ipywidgets as w

        alt.JupyterChart.enable_offline()
        chart = alt.JupyterChart(self.chart())
        sliders = {
            name: w.SelectionSlider(
                options=[(text, v) for text, v in zip(s.shown(), s.values)], value=s.default,
                description=s.label, style={"description_width": "initial"}, layout=w.Layout(width="420px"))
            for name, s in self.controls.items()
        }

        def follow(name):
            values = list(self.controls[name].values)

            def on_change(change):
                setattr(chart.params, name, values.index(change["new"]))
            return on_change

        for name, s in sliders.items():
            s.observe(follow(name), names="value")
        return w.VBox([w.HBox(list(sliders.values()), layout=w.Layout(flex_flow="row wrap")), chart])

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": self.static_html(),
                  "text/plain": f"<{type(self).__name__}: {', '.join(self.controls)}>"}
        if os.environ.get("COURSE_LIB_EXPLORERS") != "static":
            live = self.widget()._repr_mimebundle_() or {}
            bundle.update({k: v for k, v in live.items() if k != "text/plain"})
        return bundle


def readout(source, x: str, y: str, text: str, *, color: str = "#333", fields: Sequence[str] | None = None):
    """Layers that read out the point of ``source`` nearest the pointer (or finger): a ring on
    the point and ``text`` (a Vega expression of ``datum``) in the panel's upper left corner.

    ``fields`` are the columns that tell the points apart (default ``[x, y]``; give others when
    several rows can share a position, e.g. ``["run", "t"]`` for runs that overlap, so that one
    row is read out, not all of them on top of each other).

    Returns the two layers; add them to a panel with ``alt.layer(panel, *readout(...))``.
    """
    import altair as alt

    global _readouts
    _readouts += 1
    hover = alt.selection_point(name=f"hover{_readouts}", on="pointerover", nearest=True,
                                clear="pointerout", fields=list(fields or [x, y]), empty=False)
    ring = source.mark_point(size=110, filled=False, strokeWidth=2, color=color, clip=True).encode(
        x=f"{x}:Q", y=f"{y}:Q", opacity=alt.condition(hover, alt.value(1), alt.value(0))).add_params(hover)
    label = source.transform_filter(hover).transform_calculate(readout=text).mark_text(
        align="left", baseline="top", dx=0, dy=0, fontSize=_FONT, fontWeight="bold", color=color).encode(
        x=alt.value(4), y=alt.value(4), text="readout:N")
    return ring, label


_readouts = 0
