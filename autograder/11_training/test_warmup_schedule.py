"""Hidden test, task 4: warm-up then linear decay.

Every rate is a product and a quotient of small numbers, so every correct way of writing it
agrees with the reference to a few ulps; the tolerance 1e-12 relative (1e-15 absolute for the
zeros after the end) leaves a margin of about 1e3.
"""

import numpy as np
import pytest


def reference(t, lr, warm, total):
    if t < warm:
        return lr * (t + 1) / warm
    if t < total:
        return lr * (total - t) / (total - warm)
    return 0.0


@pytest.mark.points(1)
def test_every_step(student):
    """three settings (lr 0.3 over 5 warm-up and 17 steps in all, 2.5 over 1 and 4, 0.01 over 10 and 11):
    every step of the warm-up, the decay and three steps after the end"""
    for lr, warm, total in ((0.3, 5, 17), (2.5, 1, 4), (0.01, 10, 11)):
        got = np.array([float(student.warmup_schedule(t, lr, warm, total)) for t in range(total + 3)])
        want = np.array([reference(t, lr, warm, total) for t in range(total + 3)])
        if np.allclose(got, want, rtol=1e-12, atol=1e-15):
            continue
        ts = np.arange(total + 3)
        if np.allclose(got[:warm], lr * ts[:warm] / warm, rtol=1e-12):
            pytest.fail("the warm-up starts at 0 (lr t / T_w): the first step should already use lr / T_w, "
                        "lr (t + 1) / T_w")
        if not np.allclose(got[:warm], want[:warm], rtol=1e-12, atol=1e-15):
            pytest.fail("the warm-up part (t < warmup_steps) should be lr (t + 1) / warmup_steps")
        if not np.allclose(got[total:], 0.0, atol=1e-15):
            pytest.fail("from t = total_steps on the rate should be 0")
        pytest.fail("the decay part (warmup_steps <= t < total_steps) should be "
                    "lr (total_steps - t) / (total_steps - warmup_steps)")
