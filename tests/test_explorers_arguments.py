"""Do bad arguments to every chapter's explorers raise an error that names the parameter (or
says what is wrong), where they enter, instead of giving a blank or garbled figure?

- ``FACTORY``: the factories' own arguments (steps, sizes, condition numbers), refused when the
  explorer is built;
- ``VALUES``: values of the sliders' parameters that ``frame`` is asked for (it computes any
  value, not only the sliders' own), refused for every dataset named, and parameters the
  explorer does not have.
The numbers each explorer draws are tested in test_explorers_<chapter>.py.
"""

from __future__ import annotations

import functools

import pytest

from course_lib.explorers.adaptive import optimizer_race_explorer
from course_lib.explorers.autodiff import AUTODIFF_EXAMPLES, autodiff_explorer
from course_lib.explorers.convexity import strongly_convex_gd_explorer
from course_lib.explorers.landscape import saddle_escape_explorer
from course_lib.explorers.linesearch import ray_explorer
from course_lib.explorers.momentum import momentum_explorer
from course_lib.explorers.newton import newton_vs_gd_explorer, taylor_model_explorer
from course_lib.explorers.quasi_newton import quasi_newton_race_explorer
from course_lib.explorers.sgd import batch_size_explorer
from course_lib.explorers.training import depth_explorer

NAN, INF = float("nan"), float("inf")
EITHER = (ValueError, TypeError)      # a wrong type may be a TypeError

# (factory, keyword arguments, error, what the message must match)
FACTORY = [
    # chapter 1: a non-positive or fractional number of steps
    *[(newton_vs_gd_explorer, {"num_steps": n}, ValueError, "num_steps") for n in (0, -3, 2.5)],
    # chapter 2: a data set too small to have any noise, an empty sample, a negative seed
    (batch_size_explorer, {"n": 1}, ValueError, "Invalid n"),
    (batch_size_explorer, {"num_samples": 0}, ValueError, "num_samples"),
    (batch_size_explorer, {"seed": -1}, ValueError, "seed"),
    # chapter 3: a condition number below 1 (or not a number), an empty or fractional run
    (momentum_explorer, {"kappa": 0.5}, ValueError, "kappa"),
    (momentum_explorer, {"kappa": NAN}, ValueError, "kappa"),
    (momentum_explorer, {"num_steps": 0}, ValueError, "num_steps"),
    (momentum_explorer, {"num_steps": 2.5}, ValueError, "num_steps"),
    # chapter 4: an empty or fractional run
    *[(optimizer_race_explorer, {"num_steps": n}, ValueError, "num_steps") for n in (0, 2.5, -3)],
    # chapter 5: a menu of one example (no choice to offer), with a message saying how to add one
    (autodiff_explorer, {"examples": AUTODIFF_EXAMPLES[:1]}, ValueError, "at least two examples"),
    # chapter 7: a stationary or malformed starting point, a backtracking factor outside (0, 1)
    (ray_explorer, {"xk": (1.0, 1.0)}, ValueError, "xk"),
    (ray_explorer, {"xk": (0.8,)}, ValueError, "xk"),
    (ray_explorer, {"xk": (0.8, NAN)}, ValueError, "xk"),
    (ray_explorer, {"rho": 1.0}, ValueError, "rho"),
    (ray_explorer, {"rho": 0.0}, ValueError, "rho"),
    # chapter 8: an impossible iteration limit
    *[(quasi_newton_race_explorer, {"max_steps": v}, EITHER, "max_steps") for v in (0, -5, 2.5, True, "400")],
    # chapter 9: an empty or fractional run
    *[(strongly_convex_gd_explorer, {"num_steps": v}, EITHER, "num_steps") for v in (0, -3, 2.5, True)],
    # chapter 10: an empty run, too many runs, a start at the saddle or outside the box
    (saddle_escape_explorer, {"num_steps": 0}, ValueError, "num_steps"),
    (saddle_escape_explorer, {"num_steps": 2.5}, ValueError, "num_steps"),
    (saddle_escape_explorer, {"num_runs": 11}, ValueError, "num_runs"),
    (saddle_escape_explorer, {"num_runs": 0}, ValueError, "num_runs"),
    (saddle_escape_explorer, {"start": 0.0}, ValueError, "start"),
    (saddle_escape_explorer, {"start": 2.0}, ValueError, "start"),
    # chapter 11: a width of 1, a huge batch, a fractional width, a negative seed
    (depth_explorer, {"width": 1}, ValueError, "width"),
    (depth_explorer, {"batch": 2000}, ValueError, "batch"),
    (depth_explorer, {"width": 8.0}, ValueError, "width"),
    (depth_explorer, {"seed": -1}, ValueError, "seed"),
]

# (factory, datasets, parameter values, error, what the message must match)
VALUES = [
    # chapter 1: a start that is not a number, a zero learning rate, a zero step d
    (newton_vs_gd_explorer, ["ends"], {"theta0": NAN}, ValueError, "theta0"),
    (newton_vs_gd_explorer, ["ends"], {"lr": 0.0}, ValueError, "learning_rate"),
    (taylor_model_explorer, ["marks"], {"theta0": INF}, ValueError, "theta0"),
    (taylor_model_explorer, ["marks"], {"d": 0.0}, ValueError, "Invalid d"),
    # chapter 2: impossible batch sizes
    (batch_size_explorer, ["cloud"], {"batch_size": 0}, ValueError, "batch_size"),
    (batch_size_explorer, ["cloud"], {"batch_size": 2.5}, ValueError, "batch_size"),
    (batch_size_explorer, ["cloud"], {"batch_size": 41, "replace": False}, ValueError, "at most n"),
    # chapter 3: impossible momenta and learning rates; a parameter it does not have
    *[(momentum_explorer, ["hb_path", "hb_error", "rates"], params, ValueError, match) for params, match in [
        ({"momentum": 1.0}, "momentum"), ({"momentum": -0.1}, "momentum"),
        ({"step": 0.0}, "step"), ({"step": INF}, "step")]],
    (momentum_explorer, ["hb_path"], {"lr": 0.1}, TypeError, "unknown parameter"),
    # chapter 4: impossible multipliers and starting points; a parameter it does not have
    *[(optimizer_race_explorer, ["path", "loss", "final"], params, ValueError, match) for params, match in [
        ({"lr_scale": 0.0}, "lr_scale"), ({"lr_scale": NAN}, "lr_scale"),
        ({"lr_scale": -1.0}, "lr_scale"), ({"start": INF}, "start")]],
    (optimizer_race_explorer, ["path"], {"lr": 1.0}, TypeError, "unknown parameter"),
    # chapter 5: an example index past the menu
    (autodiff_explorer, ["nodes"], {"example": len(AUTODIFF_EXAMPLES)}, ValueError, "example"),
    # chapter 7: a direction that is not a descent direction, a constant outside (0, 1)
    # (c1 >= c2 is shown, not refused: the explorer says the Wolfe search needs c1 < c2)
    *[(ray_explorer, ["steps"], params, ValueError, match) for params, match in [
        ({"angle": 90.0}, "angle"), ({"angle": -120.0}, "angle"), ({"c1": 0.0}, "c1"), ({"c1": 1.5}, "c1"),
        ({"c2": 1.0}, "c2"), ({"c2": -0.5}, "c2")]],
    # chapter 8: a valley steepness b <= 0 (or not a number)
    *[(quasi_newton_race_explorer, ["runs"], {"b": b}, ValueError, "Invalid b") for b in (0.0, -1.0, NAN)],
    # chapter 9: impossible steps and condition numbers; a parameter it does not have
    *[(strongly_convex_gd_explorer, ["distance"], params, ValueError, match) for params, match in [
        ({"step": 0.0}, "step"), ({"step": NAN}, "step"), ({"kappa": 0.5}, "kappa"), ({"kappa": -2.0}, "kappa")]],
    (strongly_convex_gd_explorer, ["distance"], {"eta": 0.1}, TypeError, "unknown parameter"),
    # chapter 10: negative radii and impossible learning rates; a parameter it does not have
    *[(saddle_escape_explorer, ["path"], params, EITHER, match) for params, match in [
        ({"radius": -0.1}, "radius"), ({"radius": NAN}, "radius"), ({"eta": 0.0}, "eta"), ({"eta": 0.5}, "eta"),
        ({"lr": 0.1}, "unknown parameter")]],
    # chapter 11: impossible gains and depths; a parameter it does not have
    *[(depth_explorer, ["backward"], params, EITHER, match) for params, match in [
        ({"gain": 0.0}, "gain"), ({"gain": NAN}, "gain"), ({"depth": 2.5}, "depth"), ({"depth": 500}, "depth"),
        ({"width": 3}, "unknown parameter")]],
]


def _id(factory, arguments) -> str:
    return f"{factory.__name__}-" + "-".join(f"{k}={v!r}" for k, v in arguments.items())


@functools.cache
def _explorer(factory):
    return factory()


@pytest.mark.parametrize("factory, kwargs, error, match", FACTORY, ids=[_id(f, kwargs) for f, kwargs, *_ in FACTORY])
def test_bad_factory_arguments_are_refused(factory, kwargs, error, match):
    """Is an impossible argument of a factory refused when the explorer is built, with a
    message naming it?"""
    with pytest.raises(error, match=match):
        factory(**kwargs)


@pytest.mark.parametrize("factory, datasets, params, error, match", VALUES, ids=[_id(f, params) for f, _, params, *_ in VALUES])
def test_bad_parameter_values_are_refused(factory, datasets, params, error, match):
    """Is an impossible parameter value (or a parameter the explorer does not have) an error
    that names it, for every dataset computed from it?"""
    explorer = _explorer(factory)
    for name in datasets:
        with pytest.raises(error, match=match):
            explorer.frame(name, **params)
