"""The deferred IRI grammar (course_lib._lazy_iri): the same verdicts, the grammar compiled only
when an IRI is checked, and the ~2 s it costs saved in a process that never checks one."""

import json
import subprocess
import sys

import pytest

pytest.importorskip("rfc3987_syntax")

PROBE = r"""
import json, sys, time
if sys.argv[1] == "deferred":
    from course_lib._lazy_iri import defer_iri_grammar
    defer_iri_grammar()
start = time.process_time()
import jsonschema
imported = time.process_time() - start
compiled_at_import = "rfc3987_syntax.syntax_helpers" in sys.modules
checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
values = ["http://example.com/ä?x=1#f", "not an iri", "//relative/ref", "a:b", "http://[::1]/", "ht tp://x", ""]
verdicts = [[checker.conforms(v, "iri"), checker.conforms(v, "iri-reference")] for v in values]
print(json.dumps({"seconds": imported, "compiled_at_import": compiled_at_import, "verdicts": verdicts}))
"""


def probe(mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_deferred_grammar_gives_the_same_verdicts_and_is_compiled_only_when_used():
    eager, deferred = probe("eager"), probe("deferred")
    assert eager["compiled_at_import"] and not deferred["compiled_at_import"]
    assert deferred["verdicts"] == eager["verdicts"]
    assert {iri for iri, _ in eager["verdicts"]} == {True, False}   # it does judge: some pass, some fail
    assert [False, True] in eager["verdicts"]                       # a relative reference is no IRI


@pytest.mark.parametrize("first", ["course_lib", "course_lib.explorers", "course_lib.widgets"])
def test_importing_course_lib_defers_it(first):
    """Does a page (or a student's notebook) that imports course_lib, then glues a number with
    myst-nb (nbformat, jsonschema) or draws an explorer (Altair), skip compiling the grammar?"""
    code = (f"import sys, {first}, jsonschema, nbformat; "
            "print('rfc3987_syntax.syntax_helpers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
