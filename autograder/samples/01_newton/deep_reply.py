# %% + classify
import os, sys
frame = b"[" * 200_000 + b"]" * 200_000
os.write(int(sys.argv[2]), len(frame).to_bytes(4, "big") + frame)
