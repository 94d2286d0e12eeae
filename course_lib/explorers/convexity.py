r"""Explorers of chapter 9 (Convexity and convergence).

:func:`strongly_convex_gd_explorer`
    Gradient descent on a strongly convex quadratic: the measured distance to the minimiser
    against the theorem's bound :math:`q(\eta)^t\|\theta_0 - \theta^*\|`, with sliders for the
    step :math:`\eta L` and the condition number :math:`\kappa`.
"""

from __future__ import annotations

import numpy as np

from course_lib.explorers.live import Dataset, LiveExplorer, Slider, readout
from course_lib.explorers.quadratic import path_layers, quadratic_contours, rotated_quadratic, rotation

BLUE, RED, GREY = "#1f77b4", "#d62728", "#999999"
_START = (1.0, 2.5)         # theta_0 in eigen-coordinates
_LIM = 3.2                  # the path panel shows [-_LIM, _LIM]^2
_NEAR = 0.005               # the path is drawn until it is this close to theta*
_FLOOR, _CEILING = 1e-10, 1e4   # the distance panel's range
_HEIGHT = 210


def _hessian(kappa: float) -> np.ndarray:
    """:math:`H = Q\\operatorname{diag}(L, m)Q^\\top` with :math:`L = 1`, :math:`m = 1/\\kappa`,
    :math:`Q` a rotation by 30 degrees."""
    return rotated_quadratic(kappa, ratio="L / m")[0]


def strongly_convex_gd_explorer(num_steps: int = 60) -> LiveExplorer:
    r"""Gradient descent with step :math:`\eta` on :math:`C(\theta) = \tfrac12\theta^\top H\theta`,
    :math:`H` with eigenvalues :math:`L = 1` and :math:`m = 1/\kappa` (eigenvectors rotated by
    30 degrees), against the bound of :func:`course_lib.convexity.gd_linear_rate`:

    .. math::

        \|\theta_t - \theta^*\| \le q^t \|\theta_0 - \theta^*\|, \qquad
        q = \max(|1 - \eta m|, |1 - \eta L|) .

    Panels: the path on the contours (run by :func:`course_lib.optim.run`, drawn up to the
    first iterate outside the panel); the measured distance and the bound against :math:`t`
    (log scale), with the best step's rate :math:`(\kappa-1)/(\kappa+1)` for comparison and
    whether the run converges (:math:`q < 1`, that is :math:`\eta L < 2`).
    Controls: ``step`` :math:`\eta L` (values on both sides of 2) and ``kappa``.

    Parameters
    ----------
    num_steps : int
        Number of gradient steps drawn (a positive integer).

    References
    ----------
    Nesterov (2018), Theorem 2.1.15; 000 (stability of gradient descent, :math:`\eta < 2/\lambda_1`).

    Examples
    --------
    >>> ex = strongly_convex_gd_explorer(num_steps=10)
    >>> float(ex.frame("marks", step=1.0, kappa=10)["q"][0])      # 1 - m / L
    0.9
    """
    from course_lib.checks import integer, real
    from course_lib.convexity import gd_linear_rate
    from course_lib.optim import gradient_descent, run
    from course_lib.problems import quadratic

    num_steps = integer("num_steps", num_steps, minimum=1)

    def constants(step, kappa):
        H = _hessian(kappa)
        step = real("step", step, positive=True, hint=" (it is eta * L)")
        return H, 1.0 / kappa, 1.0, step   # H, m, L, eta (L = 1)

    def theta0(kappa):
        return rotation() @ np.array(_START)

    def trajectory(step, kappa):
        H, m, L, eta = constants(step, kappa)
        return run(gradient_descent(eta), quadratic(H).grad, theta0(kappa), num_steps)

    def path(step, kappa):
        points = trajectory(step, kappa)
        # Drawn up to the first iterate outside the panel (a divergent run leaves the axes) or
        # within _NEAR of theta* (a fifth of a pixel: the rest of the path is hidden in the mark).
        stop = np.any(np.abs(points) > _LIM, axis=1) | (np.linalg.norm(points, axis=1) < _NEAR)
        last = int(np.argmax(stop)) if stop.any() else len(points) - 1
        return {"t": np.arange(last + 1), "theta1": points[: last + 1, 0], "theta2": points[: last + 1, 1]}

    def distance(step, kappa):
        H, m, L, eta = constants(step, kappa)
        measured = np.linalg.norm(trajectory(step, kappa), axis=1)
        t = np.arange(num_steps + 1)
        bound = measured[0] * gd_linear_rate(m, L, eta) ** t.astype(float)
        # Clipped just outside the axes (log scale: 0 has no logarithm; a divergent run grows).
        return {"t": t, "distance": np.clip(measured, _FLOOR / 10, _CEILING * 10),
                "bound": np.clip(bound, _FLOOR / 10, _CEILING * 10)}

    def best(kappa):
        m, L = 1.0 / real("kappa", kappa, positive=True), 1.0
        t = np.arange(num_steps + 1)
        rate = gd_linear_rate(m, L) ** t.astype(float) * float(np.linalg.norm(_START))
        return {"t": t, "best": np.clip(rate, _FLOOR / 10, _CEILING * 10)}

    def contours(kappa):
        _, lam, Q = rotated_quadratic(kappa, ratio="L / m")
        return quadratic_contours(lam, Q, _START, np.geomspace(1e-3, 3.0, 8), points=41)

    def marks(step, kappa):
        H, m, L, eta = constants(step, kappa)
        return {"q": [gd_linear_rate(m, L, eta)], "q_best": [gd_linear_rate(m, L)], "eta": [eta]}

    def panels(source):
        import altair as alt

        walk = dict(color=BLUE, strokeWidth=1.2, clip=True, point=alt.OverlayMarkDef(size=16))
        layers = path_layers(source, _LIM, {"path": walk}, start="path", read=source("path"), color=BLUE, step="t")
        path_panel = alt.layer(*layers).properties(
            title="Iterates θₜ from θ₀ (square) to θ* (diamond)")

        log = alt.Scale(type="log", domain=[_FLOOR, _CEILING], nice=False)
        t_axis = alt.X("t:Q", title="iteration t", scale=alt.Scale(domain=[0, num_steps], nice=False))
        measured = source("distance").mark_line(color=BLUE, clip=True, point=alt.OverlayMarkDef(size=14)).encode(
            x=t_axis, y=alt.Y("distance:Q", scale=log, title="‖θₜ − θ*‖", axis=alt.Axis(
                values=[10.0 ** e for e in range(-10, 5, 2)], labelExpr="'1e' + round(log(datum.value) / LN10)")))
        bound = source("distance").mark_line(color=RED, strokeWidth=1.5, clip=True).encode(
            x=t_axis, y=alt.Y("bound:Q", scale=log))
        best_rate = source("best").mark_line(color=RED, strokeDash=[2, 3], strokeWidth=1.5, clip=True).encode(
            x=t_axis, y=alt.Y("best:Q", scale=log))
        on_distance = readout(source("distance"), "t", "distance",
                              "'t = ' + datum.t + ':  ‖θₜ − θ*‖ = ' + format(datum.distance, '.3~e')", color=BLUE)
        # the verdict and the rates, in the lower left corner (a converging run leaves it empty)
        verdict = source("marks").transform_calculate(text=(
            "'ηL = ' + format(datum.eta, '.3~g') + ':  q = ' + format(datum.q, '.3f') + "
            "(datum.q < 1 ? ', converges' : datum.eta > 2 ? ', diverges (ηL > 2)' : ', does not converge')")).mark_text(
            align="left", baseline="bottom", fontSize=12, fontWeight="bold", color=RED).encode(
            x=alt.value(4), y=alt.value(_HEIGHT - 20), text="text:N")
        best_text = source("marks").transform_calculate(
            text="'best step 2/(L+m) (dotted): q = ' + format(datum.q_best, '.3f')").mark_text(
            align="left", baseline="bottom", fontSize=12, color=RED).encode(x=alt.value(4), y=alt.value(_HEIGHT - 4), text="text:N")
        distance_panel = alt.layer(measured, bound, best_rate, verdict, best_text, *on_distance).properties(
            title="‖θₜ − θ*‖ (dots) under the bound qᵗ‖θ₀ − θ*‖")
        return [path_panel, distance_panel]

    controls = {
        "step": Slider("step ηL", [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 1.9, 1.95, 2.0, 2.05, 2.1, 2.2], 1.0, fmt="{:g}"),
        "kappa": Slider("condition number κ", [1, 2, 5, 10, 30, 100], 10, fmt="{:g}"),
    }
    datasets = {
        "path": Dataset(("step", "kappa"), path),
        "distance": Dataset(("step", "kappa"), distance),
        "marks": Dataset(("step", "kappa"), marks),
        "best": Dataset(("kappa",), best),
        "contours": Dataset(("kappa",), contours),
    }
    return LiveExplorer(controls, datasets, panels, height=_HEIGHT, description=(
        "Gradient descent on the contours of a strongly convex quadratic, and its distance to the minimiser "
        "against the iteration on a log scale with the theorem's bound and the best step's rate"))


# The live explorers of this chapter (tests/test_explorers_live.py checks every one listed here).
EXPLORERS = [strongly_convex_gd_explorer]
