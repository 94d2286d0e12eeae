# %% + classify
import os, sys
frame = b"[" * 200_000 + b"]" * 200_000
os.write(get_ipython().worker.channel.fd_out, len(frame).to_bytes(4, "big") + frame)
