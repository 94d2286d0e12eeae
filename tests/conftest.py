"""Shared helpers for the project's tests."""

import io

import numpy as np


def render_png(fig) -> bytes:
    """Draw a matplotlib figure for real (to PNG), so that any warning while drawing surfaces."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def central_gradient(f, x, h=1e-6):
    """Central finite differences of a scalar function: an oracle independent of course_lib."""
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def central_jacobian(F, x, h=1e-6):
    """Central finite differences of a vector function (columns are partial derivatives)."""
    x = np.asarray(x, dtype=float)
    cols = []
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        cols.append((np.asarray(F(x + e)) - np.asarray(F(x - e))) / (2 * h))
    return np.stack(cols, axis=-1)
