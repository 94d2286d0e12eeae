# %% warmup_schedule
def warmup_schedule(t, lr, warmup_steps, total_steps):
    if t >= total_steps:
        return 0.0
    if t >= warmup_steps:
        return lr * (1 - (t - warmup_steps) / (total_steps - warmup_steps))
    return lr * t / warmup_steps                 # the first step has rate 0
