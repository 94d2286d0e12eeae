r"""Explorers of chapter 10 (networks and their loss landscapes).

- :func:`saddle_escape_explorer`: perturbed gradient descent (:func:`course_lib.landscapes.perturbed_gd`)
  near the strict saddle of source 001's one-unit network loss :math:`(1 - w_1 w_2)^2`.
"""

from __future__ import annotations

import math

import numpy as np

from course_lib.widgets import Explorer, Slider


def _saddle_loss(w1, w2):
    return (1.0 - w1 * w2) ** 2


def _saddle_grad(w):
    r = 1.0 - w[0] * w[1]
    return np.array([-2.0 * w[1] * r, -2.0 * w[0] * r])


def saddle_escape_explorer(num_steps: int = 120, num_runs: int = 5, start: float = 0.8) -> Explorer:
    r"""Perturbed gradient descent from the stable line of the saddle of :math:`C(w) = (1 - w_1 w_2)^2`.

    The origin is a strict saddle: :math:`\nabla^2 C(0) = \begin{pmatrix} 0 & -2 \\ -2 & 0\end{pmatrix}`,
    eigenvalue :math:`-2` along :math:`(1, 1)` and :math:`+2` along :math:`(1, -1)`. Gradient
    descent from :math:`(s, -s)` stays on the line :math:`w_1 = -w_2` and converges to the saddle;
    :func:`course_lib.landscapes.perturbed_gd` adds a kick drawn uniformly from a ball of radius
    :math:`r` whenever :math:`\|g\| \le 10^{-3}` (at most every 10 steps), and the kick's
    component along :math:`(1, 1)` grows by :math:`1 + 2\eta` per step until the run reaches the
    valley of minima :math:`w_1 w_2 = 1`.

    Panels: ``num_runs`` seeded runs on the contours of :math:`C`; their losses against the step.
    Controls: ``radius`` :math:`r` (swept in the static rendering, 0 is gradient descent) and
    ``eta`` :math:`\eta`.

    Parameters
    ----------
    num_steps : int
        Steps per run (at least 1).
    num_runs : int
        Seeds drawn (1 to 10).
    start : float
        The start :math:`(s, -s)`, with :math:`0 < s \le 1.5`.

    References
    ----------
    001 (the loss :math:`(1 - w_1 w_2)^2`, strict saddles, perturbed SGD); Jin et al. (2017).

    Examples
    --------
    >>> fig = saddle_escape_explorer().figure(radius=0.01, eta=0.1)
    """
    from course_lib.landscapes import perturbed_gd

    if isinstance(num_steps, bool) or not isinstance(num_steps, (int, np.integer)) or num_steps < 1:
        raise ValueError(f"num_steps must be a positive integer, got {num_steps!r}.")
    if isinstance(num_runs, bool) or not isinstance(num_runs, (int, np.integer)) or not 1 <= num_runs <= 10:
        raise ValueError(f"num_runs must be an integer from 1 to 10, got {num_runs!r}.")
    if isinstance(start, bool) or not isinstance(start, (int, float, np.integer, np.floating)) \
            or not (math.isfinite(start) and 0 < start <= 1.5):
        raise ValueError(f"start must be a number in (0, 1.5], got {start!r}.")
    lim = 1.8
    grid = np.linspace(-lim, lim, 121)
    W1, W2 = np.meshgrid(grid, grid)
    Z = _saddle_loss(W1, W2)
    x0 = np.array([float(start), -float(start)])

    def draw(fig, radius, eta):
        if isinstance(radius, bool) or not isinstance(radius, (int, float, np.integer, np.floating)) \
                or not (math.isfinite(radius) and radius >= 0):
            raise ValueError(f"radius must be a non-negative finite number, got {radius!r}.")
        if isinstance(eta, bool) or not isinstance(eta, (int, float, np.integer, np.floating)) \
                or not (math.isfinite(eta) and 0 < eta <= 0.25):
            raise ValueError(f"eta must be a number in (0, 0.25] (larger steps diverge on this loss), got {eta!r}.")
        runs = [perturbed_gd(_saddle_grad, x0, float(eta), num_steps, radius=float(radius),
                             grad_threshold=1e-3, wait=10, seed=seed) for seed in range(num_runs)]
        ax, ax_loss = fig.subplots(1, 2, width_ratios=[1.0, 1.2])
        ax.contour(W1, W2, Z, levels=[0.05, 0.25, 0.6, 1.0, 2.0, 4.0], colors="0.7", linewidths=0.8)
        branch = np.linspace(1 / lim, lim, 100)
        for sign in (1, -1):
            ax.plot(sign * branch, sign / branch, color="C2", lw=1.5,
                    label="minima w₁w₂ = 1" if sign == 1 else None)
        escaped = []
        k = np.arange(num_steps + 1)
        for seed, out in enumerate(runs):
            path = out.path
            ax.plot(path[:, 0], path[:, 1], "-", lw=1.0, color=f"C{seed % 10}", alpha=0.9)
            loss = _saddle_loss(path[:, 0], path[:, 1])
            ax_loss.plot(k[: len(loss)], loss, "-", lw=1.0, color=f"C{seed % 10}")
            below = np.flatnonzero(loss < 0.5)
            escaped.append(int(below[0]) if below.size else None)
        ax.plot(*x0, "ks", ms=6, label="start")
        ax.plot(0, 0, "kx", ms=9, mew=2, label="saddle")
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="w₁", ylabel="w₂")
        ax.legend(loc="lower left", fontsize="x-small", framealpha=0.9)
        ax_loss.axhline(1.0, color="0.6", ls=":", lw=1)
        ax_loss.set(xlim=(0, num_steps), ylim=(-0.05, 2.8), xlabel="step t", ylabel="C(w_t)")
        done = [e for e in escaped if e is not None]
        if not done:
            title = f"no run left the saddle in {num_steps} steps"
        else:
            title = f"{len(done)} of {num_runs} runs escaped; median step {int(np.median(done))}"
        ax_loss.set_title(title, fontsize="medium")

    controls = {
        "radius": Slider("kick radius r", [0.0, 1e-6, 1e-4, 1e-2, 0.1, 0.5], 1e-2, fmt="{:g}"),
        "eta": Slider("learning rate η", [0.02, 0.05, 0.1, 0.2], 0.1, fmt="{:g}"),
    }
    return Explorer(draw, controls, sweep="radius", figsize=(8.4, 3.9), description=(
        "Perturbed gradient descent runs from the stable line of the saddle of the loss (1 - w1 w2) squared, "
        "drawn on its contours with the two branches of the hyperbola of minima, and their losses against the step"))
