r"""Explorers of chapter 3 (momentum).

:func:`momentum_explorer`
    Heavy-ball momentum against gradient descent on an ill-conditioned two-dimensional
    quadratic: the momentum and the learning rate against the rate of convergence.
"""

from __future__ import annotations

import math

import numpy as np

from course_lib.explorers.live import Dataset, LiveExplorer, Slider, readout
from course_lib.explorers.quadratic import path_layers, quadratic_contours, rotated_quadratic

BLUE, RED, GREY = "#1f77b4", "#d62728", "#999999"
_START = (1.5, -3.0)        # theta_0 in eigen-coordinates
_LIM = 4.5                  # the path panel shows [-_LIM, _LIM]^2
_FLOOR, _CEILING = 1e-10, 1e4   # the error panel's range
_VERDICT = "(datum.{0}_status > 0 ? ' (converges)' : datum.{0}_status < 0 ? ' (diverges)' : ' (neither)')"


def heavy_ball_rate(eta: float, mu: float, eigenvalues) -> float:
    r"""The rate :math:`\rho(\eta, \mu) = \max_j \rho(T_{\lambda_j})` of heavy ball on a quadratic:
    the largest modulus of a root of :math:`z^2 - (1 + \mu - \eta\lambda) z + \mu` over the
    eigenvalues :math:`\lambda`. With :math:`\mu = 0` it is gradient descent's
    :math:`\max_j |1 - \eta\lambda_j|`.

    >>> round(heavy_ball_rate(4 / 1.1**2, (9 / 11)**2, [1.0, 0.01]), 6)   # the tuned pair: rho* = 9/11
    0.818182
    """
    lam = np.asarray(eigenvalues, dtype=float)
    a = 1 + mu - eta * lam
    disc = a * a - 4 * mu
    real = (np.abs(a) + np.sqrt(np.maximum(disc, 0.0))) / 2
    return float(np.max(np.where(disc < 0, math.sqrt(mu), real)))


def momentum_explorer(num_steps: int = 80, kappa: float = 100.0) -> LiveExplorer:
    r"""Heavy-ball momentum against gradient descent on an ill-conditioned 2-D quadratic.

    The objective is :math:`C(\theta) = \tfrac12 \theta^\top H \theta` with eigenvalues
    :math:`\lambda_1 = 1` and :math:`\lambda_2 = 1/\kappa`, eigenvectors rotated by 30 degrees,
    so :math:`\theta^* = 0`. Both methods run with :func:`course_lib.optim.run` from the same
    :math:`\theta_0`: heavy ball is :func:`course_lib.optim.momentum` (velocity form
    :math:`v_{t+1} = \mu v_t - \eta g_t,\ \theta_{t+1} = \theta_t + v_{t+1}`), gradient descent
    is :func:`course_lib.optim.gradient_descent` with the same :math:`\eta`.

    On the eigen-coordinate with eigenvalue :math:`\lambda` heavy ball is the linear recursion
    :math:`x_{t+1} = (1 + \mu - \eta\lambda) x_t - \mu x_{t-1}`; its rate is the largest
    modulus of the roots of :math:`z^2 - (1 + \mu - \eta\lambda) z + \mu`, maximised over the two
    eigenvalues (:func:`heavy_ball_rate`). It converges exactly when
    :math:`0 < \eta\lambda_1 < 2(1 + \mu)`, and it is fastest at the tuned pair
    :math:`\mu^* = ((\sqrt\kappa - 1)/(\sqrt\kappa + 1))^2`,
    :math:`\eta^* = 4/(\sqrt{\lambda_1} + \sqrt{\lambda_2})^2`, where
    :math:`\rho^* = \sqrt{\mu^*}` (both are among the sliders' values).

    Panels: the two trajectories on the contours (each drawn up to its first iterate outside
    the box); the errors :math:`\|\theta_k - \theta^*\|` of both against :math:`k` on a log
    scale, with the predicted slopes :math:`\rho^k\|\theta_0 - \theta^*\|` (dotted) and the two
    rates, saying whether each method converges (:math:`\rho < 1`), diverges (:math:`\rho > 1`)
    or neither (:math:`\rho = 1`: gradient descent at :math:`\eta\lambda_1 = 2` oscillates forever).

    Controls: ``momentum`` :math:`\mu` and ``step``, the learning rate in units of
    :math:`1/\lambda_1` (:math:`\eta\lambda_1`), on both sides of the bound :math:`2(1 + \mu)`.

    Parameters
    ----------
    num_steps : int
        Number of steps drawn.
    kappa : float
        Condition number :math:`\lambda_1/\lambda_2` (at least 1).

    References
    ----------
    000, eq. (2.7); 003 (momentum); 004, Section 4.3 and Figure 4.6.

    Examples
    --------
    >>> ex = momentum_explorer(num_steps=10)
    >>> ex.frame("rates", momentum=0.5, step=3.5)["hb_status"].tolist()   # 3.5 > 2(1 + 0.5): diverges
    [-1.0, -1.0]
    """
    from course_lib.checks import integer, real, unit_interval
    from course_lib.optim import gradient_descent, momentum as heavy_ball, run
    from course_lib.problems import quadratic

    num_steps = integer("num_steps", num_steps, minimum=1)
    H, lam, Q = rotated_quadratic(kappa)
    kappa = float(kappa)                                # (checked)
    problem = quadratic(H)
    theta0 = Q @ np.array(_START)
    e0 = float(np.linalg.norm(theta0))
    mu_star = ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2
    step_star = 4 / (1 + math.sqrt(lam[1])) ** 2        # eta* lambda_1 with lambda_1 = 1

    def checked(momentum, step):
        mu = unit_interval("momentum", momentum)
        eta = real("step", step, positive=True, hint=" (the learning rate times lambda_1)") / lam[0]
        return mu, eta

    def trajectory(momentum, step):
        mu, eta = checked(momentum, step)
        if mu == 0:
            return run(gradient_descent(eta), problem.grad, theta0, num_steps)
        return run(heavy_ball(eta, mu), problem.grad, theta0, num_steps)

    def path(momentum, step):
        points = trajectory(momentum, step)
        # Drawn up to the first iterate after the last one inside the panel: a divergent run
        # leaves the axes, a convergent one is drawn whole (its excursions clipped by the panel).
        inside = np.flatnonzero(np.all(np.abs(points) <= _LIM, axis=1))
        last = min(int(inside[-1]) + 1, len(points) - 1)
        return {"k": np.arange(last + 1), "theta1": points[: last + 1, 0], "theta2": points[: last + 1, 1]}

    def error(momentum, step):
        errors = np.linalg.norm(trajectory(momentum, step), axis=1)
        # Drawn up to the first error outside the panel's range (below it or above it).
        outside = (errors < _FLOOR) | (errors > _CEILING)
        last = int(np.argmax(outside)) if outside.any() else len(errors) - 1
        shown = np.clip(errors[: last + 1], _FLOOR / 10, _CEILING * 10)
        return {"k": np.arange(last + 1), "error": shown}

    def slope(rho):
        """Two points of rho^k e0 (a straight line on the log scale), the second where the line
        leaves the panel or at the last step: exact, since nothing is clipped."""
        if rho == 0:
            return [0.0, 1.0], [e0, _FLOOR / 10]
        end = num_steps
        if rho != 1:
            edge = _FLOOR / 10 if rho < 1 else _CEILING * 10
            end = min(end, math.log(edge / e0) / math.log(rho))
        return [0.0, end], [e0, e0 * rho ** end]

    def status(rho):
        """1 if the method converges, -1 if it diverges, 0 on the boundary rho = 1."""
        return 0.0 if abs(rho - 1) < 1e-12 else float(np.sign(1 - rho))

    def rates(momentum, step):
        mu, eta = checked(momentum, step)
        rho_hb, rho_gd = heavy_ball_rate(eta, mu, lam), heavy_ball_rate(eta, 0.0, lam)
        k_hb, hb = slope(rho_hb)
        k_gd, gd = slope(rho_gd)
        return {"k_hb": k_hb, "hb": hb, "k_gd": k_gd, "gd": gd, "rho_hb": [rho_hb] * 2, "rho_gd": [rho_gd] * 2,
                "hb_status": [status(rho_hb)] * 2, "gd_status": [status(rho_gd)] * 2}

    def contours():
        return quadratic_contours(lam, Q, _START, np.geomspace(1e-3, 4.0, 10), points=49)

    def panels(source):
        import altair as alt

        # Only heavy ball's iterates are marked (each mark is an element of the page's SVG: the
        # fewer, the faster a slider move is drawn).
        # Gradient descent's path, a thin line, is drawn over heavy ball's (it often runs inside it).
        walks = {"hb_path": dict(color=RED, strokeWidth=1.5, clip=True, point=alt.OverlayMarkDef(
                     size=16, shape="square", color=RED, clip=True)),
                 "gd_path": dict(color=BLUE, strokeWidth=1.3, clip=True)}
        inside = source("hb_path").transform_filter(f"abs(datum.theta1) <= {_LIM} && abs(datum.theta2) <= {_LIM}")
        layers = path_layers(source, _LIM, walks, start="gd_path", read=inside, color=RED)
        path_panel = alt.layer(*layers).properties(
            title="Heavy ball (red) and GD (blue) from θ₀ (square)")

        log = alt.Scale(type="log", domain=[_FLOOR, _CEILING], nice=False)
        k_scale = alt.Scale(domain=[0, num_steps], nice=False)
        y_err = alt.Y("error:Q", scale=log, title="‖θₖ − θ*‖", axis=alt.Axis(
            values=[10.0 ** e for e in range(-10, 5, 2)], labelExpr="'1e' + round(log(datum.value) / LN10)"))
        measured = [source(name).mark_line(color=color, strokeWidth=1.5, clip=True).encode(
            x=alt.X("k:Q", title="iteration k", scale=k_scale), y=y_err)
            for name, color in (("gd_error", BLUE), ("hb_error", RED))]
        bounds = [source("rates").mark_line(color=color, strokeDash=[2, 3], strokeWidth=1.5, clip=True).encode(
            x=alt.X(f"k_{name}:Q", scale=k_scale), y=alt.Y(f"{name}:Q", scale=log))
            for name, color in (("gd", BLUE), ("hb", RED))]
        on_error = readout(source("hb_error").transform_filter(f"datum.error >= {_FLOOR} && datum.error <= {_CEILING}"), "k", "error",
                           "'k = ' + datum.k + ':  ‖θₖ − θ*‖ = ' + format(datum.error, '.3~e')", color=RED)
        first = source("rates").transform_filter("datum.k_hb == 0")
        captions = [
            first.transform_calculate(text="'heavy ball: ρ = ' + format(datum.rho_hb, '.3f') + " + _VERDICT.format("hb"))
            .mark_text(align="left", baseline="bottom", fontSize=12, fontWeight="bold", color=RED).encode(
                x=alt.value(4), y=alt.value(self_height - 20), text="text:N"),
            first.transform_calculate(text="'GD: ρ = ' + format(datum.rho_gd, '.3f') + " + _VERDICT.format("gd")).mark_text(
                align="left", baseline="bottom", fontSize=12, color=BLUE).encode(
                x=alt.value(4), y=alt.value(self_height - 4), text="text:N"),
        ]
        error_panel = alt.layer(*measured, *bounds, *captions, *on_error).properties(
            title="Errors, and dotted their slopes ρᵏ‖θ₀ − θ*‖")
        return [path_panel, error_panel]

    self_height = 240
    momenta = sorted({0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, mu_star})
    steps = sorted({0.1, 0.3, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, step_star})
    controls = {
        "momentum": Slider("momentum μ", momenta, 0.7, fmt="{:.3g}"),
        "step": Slider("learning rate ηλ₁", steps, 1.0, fmt="{:.3g}"),
    }
    datasets = {
        "contours": Dataset((), contours),
        "gd_path": Dataset(("step",), lambda step: path(0.0, step)),
        "hb_path": Dataset(("momentum", "step"), path),
        "gd_error": Dataset(("step",), lambda step: error(0.0, step)),
        "hb_error": Dataset(("momentum", "step"), error),
        "rates": Dataset(("momentum", "step"), rates),
    }
    return LiveExplorer(controls, datasets, panels, height=self_height, description=(
        f"Heavy-ball momentum and gradient descent with the same learning rate on the contours of a quadratic "
        f"with condition number {kappa:g}, and their distances to the minimum against the iteration on a log "
        f"scale with the predicted slopes"))


# The live explorers of this chapter (tests/test_explorers_live.py checks every one listed here).
EXPLORERS = [momentum_explorer]
