"""Command line: ``python -m autograder autograde ...`` (instructors), ``... check NOTEBOOK``
(students) and ``... limits`` (how this machine isolates and limits a submission)."""

import sys


def limits(argv) -> int:
    """Print how submissions are isolated and limited on this machine; status 1 if not isolated."""
    from autograder.limits import describe
    from autograder.sandbox import BWRAP, Limits, isolation_warning

    defaults = Limits()
    warning = isolation_warning()
    print(f"isolation: {'bubblewrap (' + BWRAP + ')' if BWRAP else 'NONE'}")
    print(f"memory and processes of a sandbox as a whole: {describe()}")
    print(f"defaults: {defaults.cell_seconds:g} s per cell, {defaults.submission_seconds:g} s per submission, "
          f"{defaults.memory_bytes / 2**30:g} GiB, {defaults.processes} processes (SandboxedExecute.* in "
          "nbgrader_config.py)")
    if warning:
        print(warning)
    return 1 if warning else 0


def main() -> int:
    commands = {"autograde": "autograder.grade", "check": "autograder.selfcheck"}
    if len(sys.argv) >= 2 and sys.argv[1] == "limits":
        return limits(sys.argv[2:])
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print("usage: python -m autograder {" + ",".join([*commands, "limits"]) + "} ...", file=sys.stderr)
        return 2
    import importlib

    return importlib.import_module(commands[sys.argv[1]]).main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
