"""Binary arithmetic (``add``, ``mul``, ``div``, ``pow``, ...), each with its backward
formula beside its forward (maximum/minimum, clamp and the ternary ops are in ``_minmax``).

Backward formulas are written with tensor ops, so they are differentiable again. They
save only what the gradient of an input that requires grad needs (so ``x.mul_(2)`` on a
non-leaf does not trip the saved-tensor version check).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .._tensor import Tensor
from ..autograd.grad_mode import grad_state
from ..autograd.graph import record
from ._common import promote
from ._elementwise import (
    _BOOL,
    TRUE_DIV,
    _as_tensor,
    _other,
    _write,
    binary,
    shape_of,
)
from ._registry import public

__all__ = ["add", "sub", "mul", "div", "floor_divide", "remainder", "fmod", "pow",
           "float_power", "atan2", "rg"]


def rg(a: Any, b: Any = None) -> bool:
    """True when the op on ``a`` (and ``b``) must be recorded for autograd."""
    return (a._requires_grad or (isinstance(b, Tensor) and b._requires_grad)) and \
        grad_state.enabled


def _t(x: Any) -> bool:
    return isinstance(x, Tensor) and x._requires_grad


def _scale(other: Any, alpha: Any) -> Any:
    if alpha == 1:
        return other
    return mul(other, alpha) if isinstance(other, Tensor) else other * alpha


def _check_alpha(input: Tensor, other: Any, alpha: Any) -> None:
    if alpha != 1 and isinstance(alpha, float) and input._dtype.kind in "bi" and (
        not isinstance(other, Tensor) or other._dtype.kind in "bi"
    ):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")


# ---------------------------------------------------------------------------- add / sub
@public()
def add(input: Any, other: Any, *args: Any, alpha: Any = 1, out: Tensor | None = None
        ) -> Tensor:
    """``input + alpha * other`` with broadcasting and type promotion.

    The deprecated form ``add(input, value, other)`` means ``input + value * other`` (with
    PyTorch's deprecation warning).

    Example:
        >>> import ember
        >>> ember.add(ember.tensor([1, 2]), ember.tensor([10, 20]), alpha=2)
        tensor([21, 42])
    """
    if args:
        if len(args) != 1 or isinstance(other, Tensor) or not isinstance(args[0], Tensor):
            raise TypeError(f"add() takes 2 positional arguments but {2 + len(args)} were "
                            f"given")
        import warnings

        warnings.warn("This overload of add is deprecated:\n\tadd(Tensor input, Number alpha, "
                      "Tensor other)\nConsider using one of the following signatures instead:"
                      "\n\tadd(Tensor input, Tensor other, *, Number alpha = 1)",
                      UserWarning, stacklevel=2)
        other, alpha = args[0], other
    if not isinstance(input, Tensor):
        input, other = other, input
    elif alpha != 1:
        _check_alpha(input, other, alpha)
        other = _scale(other, alpha)
    res = binary("add", "add", input, other)
    if rg(input, other):
        record("AddBackward0", _add_backward, (input, other), (res,))
    return _write(res, out)


def _add_backward(grads: tuple, saved: tuple) -> tuple:
    return grads[0], grads[0]


@public(aliases=("subtract",))
def sub(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    """``input - alpha * other``. Two bool operands are rejected, as in PyTorch."""
    if _is_bool(input) or _is_bool(other):
        both = all(isinstance(v, bool) or (isinstance(v, Tensor) and v._dtype is _BOOL)
                   for v in (input, other))
        if both:
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                               "supported. Use the `^` or `logical_xor()` operator instead.")
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    if not isinstance(input, Tensor):  # number - tensor
        res = binary("sub", "sub", other, input, reverse=True)
        if rg(other):
            record("RsubBackward1", lambda g, s: (-g[0],), (other,), (res,))
        return _write(res, out)
    if alpha != 1:
        _check_alpha(input, other, alpha)
        other = _scale(other, alpha)
    res = binary("sub", "sub", input, other)
    if rg(input, other):
        record("SubBackward0", _sub_backward, (input, other), (res,))
    return _write(res, out)


def _is_bool(v: Any) -> bool:
    return v._dtype is _BOOL if isinstance(v, Tensor) else isinstance(v, bool)


def _sub_backward(grads: tuple, saved: tuple) -> tuple:
    return grads[0], -grads[0]


subtract = sub


# ---------------------------------------------------------------------------- mul / div
@public(aliases=("multiply",))
def mul(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """``input * other`` with broadcasting and type promotion."""
    if not isinstance(input, Tensor):
        input, other = other, input
    res = binary("mul", "mul", input, other)
    if rg(input, other):
        _record_mul(res, input, other)
    return _write(res, out)


def _record_mul(res: Tensor, x: Tensor, y: Any) -> None:
    need_x = x._requires_grad
    if isinstance(y, Tensor):
        if y._requires_grad:
            if need_x:
                record("MulBackward0", _mul_backward_xy, (x, y), (res,), (x, y))
            else:
                record("MulBackward0", _mul_backward_y, (x, y), (res,), (x,))
        else:
            record("MulBackward0", _mul_backward_x, (x, y), (res,), (y,))
    else:
        record("MulBackward0", functools.partial(_mul_backward_number, y), (x, y), (res,))


def _mul_backward_xy(grads: tuple, saved: tuple) -> tuple:
    g = grads[0]
    return g * saved[1], g * saved[0]


def _mul_backward_x(grads: tuple, saved: tuple) -> tuple:
    return grads[0] * saved[0], None


def _mul_backward_y(grads: tuple, saved: tuple) -> tuple:
    return None, grads[0] * saved[0]


def _mul_backward_number(y: Any, grads: tuple, saved: tuple) -> tuple:
    return grads[0] * y, None


class _NoneSaved:
    """Placeholder for an unsaved slot (keeps positions; version 0 forever)."""

    _version = 0


_NONE = _NoneSaved()


def _unwrap_none(fn):
    def inner(grads: tuple, saved: tuple) -> tuple:
        return fn(grads, tuple(None if s is _NONE else s for s in saved))

    return inner


multiply = mul


@public(aliases=("divide", "true_divide"))
def div(input: Any, other: Any, *, rounding_mode: str | None = None,
        out: Tensor | None = None) -> Tensor:
    """``input / other``; ``rounding_mode`` None (true division, integers give floats),
    ``"trunc"`` or ``"floor"`` (integers stay integers).

    Example:
        >>> import ember
        >>> ember.div(ember.tensor([7, -7]), 2, rounding_mode="floor")
        tensor([ 3, -4])
    """
    if not isinstance(input, Tensor):
        if rounding_mode is None:  # number / tensor = number * reciprocal(tensor)
            from ._unary import reciprocal

            return _write(mul(reciprocal(other), input), out)
        input = _as_tensor(input, other)
    if rounding_mode is None:
        res = binary("div", "div", input, other, TRUE_DIV)
        if rg(input, other):
            _record_div(res, input, other)
        return _write(res, out)
    if rounding_mode not in ("floor", "trunc"):
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{rounding_mode}'")
    grad = grad_state.enabled
    grad_state.enabled = False
    try:
        res = _rounded_div(input, other, rounding_mode)
    finally:
        grad_state.enabled = grad
    if rg(input, other) and res._dtype.kind in "fc":
        # Piecewise constant: PyTorch records DivBackward2 with zero gradients.
        record("DivBackward2", lambda g, s: (g[0] * 0, g[0] * 0 if _t(other) else None),
               (input, other), (res,))
    return _write(res, out)


def _rounded_div(input: Tensor, other: Any, rounding_mode: str) -> Tensor:
    if rounding_mode == "floor":
        return floor_divide(input, other)
    if rounding_mode == "trunc":
        dt = promote(input, _other("div", input, other))
        if dt.kind in "bi":
            from ._elementwise import logical_and, lt, ne

            q = floor_divide(input, other)
            r = remainder(input, other)
            # floor and trunc differ by one where the division is inexact and the signs differ
            fix = logical_and(ne(r, 0), ne(lt(input, 0), lt(_as_tensor(other, input), 0)))
            return add(q, fix.to(dt))
        from ._unary import trunc

        return trunc(binary("div", "div", input, other, TRUE_DIV))


def _record_div(res: Tensor, x: Tensor, y: Any) -> None:
    need_x, need_y = x._requires_grad, _t(y)

    def backward(grads: tuple, saved: tuple) -> tuple:
        g = grads[0]
        sx, sy = saved if saved else (None, y)
        gx = g / sy if need_x else None
        gy = -g * sx / (sy * sy) if need_y else None
        return gx, gy

    if isinstance(y, Tensor):
        saved = (x if need_y else _NONE, y)
        record("DivBackward0", _unwrap_none(backward), (x, y), (res,), saved)
    else:
        record("DivBackward0", lambda g, s: (g[0] / y,), (x,), (res,))


divide = div
true_divide = div


# ---------------------------------------------------------------------------- integer-style
def _check_int_zero(op: str, input: Tensor, other: Any) -> None:
    dt = promote(input, _other(op, input, other))
    if dt.kind in "bi":
        if isinstance(other, Tensor):
            be = other._backend
            zero = be.to_list(be.any(be.eq(other._data, 0), tuple(range(len(shape_of(other)))),
                                     False))
        else:
            zero = other == 0
        if zero:
            raise RuntimeError("ZeroDivisionError")


@public()
def floor_divide(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """``floor(input / other)``; integer division by zero raises
    ``RuntimeError("ZeroDivisionError")`` as PyTorch does. Not differentiable."""
    if not isinstance(input, Tensor):
        input = _as_tensor(input, other)
    _check_int_zero("floor_divide", input, other)
    res = binary("floor_divide", "floor_divide", input, other)
    if rg(input, other) and res._dtype.kind == "f":
        record("torch::autograd::NotImplemented", _not_implemented("floor_divide"),
               (input, other), (res,))
    return _write(res, out)


def _not_implemented(op: str) -> Callable:
    def backward(grads: tuple, saved: tuple) -> tuple:
        raise RuntimeError(f"the derivative for '{op}' is not implemented.")

    return backward


@public()
def remainder(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """Python's ``%``: the result has the sign of ``other``."""
    if not isinstance(input, Tensor):
        input = _as_tensor(input, other)
    _check_int_zero("remainder", input, other)
    res = binary("remainder", "remainder", input, other)
    if rg(input, other):
        y = other

        def backward(grads: tuple, saved: tuple) -> tuple:
            g = grads[0]
            return g, (-g * floor_divide(input.detach(), y.detach()) if _t(y) else None)

        record("RemainderBackward1" if _t(other) else "RemainderBackward0", backward,
               (input, other), (res,))
    return _write(res, out)


@public()
def fmod(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:
    """C's ``fmod``: the result has the sign of ``input``."""
    _check_int_zero("fmod", input, other)
    res = binary("fmod", "fmod", input, other)
    if rg(input, other):
        y = other

        def backward(grads: tuple, saved: tuple) -> tuple:
            g = grads[0]
            if not _t(y):
                return g, None
            return g, -g * div(input.detach(), y.detach(), rounding_mode="trunc")

        record("FmodBackward1" if _t(other) else "FmodBackward0", backward, (input, other),
               (res,))
    return _write(res, out)


# pow, float_power and atan2 live in ``_power`` (registered here, after fmod, as before).
from ._power import arctan2, atan2, float_power, pow  # noqa: E402, F401
