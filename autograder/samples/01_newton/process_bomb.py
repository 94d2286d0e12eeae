# %% plot_divergence
import os
import time

children = []
for _ in range(300):  # bounded: the sandbox's process limit stops it long before
    pid = os.fork()
    if pid == 0:
        time.sleep(20)
        os._exit(0)
    children.append(pid)
