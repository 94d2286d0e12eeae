r"""Explorers of chapter 1 (Taylor models, Newton's method and gradient descent).

:func:`taylor_model_explorer`
    First- and second-order Taylor models of the cubic :math:`(\theta-3)^2(\theta+3)` around a
    movable point, with the Newton point and the models' errors at a chosen step.
:func:`newton_vs_gd_explorer`
    Newton's method and gradient descent from the same start on the same cubic: the start and
    the learning rate of gradient descent.
:func:`gd_quadratic_explorer`
    Gradient descent on a two-dimensional quadratic: the learning rate against stability, for
    condition numbers from 1 to 100.
"""

from __future__ import annotations

import math

import numpy as np

from course_lib.explorers.live import Dataset, LiveExplorer, Slider, readout
from course_lib.explorers.quadratic import path_layers, plane, quadratic_contours, rotated_quadratic

BLUE, GREY, RED, GREEN, ORANGE = "#1f77b4", "#999999", "#d62728", "#2ca02c", "#ff7f0e"
_START = (1.5, -3.0)        # theta_0 in eigen-coordinates
_LIM = 4.5                  # the path panel shows [-_LIM, _LIM]^2
_S_MAX = 2.4                # the contraction panel shows eta * lambda_1 in [0, _S_MAX]
_FLOOR = 1e-8               # the error panel's lower end (errors below are drawn on it)


def _quadratic(kappa: float):
    """:math:`H = Q\\operatorname{diag}(1, 1/\\kappa)Q^\\top` with :math:`Q` a rotation by 30 degrees."""
    return rotated_quadratic(kappa)[0]


def gd_quadratic_explorer(num_steps: int = 40) -> LiveExplorer:
    r"""Gradient descent on :math:`C(\theta) = \tfrac12\theta^\top H\theta` with
    :math:`H = Q\operatorname{diag}(\lambda_1, \lambda_2)Q^\top`, :math:`\lambda_1 = 1`,
    :math:`\lambda_2 = 1/\kappa`, :math:`Q` a rotation by 30 degrees (so :math:`\theta^* = 0`).

    Gradient descent :math:`\theta_{k+1} = \theta_k - \eta H\theta_k` (run by
    :func:`course_lib.optim.run`) multiplies the eigen-coordinate :math:`\alpha_j` by
    :math:`1 - \eta\lambda_j` at every step, so it converges exactly when
    :math:`\eta < 2/\lambda_1`.

    Panels: the iterates on the contours, with the eigenvectors through :math:`\theta^*`; the
    error :math:`\|\theta_k - \theta^*\|` against :math:`k` (log scale) with the bound
    :math:`\rho^k\|\theta_0 - \theta^*\|`; the contraction factor
    :math:`\rho(\eta) = \max_j|1 - \eta\lambda_j|` (:func:`course_lib.curvature.gd_contraction`)
    against :math:`\eta\lambda_1`, with the unstable region :math:`\eta > 2/\lambda_1`, the best
    step :math:`2/(\lambda_1 + \lambda_2)` and the current :math:`\eta`.

    Controls: ``step`` is :math:`\eta\lambda_1` (values on both sides of 2) and ``kappa`` is
    :math:`\kappa = \lambda_1/\lambda_2`.

    Parameters
    ----------
    num_steps : int
        Number of gradient-descent steps drawn.

    References
    ----------
    000, Section 2.1 (the eigenbasis recursion and the bound :math:`\eta < 2/\lambda_1`).

    Examples
    --------
    >>> ex = gd_quadratic_explorer(num_steps=10)
    >>> int(ex.frame("path", step=2.1, kappa=10)["k"][-1])   # diverges: 10 steps, all inside the panel
    10
    """
    from course_lib.checks import integer
    from course_lib.curvature import gd_contraction, optimal_learning_rate, spectrum
    from course_lib.optim import gradient_descent, run
    from course_lib.problems import quadratic

    num_steps = integer("num_steps", num_steps, minimum=1)

    def trajectory(step, kappa):
        H = _quadratic(kappa)
        lam, Q = spectrum(H)
        theta0 = Q @ np.array(_START)
        return run(gradient_descent(step / lam[0]), quadratic(H).grad, theta0, num_steps)

    def path(step, kappa):
        points = trajectory(step, kappa)
        # Drawn up to the first iterate outside the panel (a divergent run leaves the axes).
        outside = np.any(np.abs(points) > _LIM, axis=1)
        last = int(np.argmax(outside)) if outside.any() else len(points) - 1
        k = np.arange(last + 1)
        return {"k": k, "theta1": points[: last + 1, 0], "theta2": points[: last + 1, 1]}

    def error(step, kappa):
        H = _quadratic(kappa)
        errors = np.linalg.norm(trajectory(step, kappa), axis=1)
        rho = gd_contraction(H, step / spectrum(H)[0][0])
        k = np.arange(num_steps + 1)
        bound = errors[0] * rho ** k.astype(float)
        return {"k": k, "error": np.maximum(errors, _FLOOR / 10), "bound": np.clip(bound, _FLOOR / 10, 1e12)}

    def contours(kappa):
        lam, Q = spectrum(_quadratic(kappa))
        return quadratic_contours(lam, Q, _START, np.geomspace(1e-3, 4.0, 9), points=49)

    def axes(kappa):
        _, Q = spectrum(_quadratic(kappa))
        ends = np.array([-1.5 * _LIM, 1.5 * _LIM])
        return {"j": [1, 1, 2, 2], "x": np.concatenate([ends * Q[0, 0], ends * Q[0, 1]]),
                "y": np.concatenate([ends * Q[1, 0], ends * Q[1, 1]])}

    def contraction(kappa):
        H = _quadratic(kappa)
        lam = spectrum(H)[0]
        # rho is piecewise linear in s = eta * lambda_1, with kinks at s = 1, s = kappa and the
        # best step; a grid holding them draws it exactly.
        best = optimal_learning_rate(H) * lam[0]
        s = np.unique(np.concatenate([np.linspace(0.0, _S_MAX, 49)[1:], [1e-3, 1.0, best], [kappa] if kappa < _S_MAX else []]))
        return {"s": s, "rho": [gd_contraction(H, si / lam[0]) for si in s]}

    def marks(step, kappa):
        H = _quadratic(kappa)
        lam = spectrum(H)[0]
        best = optimal_learning_rate(H)
        return {"s": [step], "rho": [gd_contraction(H, step / lam[0])], "eta": [step / lam[0]],
                "best": [best * lam[0]], "rho_best": [gd_contraction(H, best)]}

    def panels(source):
        import altair as alt

        x1, y1 = plane(_LIM)
        eigen = source("axes").mark_line(color="#666", strokeDash=[2, 3], strokeWidth=1, clip=True).encode(
            x=x1, y=y1, detail="j:N")
        walk = dict(color=BLUE, strokeWidth=1.5, clip=True, point=alt.OverlayMarkDef(size=22))
        layers = path_layers(source, _LIM, {"path": walk}, start="path", read=source("path"), color=BLUE,
                                  behind=[eigen])
        contour_panel = alt.layer(*layers).properties(
            title="Iterates θₖ from θ₀ (square) to θ* (diamond)")

        log = alt.Scale(type="log", domain=[_FLOOR, 1e5], nice=False)
        k_axis = alt.X("k:Q", title="iteration k", scale=alt.Scale(domain=[0, num_steps], nice=False))
        measured = source("error").mark_line(color=BLUE, clip=True, point=alt.OverlayMarkDef(size=18)).encode(
            x=k_axis, y=alt.Y("error:Q", scale=log, title="‖θₖ − θ*‖", axis=alt.Axis(
                values=[10.0 ** e for e in range(-8, 6, 2)], labelExpr="'1e' + round(log(datum.value) / LN10)")))
        bound = source("error").mark_line(color="black", strokeDash=[5, 4], strokeWidth=1.2, clip=True).encode(
            x=k_axis, y=alt.Y("bound:Q", scale=log))
        on_error = readout(source("error"), "k", "error",
                           "'k = ' + datum.k + ':  ‖θₖ − θ*‖ = ' + format(datum.error, '.3~e')", color=BLUE)
        error_panel = alt.layer(measured, bound, *on_error).properties(
            title="Error (dots) and the bound ρᵏ‖θ₀ − θ*‖ (dashed)")

        s_axis = alt.X("s:Q", title="η λ₁", scale=alt.Scale(domain=[0, _S_MAX], nice=False))
        r_axis = alt.Y("rho:Q", title="contraction ρ", scale=alt.Scale(domain=[0, 1.75], nice=False))
        unstable = alt.Chart(alt.Data(values=[{"a": 2.0, "b": _S_MAX}])).mark_rect(color=RED, opacity=0.12).encode(
            x=alt.X("a:Q", scale=alt.Scale(domain=[0, _S_MAX], nice=False)), x2="b:Q")
        one = alt.Chart(alt.Data(values=[{"one": 1.0}])).mark_rule(color=GREY).encode(y="one:Q")
        curve = source("contraction").mark_line(color="black", strokeWidth=1.5, clip=True).encode(x=s_axis, y=r_axis)
        best = source("marks").mark_rule(color=GREEN, strokeDash=[5, 4]).encode(x="best:Q")
        current = source("marks").mark_point(filled=True, size=90, color=BLUE, clip=True).encode(
            x=s_axis, y=alt.Y("rho:Q", scale=alt.Scale(domain=[0, 1.75], nice=False)))
        caption = source("marks").transform_calculate(
            text="'η = ' + format(datum.eta, '.3g') + ':  ρ = ' + format(datum.rho, '.3f') + (datum.rho < 1 ? ' (converges)' : ' (diverges)')"
        ).mark_text(align="left", baseline="top", fontSize=12, fontWeight="bold", color=BLUE).encode(
            x=alt.value(4), y=alt.value(4), text="text:N")
        best_text = source("marks").transform_calculate(
            text="'best step: ρ = ' + format(datum.rho_best, '.3f')").mark_text(
            align="left", baseline="top", fontSize=12, color=GREEN).encode(x=alt.value(4), y=alt.value(20), text="text:N")
        rho_panel = alt.layer(unstable, one, curve, best, current, caption, best_text).properties(
            title="ρ = max |1 − ηλⱼ|; red: η > 2/λ₁")
        return [contour_panel, error_panel, rho_panel]

    controls = {
        "step": Slider("learning rate η·λ₁", [0.1, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 1.9, 1.97, 2.03, 2.1, 2.2], 1.0),
        "kappa": Slider("condition number κ", [1, 2, 5, 10, 20, 50, 100], 10),
    }
    datasets = {
        "path": Dataset(("step", "kappa"), path),
        "error": Dataset(("step", "kappa"), error),
        "contours": Dataset(("kappa",), contours),
        "axes": Dataset(("kappa",), axes),
        "contraction": Dataset(("kappa",), contraction),
        "marks": Dataset(("step", "kappa"), marks),
    }
    return LiveExplorer(controls, datasets, panels, description=(
        "Gradient descent's iterates on the contours of a two-dimensional quadratic, their distance to the "
        "minimum against the iteration on a log scale with the bound ρᵏ, and the contraction factor ρ "
        "against the learning rate"))


# --------------------------------------------------------------------------------------------
# The cubic (θ − 3)²(θ + 3): Taylor models, and Newton's method against gradient descent
# --------------------------------------------------------------------------------------------

_NEWTON = "#d95f02"         # Newton's iterates and point (gradient descent is BLUE)


def _corner_text(source, text: str, *, line: int = 0, color: str = "black", top: bool = False):
    """A computed caption (``text``, a Vega expression of ``datum``) in a panel's lower right
    corner, ``line`` lines up from the bottom (with ``top``: upper right, ``line`` lines down)."""
    import altair as alt

    return source.transform_calculate(text=text).mark_text(
        align="right", baseline="top" if top else "bottom", dx=-4, dy=4 + 16 * line if top else -4 - 16 * line,
        fontSize=12, fontWeight="bold", color=color).encode(
        x=alt.value("width"), y=alt.value(0 if top else "height"), text="text:N")


def taylor_model_explorer() -> LiveExplorer:
    r"""First- and second-order Taylor models of :math:`C(\theta) = (\theta-3)^2(\theta+3)`
    around a movable point :math:`\theta_0`.

    The second-order model :math:`m(d) = C + C' d + \tfrac12 C'' d^2`
    (:func:`course_lib.taylor.quadratic_model`) is a parabola; its stationary point
    :math:`\theta_0 - C'/C''` is the Newton iterate. Where :math:`C''(\theta_0) > 0` the
    parabola opens upwards and the Newton point is its minimiser; where
    :math:`C''(\theta_0) < 0` (left of the inflection point at 1) it opens downwards and
    the Newton point is its *maximiser*; at :math:`\theta_0 = 1` the model is a line and there
    is no Newton point.

    Panels: the function, its tangent line and its quadratic model, with the Newton point and
    the three values at :math:`\theta_0 + d`; the model errors
    :math:`|C(\theta_0 + d) - \text{model}(d)|` against :math:`d > 0` on log-log axes, with
    reference slopes 2 and 3 and the current :math:`d` marked. For this cubic
    (:math:`C''' = 6`) the first-order error is :math:`|3(\theta_0 - 1)d^2 + d^3|` and the
    second-order error exactly :math:`d^3`: halving :math:`d` divides them by about 4 and
    exactly 8.

    Controls: ``theta0``, the expansion point (on both sides of the inflection point, and on
    it), and ``d``, the step at which the models are compared with :math:`C` (halving steps).

    References
    ----------
    000, eq. (2.1); 004, Section 4.6 (Figure 4.10 and the discussion of inflection points).

    Examples
    --------
    >>> ex = taylor_model_explorer()
    >>> mark = ex.frame("marks", theta0=0.5, d=1.0)
    >>> float(mark["newton"][0]), float(mark["second"][0])   # the model's maximiser; error d^3
    (-3.25, 1.0)
    """
    from course_lib.checks import real
    from course_lib.problems import overshoot_cubic
    from course_lib.taylor import quadratic_model

    p = overshoot_cubic()
    lo, hi = -4.0, 7.0                      # the θ axis of the first panel
    c_lo, c_hi = -40.0, 80.0                # its C axis
    e_lo, e_hi = 1e-12, 1e3                 # the error panel's axis (errors clipped just below and above)
    steps = np.geomspace(1e-3, 3.0, 31)

    def expansion(theta0):
        theta0 = real("theta0", theta0)
        return (theta0, float(p.fun(theta0)), float(p.grad(theta0)), float(p.hess(theta0)),
                quadratic_model(p.fun, p.grad, p.hess, theta0))

    def models(theta0):
        theta0, c0, g0, _, model = expansion(theta0)
        t = np.linspace(lo, hi, 45)
        # Parabolas leave the box far from θ₀: cut at ±1e3 (the marks clip at the box).
        return {"theta": t, "C": p.fun(t), "tangent": np.clip(c0 + g0 * (t - theta0), -1e3, 1e3),
                "model": np.clip([model(ti - theta0) for ti in t], -1e3, 1e3)}

    def errors(theta0):
        theta0, c0, g0, _, model = expansion(theta0)
        exact = p.fun(theta0 + steps)
        first = np.abs(exact - c0 - g0 * steps)
        second = np.abs(exact - np.array([model(d) for d in steps]))
        return {"length": steps, "first": np.clip(first, e_lo / 10, e_hi * 10), "second": np.clip(second, e_lo / 10, e_hi * 10)}

    def slopes():
        ends = steps[[0, -1]]
        return {"length": ends, "two": 0.05 * ends**2, "three": 0.05 * ends**3}

    def marks(theta0, d):
        theta0, c0, g0, h0, model = expansion(theta0)
        d = real("d", d, positive=True)
        newton = theta0 - g0 / h0 if h0 != 0 else theta0     # (none when C'' = 0: h0 says so)
        c_d = float(p.fun(theta0 + d))
        return {"start": [theta0], "c0": [c0], "h0": [h0], "newton": [newton], "m_newton": [model(newton - theta0)],
                "at": [theta0 + d], "step": [d], "c_d": [c_d], "tangent_d": [c0 + g0 * d], "model_d": [model(d)],
                "first": [max(abs(c_d - c0 - g0 * d), e_lo / 10)], "second": [max(abs(c_d - model(d)), e_lo / 10)]}

    def panels(source):
        import altair as alt

        x_scale = alt.Scale(domain=[lo, hi], nice=False)
        y_scale = alt.Scale(domain=[c_lo, c_hi], nice=False)
        x = alt.X("theta:Q", title="θ", scale=x_scale)
        curve = source("models").mark_line(color="black", strokeWidth=2, clip=True).encode(
            x=x, y=alt.Y("C:Q", title="C(θ)", scale=y_scale))
        tangent = source("models").mark_line(color=ORANGE, strokeDash=[6, 4], strokeWidth=1.5, clip=True).encode(
            x=x, y=alt.Y("tangent:Q", scale=y_scale))
        model = source("models").mark_line(color=BLUE, strokeWidth=1.5, clip=True).encode(
            x=x, y=alt.Y("model:Q", scale=y_scale))
        at_d = source("marks").mark_rule(color=GREY, strokeDash=[2, 3], clip=True).encode(x=alt.X("at:Q", scale=x_scale))
        values_d = [source("marks").mark_point(filled=True, size=40, color=color, clip=True).encode(
            x=alt.X("at:Q", scale=x_scale), y=alt.Y(f"{column}:Q", scale=y_scale))
            for column, color in (("c_d", "black"), ("tangent_d", ORANGE), ("model_d", BLUE))]
        start = source("marks").mark_point(shape="triangle-up", filled=True, color="black", size=90, clip=True).encode(
            x=alt.X("start:Q", scale=x_scale), y=alt.Y("c0:Q", scale=y_scale))
        newton = source("marks").transform_filter("datum.h0 != 0").mark_point(
            shape="square", filled=True, color=_NEWTON, size=70, clip=True).encode(
            x=alt.X("newton:Q", scale=x_scale), y=alt.Y("m_newton:Q", scale=y_scale))
        opens = _corner_text(source("marks"), (
            "datum.h0 == 0 ? \"C''(θ₀) = 0: m is a line\" : \"C''(θ₀) = \" + format(datum.h0, '.3~g')"
            " + (datum.h0 > 0 ? ': m opens up' : ': m opens down')"), line=1, color=BLUE)
        point = _corner_text(source("marks"), (
            "datum.h0 == 0 ? 'no Newton point' : 'Newton point ' + format(datum.newton, '.3~g')"
            " + (datum.newton < " + repr(lo) + " || datum.newton > " + repr(hi) + " ? ', off the axes' :"
            " datum.h0 > 0 ? ': min of m' : ': max of m')"), color=_NEWTON)
        # (only the points inside the box: the read-out's ring, even unseen, would widen the figure)
        inside = source("models").transform_filter(f"datum.model >= {c_lo} && datum.model <= {c_hi}")
        on_model = readout(inside, "theta", "model",
                           "'θ = ' + format(datum.theta, '.2f') + ':  m = ' + format(datum.model, '.3g')"
                           " + ',  C = ' + format(datum.C, '.3g')", color=BLUE)
        model_panel = alt.layer(curve, tangent, model, at_d, *values_d, start, newton, opens, point, *on_model).properties(
            title="C (black), tangent (dashed), model m (blue)")

        d_scale = alt.Scale(type="log", domain=[steps[0], steps[-1]], nice=False)
        e_scale = alt.Scale(type="log", domain=[e_lo, e_hi], nice=False)
        e_axis = alt.Axis(values=[10.0 ** e for e in range(-12, 4, 3)], labelExpr="'1e' + round(log(datum.value) / LN10)")
        d_x = alt.X("length:Q", title="step d", scale=d_scale, axis=alt.Axis(values=[1e-3, 1e-2, 1e-1, 1.0], format="~g"))
        refs = [source("slopes").mark_line(color=GREY, strokeDash=dash, strokeWidth=1, clip=True).encode(
            x=d_x, y=alt.Y(f"{column}:Q", scale=e_scale)) for column, dash in (("two", [2, 2]), ("three", [6, 2, 2, 2]))]
        first = source("errors").mark_line(color=ORANGE, strokeDash=[6, 4], strokeWidth=1.5, clip=True).encode(
            x=d_x, y=alt.Y("first:Q", scale=e_scale, title="|C(θ₀ + d) − model|", axis=e_axis))
        second = source("errors").mark_line(color=BLUE, strokeWidth=1.5, clip=True).encode(
            x=d_x, y=alt.Y("second:Q", scale=e_scale))
        current = [source("marks").mark_point(filled=True, size=60, color=color, clip=True).encode(
            x=alt.X("step:Q", scale=d_scale), y=alt.Y(f"{column}:Q", scale=e_scale))
            for column, color in (("first", ORANGE), ("second", BLUE))]
        numbers = [_corner_text(source("marks"), f"'{name}: ' + format(datum.{column}, '.3~g')", line=line, color=color)
                   for name, column, line, color in (("first-order", "first", 1, ORANGE), ("second-order", "second", 0, BLUE))]
        on_error = readout(source("errors"), "length", "second",
                           "'d = ' + format(datum.length, '.3~g') + ':  errors ' + format(datum.first, '.2~e')"
                           " + ', ' + format(datum.second, '.2~e')", color=BLUE)
        error_panel = alt.layer(*refs, first, second, *current, *numbers, *on_error).properties(
            title="Errors at θ₀ + d; grey: slopes 2, 3")
        return [model_panel, error_panel]

    controls = {
        "theta0": Slider("expansion point θ₀", [-2.0, -1.0, 0.0, 0.5, 0.9, 1.0, 1.1, 1.5, 2.0, 3.0, 4.0, 5.0], 1.5),
        "d": Slider("step d", [0.125, 0.25, 0.5, 1.0, 2.0], 1.0, fmt="{:g}"),
    }
    datasets = {
        "models": Dataset(("theta0",), models),
        "errors": Dataset(("theta0",), errors),
        "slopes": Dataset((), slopes),
        "marks": Dataset(("theta0", "d"), marks),
    }
    return LiveExplorer(controls, datasets, panels, description=(
        "The cubic (θ−3)²(θ+3) with its first- and second-order Taylor models around θ₀, the Newton point and "
        "the three values at θ₀ + d, and the two models' errors against the step d on log axes"))


def newton_vs_gd_explorer(num_steps: int = 25) -> LiveExplorer:
    r"""Newton's method against gradient descent on :math:`C(\theta) = (\theta-3)^2(\theta+3)`.

    :math:`C` has a local maximum at :math:`-1`, an inflection point at :math:`1` and a local
    minimum at :math:`3` (:func:`course_lib.problems.overshoot_cubic`). Newton's method
    (:func:`course_lib.newton.newton`) looks for a zero of :math:`C'`: from any start left
    of the inflection point it converges to the maximum, from the right to the minimum.
    Gradient descent (:func:`course_lib.optim.run` with
    :func:`course_lib.optim.gradient_descent`) always moves downhill: from a start in
    :math:`(-1, \infty)` towards the minimum (if :math:`\eta` is small enough), from a
    start left of :math:`-1` down the unbounded left branch.

    Panels: the function with both sequences of iterates (Newton's first ones numbered); the
    iterates against the iteration number, with the maximum, the inflection point and the
    minimum marked, and where each method ended. Runs are drawn up to their first iterate
    outside the axes.

    Controls: ``theta0``, the common start (on both sides of the inflection point), and
    ``lr``, the learning rate :math:`\eta` of gradient descent.

    Parameters
    ----------
    num_steps : int
        Iterations drawn for both methods.

    References
    ----------
    004, Section 4.6, eqs. (4.51)-(4.52).

    Examples
    --------
    >>> ex = newton_vs_gd_explorer()
    >>> end = ex.frame("ends", theta0=0.5, lr=0.05)
    >>> round(float(end["newton"][0]), 6), int(end["kind"][0])      # Newton goes to the local maximum -1
    (-1.0, -1)
    """
    from course_lib.checks import integer, real
    from course_lib.newton import newton
    from course_lib.optim import gradient_descent, run
    from course_lib.problems import overshoot_cubic

    num_steps = integer("num_steps", num_steps, minimum=1)
    p = overshoot_cubic()
    lo, hi = -3.5, 6.5                  # the θ axis (both panels)
    c_lo, c_hi = -20.0, 70.0            # the C axis

    def inside(points):
        """The run up to its first iterate outside [lo, hi] (kept: the line leaves the axes)."""
        outside = (points < lo) | (points > hi)
        return points[: int(np.argmax(outside)) + 1] if outside.any() else points

    def newton_run(theta0):
        return newton(p.grad, p.hess, real("theta0", theta0), fun=p.fun, maxiter=num_steps)

    def gd_run(theta0, lr):
        return run(gradient_descent(lr), p.grad, real("theta0", theta0), num_steps)[:, 0]

    def runs(theta0, lr):
        # One table for both methods (method 0: gradient descent, 1: Newton), so one read-out
        # answers for either.
        gd, nt = inside(gd_run(theta0, lr)), inside(newton_run(theta0).history[:, 0])
        theta = np.concatenate([gd, nt])
        # "first": the first row at its drawn point (4 digits), the one the read-out names;
        # "numbered": Newton's iterates 1 to 3 that get their number, away from one another.
        seen, first, numbered, placed = set(), [], [], [theta0]
        for method, k, th in zip(np.r_[np.zeros(len(gd)), np.ones(len(nt))], np.r_[np.arange(len(gd)), np.arange(len(nt))], theta):
            key = (f"{th:.4g}", f"{p.fun(th):.4g}")
            first.append(key not in seen)
            seen.add(key)
            label = method == 1 and 1 <= k <= 3 and lo <= th <= hi and all(abs(th - q) > 0.6 for q in placed)
            numbered.append(label)
            placed += [th] if label else []
        return {"method": np.r_[np.zeros(len(gd)), np.ones(len(nt))], "k": np.r_[np.arange(len(gd)), np.arange(len(nt))],
                "theta": theta, "C": p.fun(theta), "first": first, "numbered": numbered}

    def ends(theta0, lr):
        result = newton_run(theta0)
        x = float(result.x[0])
        kind = -1 if abs(x + 1) < 1e-6 else 1 if abs(x - 3) < 1e-6 else 0
        gd = gd_run(theta0, lr)
        shown = inside(gd)
        left = len(shown) < len(gd) or shown[-1] < lo or shown[-1] > hi
        return {"newton": [x if np.isfinite(x) and abs(x) < 1e6 else 0.0], "status": [result.status],
                "nit": [result.nit], "kind": [kind], "gd": [shown[-1]], "gd_k": [len(shown) - 1],
                "gd_left": [int(left)], "lr_": [lr]}

    def curve():
        t = np.linspace(lo, hi, 81)
        return {"theta": t, "C": p.fun(t)}

    def panels(source):
        import altair as alt

        x_scale = alt.Scale(domain=[lo, hi], nice=False)
        y_scale = alt.Scale(domain=[c_lo, c_hi], nice=False)
        x = alt.X("theta:Q", title="θ", scale=x_scale)
        y = alt.Y("C:Q", title="C(θ)", scale=y_scale)
        cubic = source("curve").mark_line(color="black", strokeWidth=1.5, clip=True).encode(x=x, y=y)
        inflection = alt.Chart(alt.Data(values=[{"theta": 1.0}])).mark_rule(color=GREY, strokeDash=[2, 3]).encode(
            x=alt.X("theta:Q", scale=x_scale))
        gd = source("runs").transform_filter("datum.method == 0")
        nt = source("runs").transform_filter("datum.method == 1")
        gd_line = gd.mark_line(color=BLUE, strokeWidth=1, opacity=0.8, clip=True, point=alt.OverlayMarkDef(size=20)).encode(
            x=x, y=y, order="k:Q")
        nt_line = nt.mark_line(color=_NEWTON, strokeWidth=1, strokeDash=[4, 3], clip=True,
                               point=alt.OverlayMarkDef(shape="square", size=34, filled=True)).encode(x=x, y=y, order="k:Q")
        numbers = nt.transform_filter("datum.numbered").mark_text(
            align="left", dx=5, dy=-7, fontSize=11, color=_NEWTON, clip=True).encode(x=x, y=y, text="k:Q")
        start = gd.transform_filter("datum.k == 0").mark_point(
            shape="triangle-up", filled=True, color="black", size=90, clip=True).encode(x=x, y=y)
        # (only the points inside the box: the read-out's ring, even unseen, would widen the figure)
        visible = source("runs").transform_filter(f"datum.first && datum.C >= {c_lo} && datum.C <= {c_hi} && datum.theta >= {lo} && datum.theta <= {hi}")
        on_curve = readout(visible, "theta", "C", "(datum.k == 0 ? 'start' : (datum.method ? 'Newton' : 'GD') + ' k = ' + datum.k) + ':  θ = '"
                           " + format(datum.theta, '.4~g')", color="#333")
        curve_panel = alt.layer(cubic, inflection, gd_line, nt_line, numbers, start, *on_curve).properties(
            title="GD (blue dots), Newton (squares)")

        k = alt.X("k:Q", title="iteration k", scale=alt.Scale(domain=[0, num_steps], nice=False))
        t = alt.Y("theta:Q", title="θₖ", scale=x_scale)
        levels = alt.Chart(alt.Data(values=[
            {"theta": 3.0, "name": "minimum", "color": GREEN}, {"theta": 1.0, "name": "inflection", "color": GREY},
            {"theta": -1.0, "name": "maximum", "color": ORANGE}]))
        rules = levels.mark_rule(strokeWidth=1).encode(
            y=alt.Y("theta:Q", scale=x_scale), color=alt.Color("color:N", scale=None),
            strokeDash=alt.condition("datum.theta == 1", alt.value([2, 3]), alt.value([1, 0])))
        names = levels.mark_text(align="right", baseline="bottom", dx=-3, dy=-2, fontSize=11).encode(
            x=alt.value("width"), y=alt.Y("theta:Q", scale=x_scale), text="name:N", color=alt.Color("color:N", scale=None))
        gd_k = gd.mark_line(color=BLUE, strokeWidth=1, clip=True, point=alt.OverlayMarkDef(size=16)).encode(x=k, y=t)
        nt_k = nt.mark_line(color=_NEWTON, strokeWidth=1, strokeDash=[4, 3], clip=True,
                            point=alt.OverlayMarkDef(shape="square", size=28, filled=True)).encode(x=k, y=t)
        newton_end = _corner_text(source("ends"), (
            "datum.status == 0 ? 'Newton → ' + format(datum.newton, '.4~g') + (datum.kind == -1 ? ' (maximum)' :"
            " datum.kind == 1 ? ' (minimum)' : '') + ' in ' + datum.nit + ' steps' : datum.status == 2 ?"
            " 'Newton stops: C″ = 0' : datum.status == 3 ? 'Newton diverges' : 'Newton: not converged'"),
            color=_NEWTON, top=True)
        gd_end = _corner_text(source("ends"), (
            "datum.gd_left ? 'GD leaves the axes at step ' + datum.gd_k :"
            " 'GD after ' + datum.gd_k + ' steps: θ = ' + format(datum.gd, '.4~g')"), line=1, color=BLUE, top=True)
        iterate_panel = alt.layer(rules, names, gd_k, nt_k, newton_end, gd_end).properties(title="Iterates θₖ against k")
        return [curve_panel, iterate_panel]

    controls = {
        "theta0": Slider("start θ₀", [-2.0, -0.5, 0.0, 0.5, 0.8, 0.95, 1.05, 1.2, 1.5, 2.0, 2.5, 4.0, 5.5], 1.5),
        "lr": Slider("GD learning rate η", [0.01, 0.02, 0.05, 0.1, 0.15], 0.05),
    }
    datasets = {
        "curve": Dataset((), curve),
        "runs": Dataset(("theta0", "lr"), runs),
        "ends": Dataset(("theta0", "lr"), ends),
    }
    return LiveExplorer(controls, datasets, panels, description=(
        "Newton and gradient-descent iterates from the same start on the cubic (θ−3)²(θ+3), drawn on the curve "
        "and as θₖ against the iteration k"))


# The live explorers of this chapter (tests/test_explorers_live.py checks every one listed here).
EXPLORERS = [taylor_model_explorer, gd_quadratic_explorer, newton_vs_gd_explorer]
