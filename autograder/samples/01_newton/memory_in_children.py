# %% taylor
import os, time

children = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        block = bytearray(900 * 2**20)
        block[::4096] = b"x" * len(block[::4096])
        time.sleep(3)
        os._exit(0)
    children.append(pid)
held = all(os.waitpid(pid, 0)[1] == 0 for pid in children)
print("three children held 2.6 GiB:", held)
if held:
    def taylor_error_ratio(f, grad, hess, x, d):
        model = f(x) + grad(x) @ d + d @ hess(x) @ d / 2
        return abs(f(x + d) - model) / np.dot(d, d)
