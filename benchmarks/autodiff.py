"""Reverse-mode autodiff (course_lib.autodiff) against hand-written numpy backpropagation.

One full loss + gradient of an MLP (input 64, hidden 256 and 256 with tanh, output 10, batch
128, softmax cross-entropy, float64), timed both ways in the same run, best of several repeats
(timeit-style). ``python -m benchmarks.autodiff`` prints the figures.
"""

from __future__ import annotations

import timeit

import numpy as np

from course_lib import autodiff as ad

SIZES = (64, 256, 256, 10)
BATCH = 128


def make_problem(seed: int = 0):
    """Weights ``W (H_out, H_in)``, biases, inputs ``X (B, 64)`` and integer labels."""
    rng = np.random.default_rng(seed)
    params = []
    for h_in, h_out in zip(SIZES[:-1], SIZES[1:]):
        params += [rng.normal(0.0, 1.0 / np.sqrt(h_in), (h_out, h_in)), rng.normal(0.0, 0.1, h_out)]
    X = rng.normal(size=(BATCH, SIZES[0]))
    y = rng.integers(0, SIZES[-1], BATCH)
    return params, X, y


def mlp_loss(X, y):
    """The loss as a function of the six parameter arrays, written with course_lib.autodiff."""

    def loss(W1, b1, W2, b2, W3, b3):
        h = ad.tanh(X @ W1.T + b1)
        h = ad.tanh(h @ W2.T + b2)
        return ad.mean(ad.softmax_cross_entropy(h @ W3.T + b3, y))

    return loss


def numpy_backprop(params, X, y):
    """Hand-written forward and backward pass: ``(loss, [dW1, db1, dW2, db2, dW3, db3])``."""
    W1, b1, W2, b2, W3, b3 = params
    h1 = np.tanh(X @ W1.T + b1)
    h2 = np.tanh(h1 @ W2.T + b2)
    z = h2 @ W3.T + b3
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    B = X.shape[0]
    loss = -logp[np.arange(B), y].mean()
    d3 = np.exp(logp)
    d3[np.arange(B), y] -= 1.0
    d3 /= B
    d2 = (d3 @ W3) * (1.0 - h2 * h2)
    d1 = (d2 @ W2) * (1.0 - h1 * h1)
    return loss, [d1.T @ X, d1.sum(axis=0), d2.T @ h1, d2.sum(axis=0), d3.T @ h2, d3.sum(axis=0)]


def bench_autodiff(repeat: int = 7, number: int = 20) -> dict:
    """Time ``value_and_grad`` of the MLP loss and the hand-written backprop; print and return both."""
    params, X, y = make_problem()
    vg = ad.value_and_grad(mlp_loss(X, y), argnums=tuple(range(len(params))))
    value, grads = vg(*params)
    ref_value, ref_grads = numpy_backprop(params, X, y)
    err = max(np.max(np.abs(g - r)) / np.max(np.abs(r)) for g, r in zip(grads, ref_grads))
    if abs(value - ref_value) > 1e-12 * abs(ref_value) or err > 1e-10:
        raise AssertionError(f"autodiff and backprop disagree (relative error {err:.2e}).")
    timers = [timeit.Timer(lambda: vg(*params)), timeit.Timer(lambda: numpy_backprop(params, X, y))]
    runs = [[], []]
    for _ in range(repeat):                   # interleaved, so both see the same machine load
        for timer, times in zip(timers, runs):
            times.append(timer.timeit(number) / number)
    t_ad, t_np = min(runs[0]), min(runs[1])
    ratio = t_ad / t_np
    print(f"MLP {SIZES}, batch {BATCH}, float64: loss + gradient, best of {repeat} x {number}")
    print(f"  course_lib.autodiff value_and_grad  {t_ad * 1e3:8.3f} ms")
    print(f"  hand-written numpy backprop         {t_np * 1e3:8.3f} ms")
    print(f"  ratio autodiff / numpy              {ratio:8.3f}  (target <= 1.5: {'met' if ratio <= 1.5 else 'NOT met'})")
    print(f"  max relative gradient difference    {err:8.1e}")
    return {"autodiff_s": t_ad, "numpy_s": t_np, "ratio": ratio, "max_rel_diff": err}


if __name__ == "__main__":
    bench_autodiff()
