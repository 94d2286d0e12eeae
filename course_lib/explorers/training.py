r"""Explorers of chapter 11 (training deep networks in practice).

:func:`depth_explorer`: the spread of activations and back-propagated gradients through a deep
MLP, as the initialisation gain changes. The numbers come from
:func:`course_lib.training.depth_statistics`.
"""

from __future__ import annotations

import math

import numpy as np

from course_lib.widgets import Explorer, Slider

_COLORS = {"tanh": "C0", "relu": "C3"}


def depth_explorer(width: int = 64, batch: int = 64, seed: int = 0) -> Explorer:
    r"""Standard deviations of activations and back-propagated gradients through depth.

    A plain MLP of ``depth`` layers of width ``width`` (all with the activation, biases zero)
    has weights :math:`W^{(l)}_{ij} \sim \mathcal N(0, g^2/n_\text{in})`: the gain :math:`g = 1`
    is LeCun's (and Glorot's, for equal widths) initialisation, :math:`g = \sqrt 2` He's. A batch
    of standard normal inputs goes forward and a standard normal cotangent comes back
    (:func:`course_lib.training.depth_statistics`), for tanh and for ReLU.

    Panels: left, the standard deviation of the activations :math:`x^{(l)}` against the layer
    :math:`l`; right, that of :math:`\delta^{(l)} = \partial\mathcal L/\partial u^{(l)}`; both on
    a log scale. For ReLU only :math:`g = \sqrt 2` keeps both flat; tanh keeps its signals for
    :math:`g` near 1 and saturates beyond.

    Controls: ``gain`` :math:`g` (swept in the static rendering) and ``depth``.

    References
    ----------
    Glorot and Bengio (2010); He, Zhang, Ren and Sun (2015); 003 (exploding and vanishing
    gradients).

    Examples
    --------
    >>> ex = depth_explorer()
    >>> fig = ex.figure(gain=1.4142, depth=20)
    """
    from course_lib.training import depth_statistics, init_layers

    for name, value in (("width", width), ("batch", batch)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 2 <= value <= 1000:
            raise ValueError(f"Invalid {name}: {value!r} (an integer from 2 to 1000).")

    def stats(gain, depth, activation):
        rng = np.random.default_rng(seed)
        layers = init_layers([width] * (depth + 1), gain / math.sqrt(width), rng)
        X = rng.normal(size=(batch, width))
        return depth_statistics(layers, X, activation, rng)

    def draw(fig, gain, depth):
        if isinstance(gain, bool) or not (isinstance(gain, (int, float, np.floating, np.integer))
                                          and math.isfinite(gain) and gain > 0):
            raise ValueError(f"gain must be a positive finite number, got {gain!r}.")
        if isinstance(depth, bool) or not (isinstance(depth, (int, float, np.integer, np.floating))
                                           and float(depth).is_integer() and 1 <= depth <= 200):
            raise ValueError(f"depth must be an integer from 1 to 200, got {depth!r}.")
        depth = int(depth)
        ax_f, ax_b = fig.subplots(1, 2, sharex=True)
        layers = np.arange(1, depth + 1)
        floor, ceiling = 1e-15, 1e6
        for act in ("tanh", "relu"):
            s = stats(float(gain), depth, act)
            for ax, values in ((ax_f, s.activation), (ax_b, s.backward)):
                shown = np.clip(values, floor, ceiling)
                ax.semilogy(layers, shown, "o-", ms=2.5, lw=1, color=_COLORS[act], label=act)
        ax_f.set(xlabel="layer l", ylabel="std of activations x⁽ˡ⁾", ylim=(floor, ceiling))
        ax_b.set(xlabel="layer l", ylabel="std of gradients δ⁽ˡ⁾", ylim=(floor, ceiling))
        ax_f.set_title("forward", fontsize="medium")
        ax_b.set_title("backward (output at the right)", fontsize="medium")
        for ax in (ax_f, ax_b):
            ax.axhline(1.0, color="0.6", lw=0.8, ls=":")
            ax.legend(loc="lower left", fontsize="small")

    controls = {
        "gain": Slider("gain g (σ_W = g/√n)", [0.5, 0.8, 1.0, 1.4142, 2.0], 1.4142, fmt="{:.3g}"),
        "depth": Slider("depth", [10, 20, 30, 50], 30, fmt="{:d}"),
    }
    return Explorer(draw, controls, sweep="gain", figsize=(8.4, 3.6), description=(
        "Standard deviations of the activations (left) and of the back-propagated gradients "
        "(right) against the layer, on log scales, for tanh and ReLU networks initialised with "
        "the gain on the slider"))
