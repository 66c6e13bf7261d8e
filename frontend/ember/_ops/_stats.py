"""Statistics: var, std (and their ``_mean`` forms), histc, bincount, and the comparisons
equal, isclose, allclose. The order statistics (median, quantile, ...) are in
``_order_stats``.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from .._defaults import get_default_dtype
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import check_device, shape_of, to_dtype
from ._elementwise import _tname
from ._grad_utils import unreduce
from ._reduction import (
    acc_dtype,
    check_tensor,
    numel_of,
    numpy_keywords,
    out_shape,
    reduce_axes,
    write,
)
from ._registry import public

__all__ = ["var", "std", "var_mean", "std_mean", "histc", "bincount", "equal", "isclose",
           "allclose"]


# ---------------------------------------------------------------------------- var / std
def _var_args(op: str, dim: Any, unbiased: Any, correction: Any, axis: Any) -> tuple:
    if isinstance(dim, bool):  # var(input, unbiased)
        dim, unbiased = None, dim
    if dim is None and axis is not None:
        dim = axis
    if unbiased is not None and correction is not None:
        raise RuntimeError(f"{op}: can't specify both unbiased and correction")
    if correction is None:
        correction = 1 if unbiased is None else int(bool(unbiased))
    return dim, correction


def _var(op: str, input: Tensor, dim: Any, correction: Any, keepdim: bool) -> tuple:
    """``(variance, mean)`` arrays in the accumulation dtype, and the result dtypes."""
    check_tensor(op, input)
    dt = input._dtype
    if dt.kind not in "fc":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    be = input._backend
    acc = acc_dtype(dt)
    x = to_dtype(input, acc)
    shape = shape_of(input)
    axes = reduce_axes(input, dim, op)
    n = numel_of(shape, axes)
    mean = be.div(be.sum(x, axes, True), float(n))
    dev = be.sub(x, mean)
    if acc.is_complex:
        sq = be.real(be.mul(dev, be.conj(dev)))
    else:
        sq = be.mul(dev, dev)
    dof = n - correction
    if dof <= 0:
        warnings.warn(f"{op}(): degrees of freedom is <= 0. Correction should be strictly less "
                      f"than the reduction factor (input numel divided by output numel).",
                      UserWarning, stacklevel=3)
    var = be.div(be.sum(sq, axes, keepdim), float(max(dof, 0)))
    if not keepdim:
        mean = be.reshape(mean, out_shape(shape, axes, False))
    return var, mean, dt.to_real(), dt


def _finish(be: Any, arr: Any, acc_dt: D.dtype, dt: D.dtype) -> Tensor:
    return _wrap(arr if acc_dt is dt else be.astype(arr, dt), dt, be)


def _var_parts(ctx: Any, op: str) -> tuple:
    """``(x - mean, dof, unreduce)`` for the backward of var/std and friends."""
    x = ctx.input
    dim, correction = _var_args(op, ctx.arg(1, "dim"), ctx.arg(2, "unbiased"),
                                ctx.kwargs.get("correction"), ctx.kwargs.get("axis"))
    keepdim = ctx.arg(3, "keepdim", False)
    shape = shape_of(x)
    axes = reduce_axes(x, dim, op)
    dims = list(axes)
    dev = x - x.mean(dim=dims, keepdim=True) if shape else x - x
    dof = max(numel_of(shape, axes) - correction, 0)
    return dev, dof, lambda t: unreduce(t, shape, axes, keepdim), numel_of(shape, axes)


def _var_backward(ctx: Any, gv: Tensor | None, gm: Tensor | None = None) -> Tensor:
    dev, dof, up, n = _var_parts(ctx, "var")
    grad = None if gv is None else up(gv) * dev * (2.0 / dof if dof else float("inf"))
    if gm is not None:
        grad = up(gm) / n + (0 if grad is None else grad)
    return grad


def _std_backward(ctx: Any, gs: Tensor | None, gm: Tensor | None = None) -> Tensor:
    dev, dof, up, n = _var_parts(ctx, "std")
    std = ctx.out[0] if isinstance(ctx.out, tuple) else ctx.out
    grad = None if gs is None else up(gs) * dev / (up(std) * (dof if dof else 0.0))
    if gm is not None:
        grad = up(gm) / n + (0 if grad is None else grad)
    return grad


@public()
@numpy_keywords
@differentiable("VarBackward0", _var_backward, complex_ok=True)  # 2 g (z - mean) / dof
def var(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: Any = None, axis: Any = None, out: Tensor | None = None) -> Tensor:
    """Variance over ``dim`` with Bessel's ``correction`` (1 by default; ``unbiased=False``
    means 0).

    Example:
        >>> import ember
        >>> ember.tensor([1., 2., 3., 4.]).var()
        tensor(1.6667)
    """
    dim, correction = _var_args("var", dim, unbiased, correction, axis)
    v, _, rdt, _ = _var("var", input, dim, correction, keepdim)
    be = input._backend
    return write(_finish(be, v, acc_dtype(rdt), rdt), out)


@public()
@numpy_keywords
@differentiable("StdBackward0", _std_backward, save_output=True, complex_ok=True)
def std(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: Any = None, axis: Any = None, out: Tensor | None = None) -> Tensor:
    """Standard deviation over ``dim``: the square root of :func:`var`."""
    dim, correction = _var_args("std", dim, unbiased, correction, axis)
    v, _, rdt, _ = _var("std", input, dim, correction, keepdim)
    be = input._backend
    return write(_finish(be, be.sqrt(v), acc_dtype(rdt), rdt), out)


@public(method=False)
@numpy_keywords
@differentiable("VarMeanBackward0", _var_backward, complex_ok=True)
def var_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None,
             keepdim: bool = False, *, correction: Any = None) -> tuple[Tensor, Tensor]:
    """``(var, mean)`` over ``dim`` in one pass."""
    dim, correction = _var_args("var_mean", dim, unbiased, correction, None)
    v, m, rdt, dt = _var("var_mean", input, dim, correction, keepdim)
    be = input._backend
    return _finish(be, v, acc_dtype(rdt), rdt), _finish(be, m, acc_dtype(dt), dt)


@public(method=False)
@numpy_keywords
@differentiable("StdMeanBackward0", _std_backward, save_output=True, complex_ok=True)
def std_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None,
             keepdim: bool = False, *, correction: Any = None) -> tuple[Tensor, Tensor]:
    """``(std, mean)`` over ``dim`` in one pass."""
    dim, correction = _var_args("std_mean", dim, unbiased, correction, None)
    v, m, rdt, dt = _var("std_mean", input, dim, correction, keepdim)
    be = input._backend
    return _finish(be, be.sqrt(v), acc_dtype(rdt), rdt), _finish(be, m, acc_dtype(dt), dt)


# ---------------------------------------------------------------------------- histograms
@public()
def histc(input: Tensor, bins: int = 100, min: Any = 0, max: Any = 0, *,
          out: Tensor | None = None) -> Tensor:
    """Histogram of ``bins`` equal-width bins over ``[min, max]`` (the data's range when
    both are 0); elements outside are ignored."""
    check_tensor("histc", input)
    be = input._backend
    dt = input._dtype
    if dt.kind != "f":
        raise NotImplementedError(f"\"histogram_cpu\" not implemented for '{_tname(dt)}'")
    if bins <= 0:
        raise RuntimeError("torch.histc: bins must be > 0")
    lo, hi = float(min), float(max)
    flat = be.reshape(input._data, (numel_of(shape_of(input)),))
    n = numel_of(shape_of(input))
    if lo == hi and n:
        fin = be.index(flat, (be.isfinite(flat),))
        if be.shape(fin)[0]:
            lo = float(be.to_list(be.min(fin, (0,), False)))
            hi = float(be.to_list(be.max(fin, (0,), False)))
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{lo}, {hi}] is not finite")
    counts = be.full((bins,), 0, dt)
    keep = be.logical_and(be.ge(flat, lo), be.le(flat, hi))
    sel = be.astype(be.index(flat, (keep,)), D.float64)
    if be.shape(sel)[0]:
        pos = be.astype(be.floor(be.mul(be.div(be.sub(sel, lo), hi - lo), float(bins))),
                        D.int64)
        pos = be.clip(pos, 0, bins - 1)
        be.index_put(counts, (pos,), be.full(be.shape(pos), 1, dt), True)
    return write(_wrap(counts, dt, be), out)


@public()
def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """Count of each value of a 1-d non-negative integer tensor (summed ``weights`` when
    given: float weights keep their dtype, others give float64)."""
    check_tensor("bincount", input)
    be = input._backend
    shape = shape_of(input)
    if input._dtype.kind not in "bi":
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for "
                                  f"'{_tname(input._dtype)}'")
    if len(shape) != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    x = to_dtype(input, D.int64)
    n = shape[0]
    if n and be.to_list(be.any(be.lt(x, 0), (0,), False)):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    size = minlength
    if n:
        size = max(int(be.to_list(be.max(x, (0,), False))) + 1, minlength)
    if weights is None:
        dt, w = D.int64, be.full((n,), 1, D.int64)
    else:
        if shape_of(weights) != shape:
            raise RuntimeError("weights should be 1-d and have the same length as input")
        dt = weights._dtype if weights._dtype.kind == "f" else D.float64
        w = to_dtype(weights, dt)
    counts = be.full((size,), 0, dt)
    if n:
        be.index_put(counts, (x,), w, True)
    return _wrap(counts, dt, be)


# ---------------------------------------------------------------------------- comparisons
@public()
def equal(input: Tensor, other: Tensor) -> bool:
    """True when both tensors have the same shape and the same values."""
    check_tensor("equal", input)
    check_tensor("equal", other, "other")
    check_device("equal", input, other)
    if shape_of(input) != shape_of(other):
        return False
    from ._elementwise import eq

    be = input._backend
    e = eq(input, other)
    return bool(be.to_list(be.all(e._data, tuple(range(len(shape_of(e)))), False)))


@public()
def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """Elementwise ``|input - other| <= atol + rtol * |other|`` (equal infinities are close;
    nan is close to nan only with ``equal_nan``)."""
    check_tensor("isclose", input)
    check_tensor("isclose", other, "other")
    if input._dtype is not other._dtype:
        raise RuntimeError(f"{_tname(input._dtype)} did not match {_tname(other._dtype)}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
    from ._elementwise import abs, add, eq, isfinite, isnan, le, logical_and, logical_or, mul, sub

    close = eq(input, other)
    if input._dtype is D.bool_:
        return close
    if equal_nan and input._dtype.kind in "fc":
        close = logical_or(close, logical_and(isnan(input), isnan(other)))
    a, b = input, other
    if a._dtype.kind == "i":
        fd = get_default_dtype()
        a, b = a.to(fd), b.to(fd)
    err = abs(sub(a, b))
    allowed = add(mul(abs(b), rtol), atol)
    return logical_or(close, logical_and(isfinite(err), le(err, allowed)))


@public()
def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """True when every element pair is :func:`isclose`."""
    c = isclose(input, other, rtol, atol, equal_nan)
    be = c._backend
    return bool(be.to_list(be.all(c._data, tuple(range(len(shape_of(c)))), False)))
