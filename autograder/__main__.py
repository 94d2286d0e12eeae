"""Command line: ``python -m autograder autograde ...`` (instructors) and ``... check NOTEBOOK`` (students)."""

import sys


def main() -> int:
    commands = {"autograde": "autograder.grade", "check": "autograder.selfcheck"}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print("usage: python -m autograder {" + ",".join(commands) + "} ...", file=sys.stderr)
        return 2
    import importlib

    return importlib.import_module(commands[sys.argv[1]]).main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
