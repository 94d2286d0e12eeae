r"""Explorers of chapter 9 (Convexity and convergence).

:func:`strongly_convex_gd_explorer`
    Gradient descent on a strongly convex quadratic: the measured distance to the minimiser
    against the theorem's bound :math:`q(\eta)^t\|\theta_0 - \theta^*\|`, with sliders for the
    step :math:`\eta L` and the condition number :math:`\kappa`.
"""

from __future__ import annotations

import math

import numpy as np

from course_lib.widgets import Explorer, Slider, _inside_prefix

_GD, _BOUND = "C0", "C3"


def strongly_convex_gd_explorer(num_steps: int = 60) -> Explorer:
    r"""Gradient descent with step :math:`\eta` on :math:`C(\theta) = \tfrac12\theta^\top H\theta`,
    :math:`H` with eigenvalues :math:`L = 1` and :math:`m = 1/\kappa` (eigenvectors rotated by
    30 degrees), against the bound of :func:`course_lib.convexity.gd_linear_rate`:

    .. math::

        \|\theta_t - \theta^*\| \le q^t \|\theta_0 - \theta^*\|, \qquad
        q = \max(|1 - \eta m|, |1 - \eta L|) .

    Panels: the path on the contours; the measured distance and the bound against :math:`t`
    (log scale), with the best step's rate :math:`(\kappa-1)/(\kappa+1)` for comparison.
    Controls: ``step`` :math:`\eta L` (swept in the static rendering) and ``kappa``.

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
    >>> fig = ex.figure(step=1.0, kappa=10.0)
    """
    from course_lib.convexity import gd_linear_rate
    from course_lib.optim import gradient_descent, run
    from course_lib.problems import quadratic

    if isinstance(num_steps, bool) or int(num_steps) != num_steps or num_steps < 1:
        raise ValueError(f"num_steps must be a positive integer, got {num_steps!r}.")
    num_steps = int(num_steps)
    angle = np.pi / 6
    Q = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    theta0 = Q @ np.array([1.0, 2.5])
    lim = 3.2
    grid = np.linspace(-lim, lim, 81)
    X, Y = np.meshgrid(grid, grid)

    def draw(fig, step, kappa):
        if not (isinstance(step, (int, float, np.floating)) and math.isfinite(step) and step > 0):
            raise ValueError(f"step = eta * L must be a positive finite number, got {step!r}.")
        if not (isinstance(kappa, (int, float, np.floating)) and math.isfinite(kappa) and kappa >= 1):
            raise ValueError(f"kappa must be a finite number >= 1, got {kappa!r}.")
        L, m = 1.0, 1.0 / float(kappa)
        H = (Q * np.array([L, m])) @ Q.T
        H = 0.5 * (H + H.T)
        problem = quadratic(H)
        eta = float(step) / L
        path = run(gradient_descent(eta), problem.grad, theta0, num_steps)
        q = gd_linear_rate(m, L, eta)
        q_best = gd_linear_rate(m, L)

        ax, ax_err = fig.subplots(1, 2, width_ratios=[1.0, 1.15])
        Z = 0.5 * (H[0, 0] * X**2 + 2 * H[0, 1] * X * Y + H[1, 1] * Y**2)
        c0 = float(problem.fun(theta0))
        ax.contour(X, Y, Z, levels=c0 * np.geomspace(1e-3, 3.0, 10), colors="0.7", linewidths=0.8)
        shown = _inside_prefix(path, (-lim, lim))
        ax.plot(shown[:, 0], shown[:, 1], "o-", ms=2.5, lw=0.9, color=_GD, label="gradient descent")
        ax.plot(*theta0, "s", color="k", ms=6)
        ax.plot(0, 0, "*", color="k", ms=11)
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="θ₁", ylabel="θ₂")
        ax.set_title(f"κ = {kappa:g}, η = {eta:g}/L", fontsize="medium")
        ax.legend(loc="lower right", fontsize="x-small", framealpha=0.9)

        floor, ceiling = 1e-10, 1e4
        t = np.arange(num_steps + 1)
        e0 = float(np.linalg.norm(theta0))
        err = np.linalg.norm(path, axis=1)
        keep = (err > floor) & (err < ceiling)
        ax_err.semilogy(t[: len(err)][keep], err[keep], "o-", ms=2, lw=0.9, color=_GD, label="measured ‖θ_t − θ*‖")
        for rate, style, name in ((q, "-", f"bound qᵗ‖θ₀ − θ*‖, q = {q:.3f}"),
                                  (q_best, ":", f"best step 2/(L+m): q = {q_best:.3f}")):
            with np.errstate(over="ignore", under="ignore", divide="ignore"):
                bound = e0 * np.exp(t * math.log(max(rate, 1e-300)))
            ok = (bound > floor) & (bound < ceiling)
            ax_err.semilogy(t[ok], bound[ok], ls=style, lw=1.2, color=_BOUND, label=name)
        ax_err.set(xlim=(0, num_steps), ylim=(floor, ceiling), xlabel="iteration t", ylabel="distance to θ*")
        verdict = "diverges (ηL > 2)" if q >= 1 and eta * L > 2 else ("converges" if q < 1 else "does not converge")
        ax_err.set_title(f"gradient descent {verdict}", fontsize="medium")
        ax_err.minorticks_off()
        ax_err.legend(loc="lower left", fontsize="x-small")

    controls = {
        "step": Slider("step ηL", [0.5, 1.0, 1.5, 1.95, 2.1], 1.0, fmt="{:g}"),
        "kappa": Slider("condition number κ", [2.0, 5.0, 10.0, 30.0, 100.0], 10.0, fmt="{:g}"),
    }
    return Explorer(draw, controls, sweep="step", figsize=(8.4, 4.0), description=(
        "Gradient descent on the contours of a strongly convex quadratic, and its distance to the minimiser "
        "against the iteration on a log scale with the theorem's bound and the best step's rate"))
