r"""Explorers of chapter 11 (training deep networks in practice).

:func:`depth_explorer`
    The spread of activations and back-propagated gradients through a deep MLP, as the
    initialisation gain and the depth change. The numbers come from
    :func:`course_lib.training.depth_statistics`.
"""

from __future__ import annotations

import math

import numpy as np

from course_lib.explorers.live import Dataset, LiveExplorer, Slider, readout

_ACTIVATIONS = ("tanh", "relu")
_NAMES = ("tanh", "ReLU")
_COLORS = ("#1f77b4", "#d62728")
_FLOOR, _CEILING = 1e-15, 1e6      # the panels' vertical range; values beyond are drawn just outside it
_GAINS = [0.5, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.4142, 1.7, 2.0]
_DEPTHS = [10, 20, 30, 50, 100]


def depth_explorer(width: int = 64, batch: int = 64, seed: int = 0) -> LiveExplorer:
    r"""Standard deviations of activations and back-propagated gradients through depth.

    A plain MLP of ``depth`` layers of width ``width`` (all with the activation, biases zero)
    has weights :math:`W^{(l)}_{ij} \sim \mathcal N(0, g^2/n_\text{in})`: the gain :math:`g = 1`
    is LeCun's (and Glorot's, for equal widths) initialisation, :math:`g = \sqrt 2` He's. A batch
    of standard normal inputs goes forward and a standard normal cotangent comes back
    (:func:`course_lib.training.depth_statistics`), for tanh and for ReLU.

    The networks of every depth and gain share their random numbers: the weights are
    :math:`g/\sqrt{n}` times one draw of standard normal matrices, and the network of depth
    :math:`L` is the first :math:`L` layers of the deepest one (so the forward curves of a
    shallower network are the beginning of a deeper one's; the backward curves start from the
    same cotangent at each depth's output).

    Panels: left, the standard deviation of the activations :math:`x^{(l)}` against the layer
    :math:`l`; right, that of :math:`\delta^{(l)} = \partial\mathcal L/\partial u^{(l)}`; both on
    a log scale from :math:`10^{-15}` to :math:`10^{6}`, with the level 1. For ReLU only
    :math:`g = \sqrt 2` keeps both flat; tanh keeps its signals for :math:`g` near 1 and
    saturates beyond.

    Controls: ``gain`` :math:`g` and ``depth``.

    Parameters
    ----------
    width : int
        Units per layer (2 to 1000).
    batch : int
        Inputs in the batch (2 to 1000).
    seed : int
        Seed of the weights, inputs and cotangent.

    References
    ----------
    Glorot and Bengio (2010); He, Zhang, Ren and Sun (2015); 003 (exploding and vanishing
    gradients).

    Examples
    --------
    >>> ex = depth_explorer()
    >>> relu = ex.frame("forward", gain=1.4142)["act"] == 1
    >>> bool(0.3 < ex.frame("forward", gain=1.4142)["std"][relu][29] < 3)   # He's gain: no drift over 30 layers
    True
    """
    from course_lib.checks import integer, real
    from course_lib.training import depth_statistics, init_layers

    for name, value in (("width", width), ("batch", batch)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 2 <= value <= 1000:
            raise ValueError(f"Invalid {name}: {value!r} (an integer from 2 to 1000).")
    seed = integer("seed", seed)
    cache = {}

    def network(gain):
        # One draw of unit-variance weights and inputs, scaled by the gain.
        if "base" not in cache:
            rng = np.random.default_rng(seed)
            X = rng.normal(size=(batch, width))
            cache["base"] = X, init_layers([width] * (max(_DEPTHS) + 1), 1.0, rng)
        X, base = cache["base"]
        return X, [type(layer)(layer.W * (gain / math.sqrt(width)), layer.b) for layer in base]

    def stats(gain, depth, activation):
        gain = real("gain", gain, positive=True)
        depth = integer("depth", depth, minimum=1)
        if depth > max(_DEPTHS):
            raise ValueError(f"Invalid depth: {depth!r} (an integer from 1 to {max(_DEPTHS)}).")
        key = (gain, depth, activation)
        if key not in cache:
            X, layers = network(gain)
            cache[key] = depth_statistics(layers[:depth], X, activation, np.random.default_rng(seed + 1))
        return cache[key]

    def rows(values):
        values = np.asarray(values, dtype=float)
        # the true value for the read-out (finite: a spread that underflows is 0); the drawn one
        # just outside the panel when the true one leaves it
        return values, np.clip(values, _FLOOR / 10, _CEILING * 10)

    def forward(gain):
        out = {"layer": [], "act": [], "std": [], "shown": []}
        for a, act in enumerate(_ACTIVATIONS):
            true, shown = rows(stats(gain, max(_DEPTHS), act).activation)
            out["layer"] += list(range(1, len(true) + 1))
            out["act"] += [a] * len(true)
            out["std"] += list(true)
            out["shown"] += list(shown)
        return out

    def backward(gain, depth):
        out = {"layer": [], "act": [], "std": [], "shown": []}
        for a, act in enumerate(_ACTIVATIONS):
            true, shown = rows(stats(gain, depth, act).backward)
            out["layer"] += list(range(1, len(true) + 1))
            out["act"] += [a] * len(true)
            out["std"] += list(true)
            out["shown"] += list(shown)
        return out

    def panels(source):
        import altair as alt

        log = alt.Scale(type="log", domain=[_FLOOR, _CEILING], nice=False)
        y_axis = alt.Axis(values=[10.0 ** e for e in range(-15, 7, 3)],
                          labelExpr="'1e' + round(log(datum.value) / LN10)")
        colors = alt.Color("act:N", scale=alt.Scale(domain=[0, 1], range=list(_COLORS)), legend=None)
        one = alt.Chart(alt.Data(values=[{"one": 1.0}])).mark_rule(color="#999", strokeDash=[2, 3]).encode(
            y=alt.Y("one:Q", scale=log))
        key = [alt.Chart(alt.Data(values=[{"t": name}])).mark_text(
            align="right", baseline="top", dx=-4, fontSize=12, fontWeight="bold", color=color).encode(
            x=alt.value("width"), y=alt.value(4 + 16 * i), text="t:N")
            for i, (name, color) in enumerate(zip(_NAMES, _COLORS))]
        depths = "[" + ", ".join(str(d) for d in _DEPTHS) + "]"
        x_axis = alt.X("layer:Q", title="layer l", scale=alt.Scale(nice=False, zero=False))

        # the read-out picks from about 15 layers per curve (each point it can pick costs time at
        # every slider move): layer 1 and every s-th layer
        thin = "[" + ", ".join(str(math.ceil(d / 15)) for d in _DEPTHS) + "]"

        def panel(name, title, label, symbol, filtered):
            data = source(name)
            if filtered:
                data = data.transform_filter(f"datum.layer <= {depths}[depth]")
            curves = data.mark_line(clip=True, strokeWidth=1.5).encode(
                x=x_axis, y=alt.Y("shown:Q", scale=log, axis=y_axis, title=label), color=colors, detail="act:N")
            # (only points inside the panel: those beyond it would be read out off the axes)
            probe = data.transform_filter(f"(datum.layer == 1 || datum.layer % {thin}[depth] == 0)"
                                          f" && datum.shown >= {_FLOOR} && datum.shown <= {_CEILING}")
            on_curve = readout(probe, "layer", "shown",
                               f"(datum.act == 0 ? 'tanh' : 'ReLU') + ', layer ' + datum.layer + ': std {symbol} = '"
                               " + format(datum.std, '.3~g')", fields=["act", "layer"])
            return alt.layer(one, curves, *key, *on_curve).properties(title=title)

        return [panel("forward", "Forward: spread of the activations", "std of x⁽ˡ⁾", "x", True),
                panel("backward", "Backward: spread of the gradients", "std of δ⁽ˡ⁾", "δ", False)]

    controls = {
        "gain": Slider("gain g (σ_W = g/√n)", _GAINS, 1.4142, fmt="{:.3g}"),
        "depth": Slider("depth", _DEPTHS, 30, fmt="{:d}"),
    }
    datasets = {
        "forward": Dataset(("gain",), forward),
        "backward": Dataset(("gain", "depth"), backward),
    }
    return LiveExplorer(controls, datasets, panels, description=(
        "Standard deviations of the activations (first panel) and of the back-propagated gradients "
        "(second panel) against the layer, on log scales, for tanh (blue) and ReLU (red) networks "
        "initialised with the gain on the slider"))


# The live explorers of this chapter (tests/test_explorers_live.py checks every one listed here).
EXPLORERS = [depth_explorer]
