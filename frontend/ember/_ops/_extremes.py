"""Extreme-value reductions: max, min (with indices along a dim), amax, amin, aminmax,
argmax and argmin, with their backward (ties share the gradient; nan as PyTorch)."""

from __future__ import annotations

import builtins
from typing import Any

from .. import return_types as R
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import norm_dim, shape_of
from ._elementwise import maximum, minimum
from ._grad_utils import at_index, distribute
from ._reduction import (
    check_nonempty,
    check_real,
    numel_of,
    numpy_dim,
    numpy_keywords,
    out_shape,
    reduce_axes,
    write,
)
from ._registry import public

__all__ = ["max", "min", "amax", "amin", "aminmax", "argmax", "argmin"]


def _full_extreme(op: str, prim: str, input: Tensor, axes: tuple[int, ...], keepdim: bool
                  ) -> Tensor:
    be = input._backend
    shape = shape_of(input)
    if numel_of(shape) == 0:
        if len(axes) == len(shape) or builtins.any(shape[a] == 0 for a in axes):
            if len(axes) == len(shape):
                raise RuntimeError(f"{op}(): Expected reduction dim to be specified for "
                                   f"input.numel() == 0. Specify the reduction dim with the "
                                   f"'dim' argument.")
            check_nonempty(op, shape, axes)
        return _wrap(be.full(out_shape(shape, axes, keepdim), 0, input._dtype), input._dtype, be)
    return _wrap(getattr(be, prim)(input._data, axes, keepdim), input._dtype, be)


def _with_indices(op: str, prim: str, arg: str, input: Tensor, dim: Any, keepdim: bool):
    be = input._backend
    shape = shape_of(input)
    d = norm_dim(dim, len(shape), op)
    if not shape:
        return _wrap(be.copy(input._data), input._dtype, be), _wrap(be.full((), 0, D.int64),
                                                                     D.int64, be)
    check_nonempty(op, shape, (d,))
    if numel_of(shape) == 0:
        oshape = out_shape(shape, (d,), keepdim)
        return (_wrap(be.full(oshape, 0, input._dtype), input._dtype, be),
                _wrap(be.full(oshape, 0, D.int64), D.int64, be))
    values = _wrap(getattr(be, prim)(input._data, (d,), keepdim), input._dtype, be)
    return values, _wrap(getattr(be, arg)(input._data, d, keepdim), D.int64, be)


@public()
def max(input: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
        keepdims: bool | None = None, out: Any = None) -> Any:
    """The largest element (a 0-d tensor); with ``dim``, ``(values, indices)`` along it;
    with a tensor ``other`` in place of ``dim``, the elementwise :func:`maximum`.

    nan propagates and its index is reported. Example:
        >>> import ember
        >>> ember.tensor([[1, 5], [4, 2]]).max(dim=1).values
        tensor([5, 4])
    """
    check_real("max", input)
    if isinstance(dim, Tensor):
        return maximum(input, dim, out=out)
    if axis is not None or keepdims is not None:
        dim, keepdim = numpy_dim("max", dim, keepdim, axis, keepdims)
    return _max(input, dim, keepdim, out)


@differentiable(lambda ctx: "MaxBackward" + ("1" if ctx.args[1] is None else "0"),
                lambda ctx, g, _i=None: _extreme_backward(ctx, g), save_output=True)
def _max(input: Tensor, dim: Any, keepdim: bool, out: Any) -> Any:
    if dim is None:
        return write(_full_extreme("max", "max", input, reduce_axes(input, None, "max"),
                                   False), out)
    return R.max(_with_indices("max", "max", "argmax", input, dim, keepdim))


@public()
def min(input: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
        keepdims: bool | None = None, out: Any = None) -> Any:
    """The smallest element; with ``dim``, ``(values, indices)``; with a tensor, the
    elementwise :func:`minimum` (see :func:`max`)."""
    check_real("min", input)
    if isinstance(dim, Tensor):
        return minimum(input, dim, out=out)
    if axis is not None or keepdims is not None:
        dim, keepdim = numpy_dim("min", dim, keepdim, axis, keepdims)
    return _min(input, dim, keepdim, out)


@differentiable(lambda ctx: "MinBackward" + ("1" if ctx.args[1] is None else "0"),
                lambda ctx, g, _i=None: _extreme_backward(ctx, g), save_output=True)
def _min(input: Tensor, dim: Any, keepdim: bool, out: Any) -> Any:
    if dim is None:
        return write(_full_extreme("min", "min", input, reduce_axes(input, None, "min"),
                                   False), out)
    return R.min(_with_indices("min", "min", "argmin", input, dim, keepdim))


def _extreme_backward(ctx: Any, g: Tensor) -> Tensor:
    x, dim, keepdim = ctx.input, ctx.arg(1, "dim"), ctx.arg(2, "keepdim", False)
    if g is None:
        return None
    out = ctx.out
    if isinstance(out, tuple):  # (values, indices) along dim
        return at_index(g, x, norm_dim(dim, x.dim() or 1), out[1], keepdim)
    return distribute(g, x, out, reduce_axes(x, dim, "max"), keepdim, nan_first=True)


def _amax_backward(ctx: Any, g: Tensor) -> Tensor:
    x, keepdim = ctx.input, ctx.arg(2, "keepdim", False)
    return distribute(g, x, ctx.out, reduce_axes(x, ctx.arg(1, "dim", ()), "amax"), keepdim)


@public()
@numpy_keywords
@differentiable("AmaxBackward0", _amax_backward, save_output=True)
def amax(input: Tensor, dim: Any = (), keepdim: bool = False, *, out: Tensor | None = None
         ) -> Tensor:
    """The maximum over ``dim`` (every dimension by default); nan propagates."""
    check_real("amax", input)
    return write(_full_extreme("amax", "max", input, reduce_axes(input, dim, "amax"), keepdim),
                 out)


@public()
@numpy_keywords
@differentiable("AminBackward0", _amax_backward, save_output=True)
def amin(input: Tensor, dim: Any = (), keepdim: bool = False, *, out: Tensor | None = None
         ) -> Tensor:
    """The minimum over ``dim`` (every dimension by default); nan propagates."""
    check_real("amin", input)
    return write(_full_extreme("amin", "min", input, reduce_axes(input, dim, "amin"), keepdim),
                 out)


def _aminmax_backward(ctx: Any, gmin: Tensor | None, gmax: Tensor | None) -> Tensor:
    x, dim, keepdim = ctx.input, ctx.kwargs.get("dim"), ctx.kwargs.get("keepdim", False)
    axes = reduce_axes(x, dim, "aminmax")
    parts = [distribute(g, x, o, axes, keepdim) for g, o in zip((gmin, gmax), ctx.out)
             if g is not None]
    return parts[0] + parts[1] if len(parts) == 2 else parts[0]


@public()
@numpy_keywords
@differentiable("AminmaxBackward0", _aminmax_backward, save_output=True)
def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> Any:
    """``(min, max)`` over ``dim`` (every dimension when None), as a named tuple."""
    check_real("aminmax", input)
    shape = shape_of(input)
    axes = reduce_axes(input, dim, "aminmax") if dim is None else (
        (norm_dim(dim, len(shape), "aminmax"),) if shape else ())
    if builtins.any(shape[a] == 0 for a in axes) or (dim is None and numel_of(shape) == 0):
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                           "operation has no identity.")
    return R.aminmax((_full_extreme("aminmax", "min", input, axes, keepdim),
                      _full_extreme("aminmax", "max", input, axes, keepdim)))


def _arg(op: str, input: Tensor, dim: Any, keepdim: bool) -> Tensor:
    check_real(op, input, RuntimeError)
    if input._dtype is D.bool_:
        raise RuntimeError(f"{op}(): does not support bool input")
    be = input._backend
    shape = shape_of(input)
    if dim is None:
        if numel_of(shape) == 0:
            raise IndexError(f"{op}(): Expected reduction dim to be specified for "
                             f"input.numel() == 0.")
        flat = be.reshape(input._data, (numel_of(shape),))
        res = getattr(be, op)(flat, 0, False)
        if keepdim:
            res = be.reshape(res, (1,) * len(shape))
        return _wrap(res, D.int64, be)
    d = norm_dim(dim, len(shape), op)
    if not shape:
        return _wrap(be.full((), 0, D.int64), D.int64, be)
    check_nonempty(op, shape, (d,))
    if numel_of(shape) == 0:
        return _wrap(be.full(out_shape(shape, (d,), keepdim), 0, D.int64), D.int64, be)
    return _wrap(getattr(be, op)(input._data, d, keepdim), D.int64, be)


@public()
def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False, *,
           axis: int | None = None, keepdims: bool | None = None) -> Tensor:
    """Index of the first maximum (of the flattened tensor when ``dim`` is None)."""
    if axis is not None or keepdims is not None:
        dim, keepdim = numpy_dim("argmax", dim, keepdim, axis, keepdims)
    return _arg("argmax", input, dim, keepdim)


@public()
def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False, *,
           axis: int | None = None, keepdims: bool | None = None) -> Tensor:
    """Index of the first minimum (of the flattened tensor when ``dim`` is None)."""
    if axis is not None or keepdims is not None:
        dim, keepdim = numpy_dim("argmin", dim, keepdim, axis, keepdims)
    return _arg("argmin", input, dim, keepdim)
