"""Binary arithmetic (``add``, ``mul``, ``pow``, ...) and the ternary helpers (``clamp``,
``lerp``, ``addcmul``), each with its backward formula beside its forward.

Backward formulas are written with tensor ops, so they are differentiable again. They
save only what the gradient of an input that requires grad needs (so ``x.mul_(2)`` on a
non-leaf does not trip the saved-tensor version check).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .._tensor import Tensor, _wrap
from ..autograd.grad_mode import grad_state
from ..autograd.graph import record
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import promote, to_dtype
from ._elementwise import (
    _BOOL,
    ARITH,
    TRUE_DIV,
    _as_tensor,
    _other,
    _write,
    binary,
    broadcast_error,
    shape_of,
)
from ._registry import public

__all__ = ["add", "sub", "mul", "div", "floor_divide", "remainder", "fmod", "pow",
           "float_power", "atan2", "maximum", "minimum", "fmax", "fmin", "clamp", "lerp",
           "addcmul", "addcdiv", "rg"]


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
def add(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    """``input + alpha * other`` with broadcasting and type promotion.

    Example:
        >>> import ember
        >>> ember.add(ember.tensor([1, 2]), ember.tensor([10, 20]), alpha=2)
        tensor([21, 42])
    """
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
    if any(isinstance(v, bool) or (isinstance(v, Tensor) and v._dtype is _BOOL)
           for v in (input, other)):
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
    need_x, need_y = x._requires_grad, _t(y)
    save_y = y if (need_x and isinstance(y, Tensor)) else None
    save_x = x if need_y else None

    def backward(grads: tuple, saved: tuple) -> tuple:
        g = grads[0]
        sx, sy = saved if saved else (None, None)
        gx = g * (sy if sy is not None else y) if need_x else None
        gy = g * sx if need_y else None
        return gx, gy

    saved = (save_x, save_y) if (save_x is not None or save_y is not None) else ()
    if saved:
        saved = tuple(t if t is not None else _NONE for t in saved)
    record("MulBackward0", _unwrap_none(backward), (x, y), (res,), tuple(
        t for t in saved))


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


# ---------------------------------------------------------------------------- pow
@public()
def pow(input: Any, exponent: Any, *, out: Tensor | None = None) -> Tensor:
    """``input ** exponent`` with broadcasting; integers to negative integer powers raise.

    Example:
        >>> import ember
        >>> ember.pow(ember.tensor([1, 2, 3]), 2)
        tensor([1, 4, 9])
    """
    if not isinstance(input, Tensor):  # number ** tensor
        base = input
        dt = promote(exponent, base)
        if dt.kind in "bi":
            _check_neg_int_pow(exponent)
        res = binary("pow", "pow", exponent, base, reverse=True)
        if rg(exponent):
            record("PowBackward2", lambda g, s: (g[0] * res.detach() * math.log(base),),
                   (exponent,), (res,))
        return _write(res, out)
    dt = promote(input, _other("pow", input, exponent))
    if dt.kind in "bi":
        _check_neg_int_pow(exponent)
    res = binary("pow", "pow", input, exponent)
    if rg(input, exponent):
        _record_pow(res, input, exponent)
    return _write(res, out)


def _record_pow(res: Tensor, x: Tensor, e: Any) -> None:
    if not isinstance(e, Tensor):
        def backward(grads: tuple, saved: tuple) -> tuple:
            if e == 0:
                return (grads[0] * 0,)
            return (grads[0] * e * pow(saved[0], e - 1),)

        record("PowBackward0", backward, (x,), (res,), (x,))
        return
    need_x, need_e = x._requires_grad, e._requires_grad

    def backward2(grads: tuple, saved: tuple) -> tuple:
        g = grads[0]
        sx, se, r = saved
        gx = g * se * pow(sx, se - 1) if need_x else None
        if need_e:
            from ._elementwise import logical_and, where
            from ._unary import log

            mask = logical_and(sx == 0, se >= 0)
            ge = where(mask, 0.0, g * r * log(sx))
        else:
            ge = None
        return gx, ge

    record("PowBackward1", backward2, (x, e), (res,), (x, e, res.detach()))


def _check_neg_int_pow(exponent: Any) -> None:
    if isinstance(exponent, Tensor):
        if exponent._dtype.kind == "i":
            be = exponent._backend
            neg = be.to_list(be.any(be.lt(exponent._data, 0),
                                    tuple(range(len(shape_of(exponent)))), False))
            if neg:
                raise RuntimeError("Integers to negative integer powers are not allowed.")
    elif isinstance(exponent, int) and not isinstance(exponent, bool) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")


@public()
def float_power(input: Any, exponent: Any) -> Tensor:
    """``pow`` computed in float64 (complex128 for complex input)."""
    dt = D.complex128 if (isinstance(input, Tensor) and input._dtype.is_complex) else D.float64
    if isinstance(input, Tensor):
        input = input.to(dt)
    if isinstance(exponent, Tensor):
        exponent = exponent.to(dt)
    return pow(input, exponent)


@public(aliases=("arctan2",))
def atan2(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:
    """Elementwise arctangent of ``input / other`` with the quadrant of the signs."""
    res = binary("atan2", "atan2", input, other, TRUE_DIV)
    if rg(input, other):
        tensor_other = isinstance(other, Tensor)

        def backward(grads: tuple, saved: tuple) -> tuple:
            g = grads[0]
            x, y = saved if tensor_other else (saved[0], other)
            denom = x * x + y * y
            return g * y / denom, (-g * x / denom if tensor_other else None)

        record("Atan2Backward0", backward, (input, other), (res,),
               (input, other) if tensor_other else (input,))
    return _write(res, out)


arctan2 = atan2


# ---------------------------------------------------------------------------- max / min
def _extremum(name: str, prim: str, node: str, input: Tensor, other: Any,
              out: Tensor | None) -> Tensor:
    if not isinstance(other, Tensor):
        raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    res = binary(name, prim, input, other, ARITH)
    if rg(input, other):
        def backward(grads: tuple, saved: tuple) -> tuple:
            # As PyTorch: ties split the gradient, nan sends it to both sides.
            g = grads[0]
            x, y = saved
            half = (g / 2).where(x == y, g)
            loses_x, loses_y = ((x < y), (x > y)) if prim == "maximum" else ((x > y), (x < y))
            return half.where(~loses_x, 0.0), half.where(~loses_y, 0.0)

        record(node, backward, (input, other), (res,), (input, other))
    return _write(res, out)


@public()
def maximum(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Elementwise maximum; nan propagates."""
    return _extremum("maximum", "maximum", "MaximumBackward0", input, other, out)


@public()
def minimum(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Elementwise minimum; nan propagates."""
    return _extremum("minimum", "minimum", "MinimumBackward0", input, other, out)


def _nan_ignoring(name: str, pick: Callable, input: Tensor, other: Tensor,
                  out: Tensor | None) -> Tensor:
    from ._elementwise import isnan, where

    grad = grad_state.enabled
    grad_state.enabled = False
    try:
        res = pick(where(isnan(input), other, input), where(isnan(other), input, other))
    finally:
        grad_state.enabled = grad
    if rg(input, other):
        def backward(grads: tuple, saved: tuple) -> tuple:
            # PyTorch's rule: the gradient goes to ``input`` where it wins or ties (or
            # ``other`` is nan), else to ``other``.
            x, y = saved
            to_x = ((x >= y) if name == "fmax" else (x <= y)) | (y != y)
            return grads[0].where(to_x, 0.0), grads[0].where(~to_x, 0.0)

        record(f"{name.capitalize()}Backward0", backward, (input, other), (res,),
               (input, other))
    return _write(res, out)


@public()
def fmax(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Elementwise maximum ignoring nan (nan only where both are nan)."""
    return _nan_ignoring("fmax", maximum, input, other, out)


@public()
def fmin(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Elementwise minimum ignoring nan (nan only where both are nan)."""
    return _nan_ignoring("fmin", minimum, input, other, out)


# ---------------------------------------------------------------------------- ternary
@public(aliases=("clip",))
def clamp(input: Tensor, min: Any = None, max: Any = None, *, out: Tensor | None = None
          ) -> Tensor:
    """Clamp every element into ``[min, max]`` (either bound may be a tensor or None).

    Example:
        >>> import ember
        >>> ember.clamp(ember.tensor([-2., 0.5, 3.]), min=-1, max=1)
        tensor([-1.0000,  0.5000,  1.0000])
    """
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    from .._promotion import category

    dt = input._dtype
    for bound in (min, max):
        if bound is not None:
            dt_b = promote(input, _other("clamp", input, bound))
            if category(dt_b) > category(dt):
                dt = dt_b
    be = input._backend
    lo = to_dtype(min, dt) if isinstance(min, Tensor) else min
    hi = to_dtype(max, dt) if isinstance(max, Tensor) else max
    try:
        data = be.clip(to_dtype(input, dt), lo, hi)
    except Exception as exc:
        shapes = [shape_of(t) for t in (input, min, max) if isinstance(t, Tensor)]
        raise broadcast_error("clamp", shapes, exc) from None
    res = _wrap(data, dt, be)
    if rg(input, min) or rg(input, max):
        tensor_bounds = isinstance(min, Tensor) or isinstance(max, Tensor)

        def backward(grads: tuple, saved: tuple) -> tuple:
            # PyTorch's clamp_backward_min_max: with min > max everything is max.
            x = saved[0]
            keep = None
            if min is not None:
                keep = x >= min
            if max is not None:
                k2 = x <= max
                keep = k2 if keep is None else keep & k2
            g = grads[0]
            gx = g.where(keep, 0.0)
            if not tensor_bounds:
                return (gx,)
            glo = ghi = None
            if _t(min):
                below = x < min
                glo = g.where(below & (min < max) if max is not None else below, 0.0)
            if _t(max):
                above = x > max
                ghi = g.where(above | (max < min) if min is not None else above, 0.0)
            return gx, glo, ghi

        if tensor_bounds:
            record("ClampBackward0", backward, (input, min, max), (res,), (input,))
        else:
            record("ClampBackward1", backward, (input,), (res,), (input,))
    return _write(res, out)


clip = clamp


def _lerp_backward(ctx: Any, g: Tensor) -> tuple:
    input, end = ctx.args[0], ctx.args[1]
    w = ctx.args[2] if len(ctx.args) > 2 else ctx.kwargs["weight"]
    gw = g * (end - input) if _t(w) and w._requires_grad else None
    return g * (1 - w), g * w, gw


def _three(args: tuple, kwargs: dict) -> tuple:
    return tuple(args[:3]) + tuple(kwargs[k] for k in ("end", "weight", "tensor1", "tensor2")
                                   if k in kwargs)


@public()
@differentiable(lambda ctx: "LerpBackward1" if _t(ctx.inputs[2]) else "LerpBackward0",
                _lerp_backward, inputs=_three)
def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """``input + weight * (end - input)``, computed as PyTorch does: from ``end`` when
    ``weight >= 0.5`` (``end - (end - input) * (1 - weight)``), so ``lerp(a, b, 1) == b``
    exactly, also for infinite ``b``."""
    from ._elementwise import where

    diff = sub(end, input)
    low = add(input, mul(diff, weight))
    if not isinstance(weight, Tensor):
        return low if weight < 0.5 else sub(end, mul(diff, 1 - weight))
    return where(weight < 0.5, low, sub(end, mul(diff, sub(1, weight))))


def _addcmul_backward(ctx: Any, g: Tensor) -> tuple:
    _, t1, t2 = ctx.inputs
    v = ctx.kwargs.get("value", 1)
    return g, g * t2 * v, g * t1 * v


@public()
@differentiable("AddcmulBackward0", _addcmul_backward, inputs=_three)
def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """``input + value * tensor1 * tensor2``."""
    prod = mul(tensor1, tensor2)
    return add(input, mul(prod, value) if value != 1 else prod)


def _addcdiv_backward(ctx: Any, g: Tensor) -> tuple:
    _, t1, t2 = ctx.inputs
    v = ctx.kwargs.get("value", 1)
    return g, g * v / t2, -g * v * t1 / (t2 * t2)


@public()
@differentiable("AddcdivBackward0", _addcdiv_backward, inputs=_three)
def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """``input + value * tensor1 / tensor2``."""
    if tensor1._dtype.kind in "bi" and tensor2._dtype.kind in "bi":
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a "
                           "future release addcdiv will perform a true division of tensor1 and "
                           "tensor2. The historic addcdiv behavior can be implemented as "
                           "(input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
                           "integer inputs and as (input + value * tensor1 / tensor2) for float "
                           "inputs. The future addcdiv behavior is just the latter "
                           "implementation: (input + value * tensor1 / tensor2), for all dtypes.")
    q = div(tensor1, tensor2)
    return add(input, mul(q, value) if value != 1 else q)
