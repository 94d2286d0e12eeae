r"""The rotated two-dimensional quadratic that several chapters' explorers draw on.

:math:`C(\theta) = \tfrac12\theta^\top H\theta` with :math:`H = Q\operatorname{diag}(1, 1/\kappa)Q^\top`
and :math:`Q` the rotation by 30 degrees, so :math:`\theta^* = 0`, the eigenvalues are
:math:`\lambda_1 = 1` and :math:`\lambda_2 = 1/\kappa`, and the eigenvectors are the axes turned by
30 degrees (used by :mod:`~course_lib.explorers.newton`, :mod:`~course_lib.explorers.momentum` and
:mod:`~course_lib.explorers.convexity`, each with its own start, box and contour levels).

:func:`rotated_quadratic`
    :math:`H`, its eigenvalues and eigenvectors, for a checked condition number :math:`\kappa`.
:func:`quadratic_contours`
    The level sets of :math:`C` as a table (closed-form ellipses), for a contour panel.
:func:`plane` and :func:`path_layers`
    The path panel's axes and layers: contours, paths, start, optimum and read-out.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from course_lib.explorers.live import readout

ANGLE = np.pi / 6           # the eigenvectors are the axes rotated by 30 degrees


def rotation(angle: float = ANGLE) -> np.ndarray:
    """The rotation matrix by ``angle`` (radians): the eigenvectors of :func:`rotated_quadratic`."""
    return np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


def rotated_quadratic(kappa: float, *, ratio: str = "lambda_1 / lambda_2"):
    r""":math:`H = Q\operatorname{diag}(1, 1/\kappa)Q^\top` (symmetrised), :math:`Q` the rotation
    by 30 degrees.

    Parameters
    ----------
    kappa : float
        The condition number :math:`\lambda_1/\lambda_2`, at least 1.
    ratio : str
        How the error message writes the condition number (``"L / m"`` in chapter 9).

    Returns
    -------
    H, lam, Q : ndarray
        The Hessian, its eigenvalues ``(1, 1/kappa)`` and its eigenvectors (columns of ``Q``).

    Examples
    --------
    >>> H, lam, Q = rotated_quadratic(10)
    >>> np.allclose(H @ Q, Q * lam), lam.tolist()
    (True, [1.0, 0.1])
    """
    from course_lib.checks import real

    kappa = real("kappa", kappa, positive=True)
    if kappa < 1:
        raise ValueError(f"Invalid kappa: {kappa!r} (the condition number {ratio} is >= 1).")
    Q = rotation()
    lam = np.array([1.0, 1.0 / kappa])
    H = (Q * lam) @ Q.T
    return 0.5 * (H + H.T), lam, Q


def quadratic_contours(lam, Q, start, scales: Sequence[float], points: int) -> dict:
    r"""Level sets of :math:`C(\theta) = \tfrac12\theta^\top Q\operatorname{diag}(\lambda)Q^\top\theta`
    in closed form: the ellipses :math:`\theta = Q\operatorname{diag}(\sqrt{2c/\lambda})(\cos t, \sin t)`
    at the levels :math:`c = c_0 s` for each ``s`` in ``scales``, where :math:`c_0` is
    :math:`C(\theta_0)` at the start :math:`\theta_0` given in eigen-coordinates (``start``).

    Returns the table ``{"level", "order", "x", "y"}``: ``points`` points a level (the first and
    last the same), drawn as one line per ``level`` in ``order``.

    Examples
    --------
    >>> rows = quadratic_contours(np.array([1.0, 0.25]), np.eye(2), (1.0, 2.0), [1.0, 4.0], 5)
    >>> rows["level"], [round(float(x), 6) for x in rows["x"][:5]]   # c0 = 1: semi-axes sqrt(2), sqrt(8)
    ([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], [1.414214, 0.0, -1.414214, -0.0, 1.414214])
    """
    c0 = 0.5 * float(np.sum(lam * np.square(start)))
    t = np.linspace(0.0, 2 * np.pi, points)
    rows = {"level": [], "order": [], "x": [], "y": []}
    for i, c in enumerate(c0 * np.asarray(scales)):
        xy = Q @ (np.sqrt(2 * c / lam)[:, None] * np.vstack([np.cos(t), np.sin(t)]))
        rows["level"] += [i] * len(t)
        rows["order"] += list(range(len(t)))
        rows["x"] += list(xy[0])
        rows["y"] += list(xy[1])
    return rows


def plane(lim: float, x: str = "x", y: str = "y"):
    """Altair encodings of columns ``x`` and ``y`` as θ₁ and θ₂ on the square ``[-lim, lim]²``."""
    import altair as alt

    box = alt.Scale(domain=[-lim, lim], nice=False)
    return alt.X(f"{x}:Q", scale=box, title="θ₁"), alt.Y(f"{y}:Q", scale=box, title="θ₂")


def path_layers(source, lim: float, walks: Mapping[str, dict], *, start: str, read, color: str,
                step: str = "k", behind: Sequence = ()) -> list:
    """The layers of a path panel on the quadratic's contours, from the bottom up: the level sets
    (dataset ``contours``, from :func:`quadratic_contours`), the layers ``behind`` the paths, the
    paths, the start θ₀ (a square), the optimum θ* = 0 (a diamond) and the read-out.

    Parameters
    ----------
    source : callable
        The explorer's ``source`` (see :class:`~course_lib.explorers.live.LiveExplorer`).
    lim : float
        The panel shows ``[-lim, lim]²``.
    walks : mapping
        Path dataset (columns ``step``, ``theta1``, ``theta2``) to the keyword arguments of its
        line (``mark_line``), drawn in this order.
    start : str
        The path dataset whose row ``step == 0`` is θ₀.
    read : alt.Chart
        The rows the read-out names (a path, perhaps filtered), in ``color``.
    step : str
        The name of the iteration column.

    Returns the layers, for ``alt.layer(*path_layers(...))``.
    """
    import altair as alt

    x, y = plane(lim)
    p_x, p_y = plane(lim, "theta1", "theta2")
    level_sets = source("contours").mark_line(color="#c7c7c7", strokeWidth=1, clip=True).encode(
        x=x, y=y, detail="level:N", order="order:Q")
    paths = [source(name).mark_line(**style).encode(x=p_x, y=p_y, order=f"{step}:Q") for name, style in walks.items()]
    theta0 = source(start).transform_filter(f"datum.{step} == 0").mark_point(
        shape="square", filled=True, color="black", size=70).encode(x=p_x, y=p_y)
    optimum = alt.Chart(alt.Data(values=[{"x": 0.0, "y": 0.0}])).mark_point(
        shape="diamond", filled=True, color="black", size=90).encode(x=x, y=y)
    on_path = readout(read, "theta1", "theta2",
                      f"'{step} = ' + datum.{step} + ':  θ = (' + format(datum.theta1, '.3f') + ', '"
                      " + format(datum.theta2, '.3f') + ')'", color=color)
    return [level_sets, *behind, *paths, theta0, optimum, *on_path]
