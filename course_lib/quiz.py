r"""Self-check questions at the end of each chapter, answered instantly in the page.

The questions are shown by `jupyterquiz <https://github.com/jmshea/jupyterquiz>`_, which
renders them with its own JavaScript in Jupyter and in the HTML book alike (no kernel is
needed to check an answer). This module only fixes the book's choices: answers in a fixed
order (so a rebuilt page does not change), the theme's colours, a column-wide box, and a check
of each question before it is shown, so a malformed question fails the book's build instead of
rendering an unanswerable box.

One timing fix: jupyterquiz typesets its questions half a second after drawing them and, if
MathJax is then still loading (a slow link), it replaces MathJax's configuration and fetches
MathJax from a CDN, which leaves the page's own formulas raw. Its script is therefore run once
the page's MathJax can typeset (at once where the page loads no MathJax, as in JupyterLab).

A question is a dict in jupyterquiz's format::

    {"question": "Which ...?", "type": "multiple_choice",
     "answers": [{"answer": "...", "correct": True, "feedback": "..."}, ...]}

    {"question": "What is ...?", "type": "numeric", "precision": 3,
     "answers": [{"type": "value", "value": 0.5, "correct": True, "feedback": "..."},
                 {"type": "default", "feedback": "..."}]}

Numbers in questions and answers are computed by the chapter's code when the book is built,
like every other number of the book. Mathematics is written ``$...$`` and typeset by MathJax.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

__all__ = ["self_check"]

_TYPES = {"multiple_choice", "many_choice", "numeric"}

# Colours that read in the theme's light and dark modes (white text on a dark blue).
_COLOURS = {
    "--jq-multiple-choice-bg": "#1f3a60",
    "--jq-many-choice-bg": "#1f3a60",
    "--jq-numeric-bg": "#1f3a60",
    "--jq-mc-button-bg": "#f5f7fa",
    "--jq-numeric-input-bg": "#f5f7fa",
    "--jq-correct-color": "#1a7f37",
    "--jq-incorrect-color": "#b42318",
    "--jq-text-color": "#ffffff",
    "--jq-link-color": "#bcd4ff",
}


def _check(number: int, question: Mapping[str, Any]) -> None:
    where = f"self-check question {number}"
    if not isinstance(question, Mapping):
        raise TypeError(f"{where} is a {type(question).__name__}; give a dict with 'question', "
                        "'type' and 'answers'")
    missing = {"question", "type", "answers"} - set(question)
    if missing:
        raise ValueError(f"{where} lacks {sorted(missing)}")
    if question["type"] not in _TYPES:
        raise ValueError(f"{where} has type {question['type']!r}; use one of {sorted(_TYPES)}")
    answers = question["answers"]
    if not answers:
        raise ValueError(f"{where} has no answers")
    if question["type"] == "numeric":
        if not any(a.get("correct") and a.get("type") in ("value", "range") for a in answers):
            raise ValueError(f"{where}: a numeric question needs a correct 'value' or 'range' answer")
        if not any(a.get("type") == "default" for a in answers):
            raise ValueError(f"{where}: a numeric question needs a 'default' answer with feedback "
                             "for the values not listed")
    else:
        right = sum(bool(a.get("correct")) for a in answers)
        if right == 0 or (question["type"] == "multiple_choice" and right != 1):
            raise ValueError(f"{where}: a {question['type']} question needs "
                             f"{'exactly one' if question['type'] == 'multiple_choice' else 'a'} "
                             f"correct answer, it has {right}")
    for answer in answers:
        if answer.get("type") != "default" and not answer.get("feedback"):
            raise ValueError(f"{where}: every answer needs 'feedback' that says why it is right "
                             f"or wrong (missing for {answer.get('answer', answer.get('value'))!r})")


def self_check(questions: Sequence[Mapping[str, Any]]) -> None:
    """Display ``questions`` as an instantly answered quiz (see the module's docstring)."""

    if not questions:
        raise ValueError("self_check needs at least one question")
    for number, question in enumerate(questions, start=1):
        _check(number, question)
    from IPython.display import Javascript, display
    from IPython.utils.capture import capture_output
    from jupyterquiz import display_quiz

    # jupyterquiz's own display (its box and its script), with the script started only when
    # MathJax can typeset
    with capture_output(stdout=False, stderr=False) as shown:
        display_quiz([dict(q) for q in questions], shuffle_answers=False, max_width=720, colors=_COLOURS)
    if len(shown.outputs) != 2:
        raise RuntimeError("self_check shows its questions in Jupyter or in the book's build (IPython)")
    box, script = shown.outputs
    display(box)
    display(Javascript(_WHEN_MATHJAX_IS_READY % script.data["application/javascript"]))


_WHEN_MATHJAX_IS_READY = """(function start() {
  var loading = document.querySelector('script[src*="mathjax"]');
  if (loading && !(window.MathJax && typeof window.MathJax.typeset === 'function')) {
    setTimeout(start, 100);
    return;
  }
%s
})();"""
