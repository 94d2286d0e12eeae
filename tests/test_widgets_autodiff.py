"""Tests of course_lib.widgets.draw_graph, chapter 5's figures of computational graphs (the
chapter's explorer is course_lib.explorers.autodiff, tested in test_explorers_autodiff.py)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from course_lib import autodiff as ad
from course_lib.widgets import draw_graph
from conftest import render_png


def test_graph_has_one_box_per_node_and_one_arrow_per_operand():
    """Does the drawing show every node of 004's graph, with an arrow for each operand edge?"""
    C = lambda t: ad.sin(t[0] * t[1]) + ad.exp(t[1] + t[2]) - 2 * t[2]
    graph = ad.trace(C, np.array([np.pi / 6, 2.0, 5.0])).graph()
    fig = Figure()
    ax = fig.subplots()
    draw_graph(ax, graph)
    render_png(fig)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == len(graph) == 9
    assert sum(isinstance(p, FancyArrowPatch) for p in ax.patches) == sum(len(n.operands) for n in graph) == 10
    assert any(t.startswith("a₄ = sin(a₁)") for t in texts)
