"""Argument checks shared by the transform classes (torchvision's ``_setup_size`` & co)."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import ember

from ._functional_affine import round_f32
from .functional import InterpolationMode, _interpolation

__all__ = ["setup_size", "check_sequence_input", "setup_angle", "interpolation_arg",
           "uniform", "draw_below"]


def setup_size(size: Any, error_msg: str) -> Any:
    """``(size, size)`` for a number or a 1-sequence; a 2-sequence as it is."""
    if isinstance(size, numbers.Number):
        return int(size), int(size)
    if isinstance(size, Sequence) and len(size) == 1:
        return size[0], size[0]
    if len(size) != 2:
        raise ValueError(error_msg)
    return size


def check_sequence_input(x: Any, name: str, req_sizes: tuple[int, ...]) -> None:
    msg = req_sizes[0] if len(req_sizes) < 2 else " or ".join([str(s) for s in req_sizes])
    if not isinstance(x, Sequence):
        raise TypeError(f"{name} should be a sequence of length {msg}.")
    if len(x) not in req_sizes:
        raise ValueError(f"{name} should be a sequence of length {msg}.")


def setup_angle(x: Any, name: str, req_sizes: tuple[int, ...] = (2,)) -> list[float]:
    """``[-x, x]`` for a non-negative number, else the checked sequence, as floats."""
    if isinstance(x, numbers.Number):
        if x < 0:
            raise ValueError(f"If {name} is a single number, it must be positive.")
        x = [-x, x]
    else:
        check_sequence_input(x, name, req_sizes)
    return [float(d) for d in x]


def interpolation_arg(interpolation: Any) -> InterpolationMode:
    """An :class:`InterpolationMode` from the enum or (deprecated) a Pillow integer."""
    if isinstance(interpolation, int):
        import warnings

        warnings.warn("Argument 'interpolation' of type int is deprecated since 0.13 and will "
                      "be removed in 0.15. Please use InterpolationMode enum.", stacklevel=3)
    return _interpolation(interpolation)


def uniform(low: float, high: float) -> float:
    """One draw from U(low, high) on Ember's default generator: the value (and stream
    position) of ``torch.empty(1).uniform_(low, high).item()``, for a fraction of its cost.

    ``uniform_`` scales a default-dtype ``rand`` draw in float64 and rounds the result to
    the default dtype; so does this, in Python floats, for float32 and float64 defaults.
    """
    low, high = float(low), float(high)
    u = ember.rand(1)
    if u.dtype not in (ember.float32, ember.float64):  # 16-bit default dtype: the long way
        return float(ember.empty(1).uniform_(low, high).item())
    value = u.item()
    if low == 0.0 and high == 1.0:
        return value
    value = value * (high - low) + low
    return round_f32(value) if u.dtype == ember.float32 else value


def draw_below(p: float) -> bool:
    """``bool(torch.rand(1) < p)``: the tensor comparison rounds ``p`` to the default dtype
    (clamping ``p`` to ``[-1, 2]`` first changes no outcome, as the draw is in ``[0, 1)``)."""
    u = ember.rand(1)
    if u.dtype not in (ember.float32, ember.float64):
        return bool(u < p)
    bound = min(max(float(p), -1.0), 2.0)
    return u.item() < (round_f32(bound) if u.dtype == ember.float32 else bound)

