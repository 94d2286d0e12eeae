"""The judge on small notebooks: cells run as Jupyter runs them, hidden tests stay hidden.

Each test builds a notebook with nbgrader's cell metadata and grades it with
:func:`autograder.judge.execute` (the same call nbgrader's autograde makes through
:class:`autograder.preprocessors.SandboxedExecute`).
"""

from __future__ import annotations

import base64

import nbformat
import pytest

from autograder import judge


def answer(source: str, grade_id: str | None = None):
    cell = nbformat.v4.new_code_cell(source)
    if grade_id:
        cell.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False, "grade_id": grade_id}
    return cell


def check_cell(source: str, grade_id: str, points: float = 1):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id,
                                 "points": points}
    return cell


def grade(*cells):
    nb = nbformat.v4.new_notebook(cells=list(cells))
    return judge.execute(nb).cells


def text(cell, name="stdout") -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == name)


def errors(cell) -> list:
    return [o for o in cell.outputs if o.output_type == "error"]


def test_ipython_syntax_runs_as_in_jupyter():
    """Do magics, `display`, `?` and the inline backend work in answer cells, as in Jupyter
    (a `%matplotlib inline` line once cost a student every later point)?"""
    cells = grade(
        answer("%matplotlib inline\nimport numpy as np\nimport matplotlib.pyplot as plt\ndef f(x):\n    return 2 * x",
               "a"),
        answer("%%time\ny = f(3)\nprint(y)", "b"),
        answer("%timeit -n 2 -r 1 f(1)\nnp.ones?\nfrom IPython.display import display\ndisplay(f(5))\nf(7)"),
        answer("%load_ext autoreload\n%autoreload 2\nplt.plot([1, 2, 3])\nplt.show()"),
        check_cell("assert f(2) == 4\nprint('ok')", "t"))
    assert not any(errors(c) for c in cells), [errors(c) for c in cells]
    assert "6" in text(cells[1]) and "Wall time" in text(cells[1])
    assert "per loop" in text(cells[2]) and "Signature" in text(cells[2])
    shown = [o["data"]["text/plain"] for o in cells[2].outputs if o.output_type == "display_data"]
    assert shown == ["10", "14"]  # display(...) and the cell's value, in order
    figure = [o for o in cells[3].outputs if "image/png" in o.get("data", {})]
    assert len(figure) == 1 and base64.b64decode(figure[0]["data"]["image/png"]).startswith(b"\x89PNG")
    assert text(cells[4]) == "ok\n"


def test_shell_escapes_are_noted_and_cost_nothing():
    """Is `!pip install` skipped with a note, the rest of the cell still run?"""
    cells = grade(answer("!pip install tqdm\nfiles = !ls\nx = 1", "a"), check_cell("assert x == 1", "t"))
    assert "not run while grading" in text(cells[0], "stderr")
    assert not errors(cells[0]) and not errors(cells[1])


def test_exit_costs_its_cell_only():
    """Do exit() and sys.exit() end their cell with an error and leave the rest graded?"""
    cells = grade(answer("def f():\n    return 1\nexit()\nf = None", "a"), answer("import sys\nsys.exit(3)"),
                  check_cell("assert f() == 1", "t"))
    assert errors(cells[0])[0]["ename"] == "SystemExit" and errors(cells[1])[0]["ename"] == "SystemExit"
    assert not errors(cells[2])


def test_names_of_visible_test_cells_exist_for_later_cells():
    """Can a student's later cell use what a visible test cell defined (data, modules, functions)?"""
    cells = grade(answer("def f(x):\n    return x + 1", "a"),
                  check_cell("import numpy as np\nsigma2 = np.array([1.0, 2.0])\ng = lambda t: 2 * t\nh = f\n"
                            "def k(t):\n    return 3 * t\nassert f(1) == 2", "t"),
                  answer("print(sigma2.sum(), g(2), h(1), k(1), np.pi > 3)", "b"))
    assert not errors(cells[2]), errors(cells[2])
    assert text(cells[2]) == "3.0 4 2 3 True\n"


def test_names_after_a_failed_assertion_are_not_defined():
    """Is a name assigned after a failing line of a visible test undefined, as in Jupyter?"""
    cells = grade(answer("x = 1", "a"), check_cell("before = 1\nassert x == 2, 'no'\nafter = 2", "t"),
                  answer("print(before)\nprint(after)", "b"))
    assert text(cells[2]) == "1\n" and errors(cells[2])[0]["ename"] == "NameError"


HIDDEN = "### BEGIN HIDDEN TESTS\nassert f(424242.0) == 1\nprint('hidden done')\n### END HIDDEN TESTS"


def test_no_code_that_saw_a_hidden_input_prints_into_the_notebook():
    """Can a later answer cell print (or read from a file) what a hidden test passed in? (No: the
    hidden tests run after the notebook, in a fresh sandbox whose output is discarded.)"""
    cells = grade(
        answer("seen = []\ndef f(x):\n    seen.append(x)\n    open('leak.txt', 'a').write(repr(x))\n    return 1", "a"),
        check_cell("assert f(1.0) == 1\n" + HIDDEN, "t", 2),
        answer("import os\nprint('seen', seen)\nprint('file', open('leak.txt').read() if os.path.exists('leak.txt') "
               "else None)", "b"),
        check_cell(HIDDEN, "t2"))
    out = text(cells[2])
    assert "424242" not in out and out == "seen [1.0]\nfile 1.0\n"
    assert "hidden done" in text(cells[1]) and not errors(cells[1]) and not errors(cells[3])


def test_a_hidden_test_sees_the_function_as_it_was_at_its_cell():
    """Does a hidden test check the function defined before it, not a later redefinition?"""
    cells = grade(answer("def f(x):\n    return 1", "a"), check_cell(HIDDEN, "t"),
                  answer("def f(x):\n    return 0", "scratch"))
    assert not errors(cells[1]) and "hidden done" in text(cells[1])


def test_output_is_capped_by_the_judge():
    """Is a flood of output cut by the judge, whatever the student's process does?"""
    cells = grade(answer("import sys\nfor i in range(200):\n    sys.stdout.write('x' * 10000)", "a"),
                  answer("print('y' * 30000)", "b"))
    assert 20_000 <= len(text(cells[0])) < 20_100 and "truncated" in text(cells[0])
    assert len(text(cells[1])) < 20_100
    budget = judge.OutputBudget()  # what a worker that ignores its own cap sends
    flood = [{"output_type": "stream", "name": "stdout", "text": "z" * 10**6},
             {"output_type": "display_data", "data": {"text/plain": "w" * 10**6, "image/png": "notpng"}},
             {"output_type": "stream", "name": "evil", "text": "x"}, "junk"]
    outputs = budget.outputs(flood)
    assert sum(len(str(o)) for o in outputs) < 21_500 and all(o.get("name", "stdout") == "stdout" for o in outputs)
    for _ in range(20):
        budget.outputs(flood)
    assert budget.text <= judge.OutputBudget.NOTEBOOK_TEXT + 1000


def test_html_and_script_outputs_never_reach_the_notebook():
    """Do HTML, JavaScript and SVG display outputs get dropped (only text and PNG are kept)?"""
    cells = grade(answer("from IPython.display import HTML, Javascript, display\n"
                         "display(HTML('<script>alert(1)</script>'))\ndisplay(Javascript('alert(2)'))", "a"))
    kinds = {k for o in cells[0].outputs for k in o.get("data", {})}
    assert kinds <= {"text/plain", "image/png"}
    assert "<script>" not in str(cells[0].outputs)


@pytest.mark.parametrize("source", ["raise KeyboardInterrupt", "def f(:\n    pass", "import os\nos._exit(0)"])
def test_a_broken_cell_costs_itself_only(source):
    """After a syntax error, an interrupt or a crash, are the following cells still graded?"""
    cells = grade(answer("x = 1", "a"), answer(source, "b"), check_cell("assert x == 1\nprint('ok')", "t"))
    assert errors(cells[1]) and text(cells[2]) == "ok\n"
