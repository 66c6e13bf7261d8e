"""Elementwise extremes and ternary ops: maximum, minimum, fmax, fmin, clamp, lerp,
addcmul and addcdiv, each with its backward (PyTorch's rules for ties and nan)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._tensor import Tensor, _wrap
from ..autograd.grad_mode import grad_state
from ..autograd.graph import record
from ._arith import _t, add, div, mul, rg, sub
from ._autodiff import differentiable
from ._common import promote, to_dtype
from ._elementwise import ARITH, _other, _tname, _write, binary, broadcast_error, shape_of
from ._real_only import refusal
from ._registry import public

__all__ = ["maximum", "minimum", "fmax", "fmin", "clamp", "clip", "lerp", "addcmul",
           "addcdiv"]


# ---------------------------------------------------------------------------- max / min
def _extremum(name: str, prim: str, node: str, input: Tensor, other: Any,
              out: Tensor | None) -> Tensor:
    if not isinstance(other, Tensor):
        raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    _refuse_complex(name, input, other, RuntimeError)
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


def _refuse_complex(name: str, input: Any, other: Any, exc: type[Exception]) -> None:
    """PyTorch's ``exc`` when a tensor operand is complex (complex has no order)."""
    for t in (input, other):
        if isinstance(t, Tensor) and t._dtype.kind == "c":
            raise refusal(name, exc, t._dtype)


def _nan_ignoring(name: str, pick: Callable, input: Tensor, other: Tensor,
                  out: Tensor | None) -> Tensor:
    _refuse_complex(name, input, other, RuntimeError)
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
    if input._dtype.kind == "c":  # (relu, relu6 and hardtanh refuse here too, as PyTorch's)
        raise refusal("clamp", NotImplementedError, input._dtype)
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
    if isinstance(input, Tensor) and input._dtype.kind in "bi":
        kernel = "tensor" if isinstance(weight, Tensor) else "scalar"
        raise NotImplementedError(f'"lerp_kernel_{kernel}" not implemented for '
                                  f"'{_tname(input._dtype)}'")
    diff = sub(end, input)
    if not isinstance(weight, Tensor):  # one branch only: 3 kernels, not 5
        if weight < 0.5:
            return add(input, mul(diff, weight))
        return sub(end, mul(diff, 1 - weight))
    from ._elementwise import where

    low = add(input, mul(diff, weight))
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
