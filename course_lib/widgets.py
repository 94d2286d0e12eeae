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
:func:`momentum_explorer`
    Heavy-ball momentum against gradient descent on an ill-conditioned quadratic.
:func:`optimizer_race_explorer`
    Gradient descent, momentum, RMSProp and Adam racing on Rosenbrock's function.
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


def momentum_explorer(num_steps: int = 80, kappa: float = 100.0) -> Explorer:
    r"""Heavy-ball momentum against gradient descent on an ill-conditioned 2-D quadratic.

    The objective is :math:`C(\theta) = \tfrac12 \theta^\top H \theta` with eigenvalues
    :math:`\lambda_1 = 1` and :math:`\lambda_2 = 1/\kappa`, eigenvectors rotated by 30 degrees,
    so :math:`\theta^* = 0`. Both methods run with :func:`course_lib.optim.run`: heavy ball is
    :func:`course_lib.optim.momentum` (velocity form
    :math:`v_{t+1} = \mu v_t - \eta g_t,\ \theta_{t+1} = \theta_t + v_{t+1}`), gradient descent
    is :func:`course_lib.optim.gradient_descent` with the same :math:`\eta`.

    On the eigen-coordinate with eigenvalue :math:`\lambda` heavy ball is the linear recursion
    :math:`x_{t+1} = (1 + \mu - \eta\lambda) x_t - \mu x_{t-1}`; its rate is the largest
    modulus of the roots of :math:`z^2 - (1 + \mu - \eta\lambda) z + \mu`, maximised over the two
    eigenvalues. It converges exactly when :math:`0 < \eta\lambda_1 < 2(1 + \mu)`.

    Panels: the two trajectories on the contour plot; the error :math:`\|\theta_k - \theta^*\|`
    of both against :math:`k` on a log scale, with the predicted slopes :math:`\rho^k`.

    Controls: ``momentum`` :math:`\mu` (swept in the static rendering) and ``step``, the
    learning rate in units of :math:`1/\lambda_1` (:math:`\eta\lambda_1`).

    Parameters
    ----------
    num_steps : int
        Number of steps drawn.
    kappa : float
        Condition number :math:`\lambda_1/\lambda_2` (at least 1).

    Returns
    -------
    Explorer

    References
    ----------
    000, eq. (2.7); 003 (momentum); 004, Section 4.3 and Figure 4.6.

    Examples
    --------
    >>> ex = momentum_explorer()
    >>> fig = ex.figure(momentum=0.9, step=1.0)
    """
    from course_lib.optim import gradient_descent, momentum as heavy_ball, run
    from course_lib.problems import quadratic

    num_steps = _check_num_steps(num_steps)
    if isinstance(kappa, bool) or not (isinstance(kappa, (int, float, np.floating, np.integer))
                                       and math.isfinite(kappa) and kappa >= 1):
        raise ValueError(f"kappa = lambda_1 / lambda_2 must be a finite number >= 1, got {kappa!r}.")
    angle = np.pi / 6
    Q = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    lam = np.array([1.0, 1.0 / kappa])
    H = (Q * lam) @ Q.T
    H = 0.5 * (H + H.T)
    problem = quadratic(H)
    theta0 = Q @ np.array([1.5, -3.0])
    lim = 4.5
    grid = np.linspace(-lim, lim, 161)
    X, Y = np.meshgrid(grid, grid)
    Z = 0.5 * (H[0, 0] * X**2 + 2 * H[0, 1] * X * Y + H[1, 1] * Y**2)
    c0 = float(problem.fun(theta0))

    def rate(eta, mu):
        """Largest root modulus of z^2 - (1 + mu - eta lam) z + mu over both eigenvalues."""
        a = 1 + mu - eta * lam
        disc = a * a - 4 * mu
        real = (np.abs(a) + np.sqrt(np.maximum(disc, 0.0))) / 2
        return float(np.max(np.where(disc < 0, math.sqrt(mu), real)))

    def draw(fig, momentum, step):
        if isinstance(momentum, bool) or not (isinstance(momentum, (int, float, np.floating, np.integer))
                                              and 0 <= momentum < 1):
            raise ValueError(f"momentum must be a number in [0, 1), got {momentum!r}.")
        if isinstance(step, bool) or not (isinstance(step, (int, float, np.floating, np.integer))
                                          and math.isfinite(step) and step > 0):
            raise ValueError(f"step = eta * lambda_1 must be a positive finite number, got {step!r}.")
        mu, eta = float(momentum), float(step) / lam[0]
        hb = run(heavy_ball(eta, mu), problem.grad, theta0, num_steps)
        gd = run(gradient_descent(eta), problem.grad, theta0, num_steps)
        rho_hb, rho_gd = rate(eta, mu), rate(eta, 0.0)

        ax, ax_err = fig.subplots(1, 2, width_ratios=[1.0, 1.1])
        ax.contour(X, Y, Z, levels=c0 * np.geomspace(1e-3, 4.0, 12), colors="0.7", linewidths=0.8)
        for path, color, style, name in ((gd, _GD_COLOR, "o-", "gradient descent"),
                                         (hb, _NEWTON_COLOR, "s-", f"heavy ball, μ = {mu:g}")):
            shown = _inside_prefix(path, (-lim, lim))
            ax.plot(shown[:, 0], shown[:, 1], style, ms=2.5, lw=0.9, color=color, label=name)
        ax.plot(*theta0, "s", color="k", ms=6)
        ax.plot(0, 0, "*", color="k", ms=11)
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="θ₁", ylabel="θ₂")
        ax.set_title(f"κ = {kappa:g}, η = {eta:.3g}/λ₁", fontsize="medium")
        ax.legend(loc="lower right", fontsize="x-small", framealpha=0.9)

        floor, ceiling = 1e-10, 1e4
        e0 = float(np.linalg.norm(theta0))
        k = np.arange(num_steps + 1)
        for path, rho, color, style, name in ((gd, rho_gd, _GD_COLOR, "o-", "GD"),
                                              (hb, rho_hb, _NEWTON_COLOR, "s-", "heavy ball")):
            err = np.linalg.norm(path, axis=1)
            keep = (err > floor / 10) & (err < ceiling * 10)
            ax_err.semilogy(k[: len(err)][keep], err[keep], style, ms=2, lw=0.9, color=color,
                            label=f"{name}: ρ = {rho:.3f}")
            with np.errstate(over="ignore", under="ignore"):
                bound = e0 * np.exp(k * math.log(max(rho, 1e-300)))
            ok = (bound > floor / 10) & (bound < ceiling * 10)
            ax_err.semilogy(k[ok], bound[ok], ls=":", lw=1, color=color)
        ax_err.set(xlim=(0, num_steps), ylim=(floor, ceiling), xlabel="iteration k", ylabel="‖θ_k − θ*‖")
        stable = "diverges" if rho_hb >= 1 else "converges"
        ax_err.set_title(f"heavy ball {stable} (dotted: ρᵏ‖θ₀ − θ*‖)", fontsize="medium")
        ax_err.legend(loc="lower left", fontsize="x-small")

    controls = {
        "momentum": Slider("momentum μ", [0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95], 0.7, fmt="{:g}"),
        "step": Slider("learning rate ηλ₁", [0.1, 0.3, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5], 1.0, fmt="{:g}"),
    }
    return Explorer(draw, controls, sweep="momentum", description=(
        "Heavy-ball momentum and gradient descent on the contours of an ill-conditioned quadratic, and their distances to the minimum against the iteration with the rate bounds"), figsize=(8.4, 4.0))


def optimizer_race_explorer(num_steps: int = 1000) -> Explorer:
    r"""GD, momentum, RMSProp and Adam racing from the same start on the Rosenbrock function.

    The objective is :math:`C(\theta) = (1 - \theta_1)^2 + 100(\theta_2 - \theta_1^2)^2`
    (:func:`course_lib.problems.rosenbrock`), started at :math:`\theta_0 = (-1.2, 1)`; the
    minimiser is :math:`(1, 1)`. Each method runs with :func:`course_lib.optim.run` and a base
    learning rate (gradient descent and heavy-ball momentum, :math:`\mu = 0.9`: :math:`10^{-3}`;
    RMSProp, decay 0.9: :math:`5\times10^{-3}`; Adam, default :math:`\beta`'s:
    :math:`5\times10^{-2}`), all multiplied by the one control.

    Panels: the four trajectories on the contour plot; :math:`C(\theta_t)` against :math:`t` on a
    log scale (a divergent run stops where its iterates leave the drawing box or stop being finite).

    Controls: ``lr_scale``, the learning-rate multiplier (swept in the static rendering).

    Parameters
    ----------
    num_steps : int
        Number of steps of each method.

    Returns
    -------
    Explorer

    References
    ----------
    000, eqs. (2.7)-(2.8); 001 (AdaGrad, RMSProp and Adam slides); 004, Algorithm 4.2.

    Examples
    --------
    >>> ex = optimizer_race_explorer(num_steps=50)
    >>> fig = ex.figure(lr_scale=1.0)
    """
    from course_lib.optim import adam, gradient_descent, momentum as heavy_ball, rmsprop, run
    from course_lib.problems import rosenbrock

    num_steps = _check_num_steps(num_steps)
    problem = rosenbrock()
    theta0 = np.array([-1.2, 1.0])
    methods = (
        ("GD", "C0", "o-", 1e-3, lambda lr: gradient_descent(lr)),
        ("momentum μ = 0.9", "C3", "s-", 1e-3, lambda lr: heavy_ball(lr, 0.9)),
        ("RMSProp", "C2", "^-", 5e-3, lambda lr: rmsprop(lr, 0.9)),
        ("Adam", "C1", "d-", 5e-2, lambda lr: adam(lr)),
    )
    xlim, ylim = (-2.0, 2.0), (-1.0, 3.0)
    box = (-3.0, 3.0)
    X, Y = np.meshgrid(np.linspace(*xlim, 241), np.linspace(*ylim, 241))
    Z = problem.fun(np.array([X, Y]))
    floor, ceiling = 1e-8, 1e6

    def draw(fig, lr_scale):
        if isinstance(lr_scale, bool) or not (isinstance(lr_scale, (int, float, np.floating, np.integer))
                                              and math.isfinite(lr_scale) and lr_scale > 0):
            raise ValueError(f"lr_scale must be a positive finite number, got {lr_scale!r}.")
        ax, ax_loss = fig.subplots(1, 2, width_ratios=[1.0, 1.1])
        ax.contour(X, Y, Z, levels=np.geomspace(0.05, 2000, 14), colors="0.75", linewidths=0.7)
        for name, color, style, base, make in methods:
            lr = base * float(lr_scale)
            path = run(make(lr), problem.grad, theta0, num_steps)
            shown = _inside_prefix(path, box)
            ax.plot(shown[:, 0], shown[:, 1], style, ms=1.5, lw=0.8, color=color, label=f"{name}, η = {lr:.2g}")
            with np.errstate(over="ignore", invalid="ignore"):
                loss = np.array([problem.fun(p) for p in shown])
            t = np.arange(len(loss))
            keep = np.isfinite(loss) & (loss > floor) & (loss < ceiling)
            if np.any(keep):
                ax_loss.semilogy(t[keep], loss[keep], "-", lw=1.0, color=color, label=name)
        ax.plot(*theta0, "ks", ms=6)
        ax.plot(1.0, 1.0, "k*", ms=11)
        ax.set(xlim=xlim, ylim=ylim, xlabel="θ₁", ylabel="θ₂")
        ax.set_title("Rosenbrock, θ₀ = (−1.2, 1)", fontsize="medium")
        ax.legend(loc="lower right", fontsize="x-small", framealpha=0.9)
        ax_loss.set(xlim=(0, num_steps), ylim=(floor, ceiling), xlabel="iteration t", ylabel="C(θ_t)")
        ax_loss.set_title("loss (curves end where a run leaves the box)", fontsize="medium")
        ax_loss.legend(loc="lower left", fontsize="x-small")

    controls = {
        "lr_scale": Slider("learning-rate multiplier", [0.1, 0.3, 1.0, 2.0, 3.0, 10.0], 1.0, fmt="{:g}"),
    }
    return Explorer(draw, controls, sweep="lr_scale", description=(
        "Gradient descent, momentum, RMSProp and Adam from the same start on Rosenbrock's function: their paths on the contours and their losses against the step number"), figsize=(9.0, 4.0))




# ---------------------------------------------------------------------------------------------
# Automatic differentiation: the computational graph and its tables
# ---------------------------------------------------------------------------------------------


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
