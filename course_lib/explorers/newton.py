r"""Explorers of chapter 1 (Taylor models, Newton's method and gradient descent).

:func:`gd_quadratic_explorer`
    Gradient descent on a two-dimensional quadratic: the learning rate against stability, for
    condition numbers from 1 to 100.
"""

from __future__ import annotations

import math

import numpy as np

from course_lib.explorers.live import Dataset, LiveExplorer, Slider, readout

BLUE, GREY, RED, GREEN = "#1f77b4", "#999999", "#d62728", "#2ca02c"
_ANGLE = np.pi / 6          # the eigenvectors are the axes rotated by 30 degrees
_START = (1.5, -3.0)        # theta_0 in eigen-coordinates
_LIM = 4.5                  # the path panel shows [-_LIM, _LIM]^2
_S_MAX = 2.4                # the contraction panel shows eta * lambda_1 in [0, _S_MAX]
_FLOOR = 1e-8               # the error panel's lower end (errors below are drawn on it)


def _quadratic(kappa: float):
    """:math:`H = Q\\operatorname{diag}(1, 1/\\kappa)Q^\\top` with :math:`Q` a rotation by 30 degrees."""
    from course_lib.checks import real

    kappa = real("kappa", kappa, positive=True)
    if kappa < 1:
        raise ValueError(f"Invalid kappa: {kappa!r} (the condition number lambda_1 / lambda_2 is >= 1).")
    Q = np.array([[np.cos(_ANGLE), -np.sin(_ANGLE)], [np.sin(_ANGLE), np.cos(_ANGLE)]])
    H = (Q * np.array([1.0, 1.0 / kappa])) @ Q.T
    return 0.5 * (H + H.T)


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
        # Level sets of 1/2 theta^T H theta are ellipses: theta = Q diag(sqrt(2c / lambda)) (cos t, sin t).
        lam, Q = spectrum(_quadratic(kappa))
        c0 = 0.5 * float(np.sum(lam * np.square(_START)))
        t = np.linspace(0.0, 2 * np.pi, 49)
        rows = {"level": [], "order": [], "x": [], "y": []}
        for i, c in enumerate(c0 * np.geomspace(1e-3, 4.0, 9)):
            xy = Q @ (np.sqrt(2 * c / lam)[:, None] * np.vstack([np.cos(t), np.sin(t)]))
            rows["level"] += [i] * len(t)
            rows["order"] += list(range(len(t)))
            rows["x"] += list(xy[0])
            rows["y"] += list(xy[1])
        return rows

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

        box = alt.Scale(domain=[-_LIM, _LIM], nice=False)
        x1 = alt.X("x:Q", scale=box, title="θ₁")
        y1 = alt.Y("y:Q", scale=box, title="θ₂")
        level_sets = source("contours").mark_line(color="#c7c7c7", strokeWidth=1, clip=True).encode(
            x=x1, y=y1, detail="level:N", order="order:Q")
        eigen = source("axes").mark_line(color="#666", strokeDash=[2, 3], strokeWidth=1, clip=True).encode(
            x=x1, y=y1, detail="j:N")
        p_x = alt.X("theta1:Q", scale=box, title="θ₁")
        p_y = alt.Y("theta2:Q", scale=box, title="θ₂")
        walk = source("path").mark_line(color=BLUE, strokeWidth=1.5, clip=True, point=alt.OverlayMarkDef(size=22)).encode(
            x=p_x, y=p_y, order="k:Q")
        start = source("path").transform_filter("datum.k == 0").mark_point(
            shape="square", filled=True, color="black", size=70).encode(x=p_x, y=p_y)
        optimum = alt.Chart(alt.Data(values=[{"x": 0.0, "y": 0.0}])).mark_point(
            shape="diamond", filled=True, color="black", size=90).encode(x=x1, y=y1)
        on_path = readout(source("path"), "theta1", "theta2",
                          "'k = ' + datum.k + ':  θ = (' + format(datum.theta1, '.3f') + ', ' + format(datum.theta2, '.3f') + ')'",
                          color=BLUE)
        contour_panel = alt.layer(level_sets, eigen, walk, start, optimum, *on_path).properties(
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


# The live explorers of this chapter (tests/test_explorers_live.py checks every one listed here).
EXPLORERS = [gd_quadratic_explorer]
