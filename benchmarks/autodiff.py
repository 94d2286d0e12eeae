"""Reverse-mode autodiff (course_lib.autodiff) against hand-written numpy backpropagation (course_lib.backprop).

One full loss + gradient of an MLP (input 64, hidden 256 and 256 with tanh, output 10, batch
128, softmax cross-entropy, float64), timed both ways in the same run, best of several repeats
(timeit-style). ``python -m benchmarks.autodiff`` prints the figures.
"""

from __future__ import annotations

import timeit

import numpy as np

from course_lib import autodiff as ad
from course_lib import backprop as bp

SIZES = (64, 256, 256, 10)
BATCH = 128


def make_problem(seed: int = 0):
    """The layers (``course_lib.backprop.Layer``: W of shape (H_out, H_in), b), inputs ``X (B, 64)``, labels."""
    rng = np.random.default_rng(seed)
    layers = [bp.Layer(layer.W, rng.normal(0.0, 0.1, layer.b.shape)) for layer in bp.init_mlp(SIZES, seed=seed)]
    X = rng.normal(size=(BATCH, SIZES[0]))
    y = rng.integers(0, SIZES[-1], BATCH)
    return layers, X, y


def mlp_loss(X, y):
    """The loss as a function of the six parameter arrays, written with course_lib.autodiff."""

    def loss(W1, b1, W2, b2, W3, b3):
        h = ad.tanh(X @ W1.T + b1)
        h = ad.tanh(h @ W2.T + b2)
        return ad.mean(ad.softmax_cross_entropy(h @ W3.T + b3, y))

    return loss


def bench_autodiff(repeat: int = 7, number: int = 20) -> dict:
    """Time ``value_and_grad`` of the MLP loss and the hand-written backprop; print and return both."""
    layers, X, y = make_problem()
    params = [array for layer in layers for array in layer]
    vg = ad.value_and_grad(mlp_loss(X, y), argnums=tuple(range(len(params))))
    value, grads = vg(*params)
    ref_value, ref_layers = bp.backprop(layers, X, y, activation="tanh", loss="cross_entropy")
    ref_grads = [array for layer in ref_layers for array in layer]
    err = max(np.max(np.abs(g - r)) / np.max(np.abs(r)) for g, r in zip(grads, ref_grads))
    if abs(value - ref_value) > 1e-12 * abs(ref_value) or err > 1e-10:
        raise AssertionError(f"autodiff and backprop disagree (relative error {err:.2e}).")
    timers = [timeit.Timer(lambda: vg(*params)), timeit.Timer(lambda: bp.backprop(layers, X, y))]
    runs = [[], []]
    for _ in range(repeat):                   # interleaved, so both see the same machine load
        for timer, times in zip(timers, runs):
            times.append(timer.timeit(number) / number)
    t_ad, t_np = min(runs[0]), min(runs[1])
    ratio = t_ad / t_np
    print(f"MLP {SIZES}, batch {BATCH}, float64: loss + gradient, best of {repeat} x {number}")
    print(f"  course_lib.autodiff value_and_grad  {t_ad * 1e3:8.3f} ms")
    print(f"  course_lib.backprop (by hand, numpy){t_np * 1e3:8.3f} ms")
    print(f"  ratio autodiff / numpy              {ratio:8.3f}  (target <= 1.5: {'met' if ratio <= 1.5 else 'NOT met'})")
    print(f"  max relative gradient difference    {err:8.1e}")
    return {"autodiff_s": t_ad, "numpy_s": t_np, "ratio": ratio, "max_rel_diff": err}


if __name__ == "__main__":
    bench_autodiff()
