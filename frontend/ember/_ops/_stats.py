"""Statistics: var, std (and their ``_mean`` forms), median, nanmedian, mode, kthvalue,
quantile, nanquantile, histc, bincount, and the comparisons equal, isclose, allclose.

Order statistics sort along the reduced dimension (nan sorts last, as the largest value)
and pick positions from the sorted lanes with ``gather``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

from .. import return_types as R
from .._defaults import get_default_dtype
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import check_device, norm_dim, shape_of, to_dtype
from ._elementwise import _tname
from ._grad_utils import at_index, distribute, unreduce
from ._reduction import (
    acc_dtype,
    check_nonempty,
    check_tensor,
    numel_of,
    out_shape,
    reduce_axes,
    write,
)
from ._registry import public

__all__ = ["var", "std", "var_mean", "std_mean", "median", "nanmedian", "mode", "kthvalue",
           "quantile", "nanquantile", "histc", "bincount", "equal", "isclose", "allclose",
           "move_last"]


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
@differentiable("VarBackward0", _var_backward)
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
@differentiable("StdBackward0", _std_backward, save_output=True)
def std(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: Any = None, axis: Any = None, out: Tensor | None = None) -> Tensor:
    """Standard deviation over ``dim``: the square root of :func:`var`."""
    dim, correction = _var_args("std", dim, unbiased, correction, axis)
    v, _, rdt, _ = _var("std", input, dim, correction, keepdim)
    be = input._backend
    return write(_finish(be, be.sqrt(v), acc_dtype(rdt), rdt), out)


@public(method=False)
@differentiable("VarMeanBackward0", _var_backward)
def var_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None,
             keepdim: bool = False, *, correction: Any = None) -> tuple[Tensor, Tensor]:
    """``(var, mean)`` over ``dim`` in one pass."""
    dim, correction = _var_args("var_mean", dim, unbiased, correction, None)
    v, m, rdt, dt = _var("var_mean", input, dim, correction, keepdim)
    be = input._backend
    return _finish(be, v, acc_dtype(rdt), rdt), _finish(be, m, acc_dtype(dt), dt)


@public(method=False)
@differentiable("StdMeanBackward0", _std_backward, save_output=True)
def std_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None,
             keepdim: bool = False, *, correction: Any = None) -> tuple[Tensor, Tensor]:
    """``(std, mean)`` over ``dim`` in one pass."""
    dim, correction = _var_args("std_mean", dim, unbiased, correction, None)
    v, m, rdt, dt = _var("std_mean", input, dim, correction, keepdim)
    be = input._backend
    return _finish(be, be.sqrt(v), acc_dtype(rdt), rdt), _finish(be, m, acc_dtype(dt), dt)


# ---------------------------------------------------------------------------- order statistics
def move_last(be: Any, x: Any, axis: int) -> Any:
    """``x`` with ``axis`` moved to the end (a view)."""
    nd = len(be.shape(x))
    return be.permute(x, tuple(a for a in range(nd) if a != axis) + (axis,))


def _restore(be: Any, r: Any, shape: tuple, d: int, keepdim: bool) -> Any:
    """A reduction computed on lanes moved last with the lane axis kept (size 1): put the
    kept axis back at ``d`` or drop it."""
    return be.reshape(r, out_shape(shape, (d,), keepdim))


def _nan_mask(be: Any, x: Any, dt: D.dtype) -> Any:
    return be.isnan(x) if dt.kind in "fc" else be.full(be.shape(x), False, D.bool_)


def _pick(be: Any, x: Any, dt: D.dtype, d: int, k: Any, nan_first: bool) -> tuple:
    """Values and original indices at sorted position ``k`` (int or int64 array with the lane
    axis kept) along the last axis of ``x``; lanes holding nan report the first nan when
    ``nan_first``."""
    vals, idx = be.sort(x, len(be.shape(x)) - 1, False, True)
    if isinstance(k, int):
        k = be.full(be.shape(x)[:-1] + (1,), k, D.int64)
    v, i = be.gather(vals, len(be.shape(x)) - 1, k), be.gather(idx, len(be.shape(x)) - 1, k)
    if nan_first and dt.kind in "fc":
        nan = be.isnan(x)
        has = be.any(nan, (len(be.shape(x)) - 1,), True)
        first = be.reshape(be.argmax(be.astype(nan, D.uint8), len(be.shape(x)) - 1, False),
                           be.shape(has))
        v = be.where(has, float("nan"), v)
        i = be.where(has, first, i)
    return v, i


def _order_stat(op: str, input: Tensor, dim: Any, keepdim: bool, pos: Any, nan_first: bool,
                rtype: type) -> Any:
    check_tensor(op, input)
    be = input._backend
    shape = shape_of(input)
    d = norm_dim(dim, len(shape), op)
    if not shape:
        return rtype((_wrap(be.copy(input._data), input._dtype, be),
                      _wrap(be.full((), 0, D.int64), D.int64, be)))
    check_nonempty(op, shape, (d,))
    x = move_last(be, input._data, d)
    if numel_of(shape) == 0:
        vals = be.full(be.shape(x)[:-1] + (1,), 0, input._dtype)
        idx = be.full(be.shape(x)[:-1] + (1,), 0, D.int64)
    else:
        vals, idx = _pick(be, x, input._dtype, d, pos(be, x, shape[d]), nan_first)
    return rtype((_wrap(_restore(be, vals, shape, d, keepdim), input._dtype, be),
                  _wrap(_restore(be, idx, shape, d, keepdim), D.int64, be)))


def _flat(be: Any, t: Tensor) -> Any:
    return be.reshape(t._data, (numel_of(shape_of(t)),))


def _order_backward(ctx: Any, g: Tensor, *_: Any, nan_first: bool = True) -> Tensor:
    """Gradient of median/nanmedian/kthvalue/mode: to the reported index along ``dim``, or
    (no ``dim``) shared evenly by the elements equal to the result."""
    x, out = ctx.input, ctx.out
    if not isinstance(out, tuple):
        return distribute(g, x, out, tuple(range(x.dim())), False, nan_first=nan_first)
    dim, keepdim = ctx.arg(1, "dim"), ctx.arg(2, "keepdim", False)
    return at_index(g, x, norm_dim(dim, x.dim() or 1), out[1], keepdim)


def _order_name(name: str) -> Callable:
    return lambda ctx: name + ("0" if ctx.arg(1, "dim") is None else "1")


@public()
@differentiable(_order_name("MedianBackward"), _order_backward, save_output=True)
def median(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """The lower median of all elements; with ``dim``, ``(values, indices)`` along it.
    nan anywhere in a lane makes its median nan."""
    check_tensor("median", input)
    be = input._backend
    if dim is None:
        n = numel_of(shape_of(input))
        if n == 0:
            return _wrap(be.full((), float("nan"), input._dtype), input._dtype, be)
        x = be.reshape(_flat(be, input), (1, n))
        v, _ = _pick(be, x, input._dtype, 0, (n - 1) // 2, True)
        return _wrap(be.reshape(v, ()), input._dtype, be)
    return _order_stat("median", input, dim, keepdim, lambda be, x, n: (n - 1) // 2, True,
                       R.median)


def _nan_pos(be: Any, x: Any, n: int) -> Any:
    count = be.sum(be.astype(be.logical_not(be.isnan(x)), D.int64), (len(be.shape(x)) - 1,),
                   True)
    return be.clip(be.floor_divide(be.sub(count, 1), 2), 0, None)


@public()
@differentiable(_order_name("NanmedianBackward"),
                lambda ctx, g, *_: _order_backward(ctx, g, nan_first=False), save_output=True)
def nanmedian(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """:func:`median` ignoring nan (nan only where a lane is all nan)."""
    check_tensor("nanmedian", input)
    if input._dtype.kind not in "fc":
        return median(input, dim, keepdim) if dim is None else R.nanmedian(
            tuple(median(input, dim, keepdim)))
    be = input._backend
    if dim is None:
        n = numel_of(shape_of(input))
        if n == 0:
            return _wrap(be.full((), float("nan"), input._dtype), input._dtype, be)
        x = be.reshape(_flat(be, input), (1, n))
        v, _ = _pick(be, x, input._dtype, 0, _nan_pos(be, x, n), False)
        return _wrap(be.reshape(v, ()), input._dtype, be)
    return _order_stat("nanmedian", input, dim, keepdim, _nan_pos, False, R.nanmedian)


def _kth_backward(ctx: Any, g: Tensor, *_: Any) -> Tensor:
    x, keepdim = ctx.input, ctx.arg(3, "keepdim", False)
    return at_index(g, x, norm_dim(ctx.arg(2, "dim", -1), x.dim() or 1), ctx.out[1], keepdim)


@public()
@differentiable("KthvalueBackward0", _kth_backward, save_output=True)
def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> Any:
    """The ``k``-th smallest element (1-based) along ``dim`` and its index."""
    check_tensor("kthvalue", input)
    shape = shape_of(input)
    d = norm_dim(dim, len(shape), "kthvalue")
    n = shape[d] if shape else 1
    check_nonempty("kthvalue", shape, (d,) if shape else ())
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    return _order_stat("kthvalue", input, dim, keepdim, lambda be, x, n: k - 1, False,
                       R.kthvalue)


@public()
@differentiable("ModeBackward0", lambda ctx, g, *_: at_index(
    g, ctx.input, norm_dim(ctx.arg(1, "dim", -1), ctx.input.dim() or 1), ctx.out[1],
    ctx.arg(2, "keepdim", False)), save_output=True)
def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> Any:
    """The most frequent value along ``dim`` (the smallest of equally frequent ones) and the
    index of its last occurrence."""
    check_tensor("mode", input)
    be = input._backend
    shape = shape_of(input)
    d = norm_dim(dim, len(shape), "mode")
    dt = input._dtype
    if not shape:
        return R.mode((_wrap(be.copy(input._data), dt, be),
                       _wrap(be.full((), 0, D.int64), D.int64, be)))
    check_nonempty("mode", shape, (d,))
    x = move_last(be, input._data, d)
    if dt is D.bool_:
        x = be.astype(x, D.uint8)
    n = shape[d]
    lead = be.shape(x)[:-1]
    if numel_of(shape) == 0:
        vals, idx = be.full(lead + (1,), 0, dt), be.full(lead + (1,), 0, D.int64)
    else:
        xa, xb = be.reshape(x, lead + (n, 1)), be.reshape(x, lead + (1, n))
        counts = be.sum(be.astype(be.eq(xa, xb), D.int64), (len(lead) + 1,), False)
        best = be.max(counts, (len(lead),), True)
        big = math.inf if dt.kind == "f" else _int_max(dt)
        vals = be.min(be.where(be.eq(counts, best), x, big), (len(lead),), True)
        pos = be.arange(0, 1, n, D.int64)
        idx = be.max(be.where(be.eq(x, vals), pos, -1), (len(lead),), True)
        if dt is D.bool_:
            vals = be.astype(vals, D.bool_)
    return R.mode((_wrap(_restore(be, vals, shape, d, keepdim), dt, be),
                   _wrap(_restore(be, idx, shape, d, keepdim), D.int64, be)))


def _int_max(dt: D.dtype) -> int:
    if dt is D.uint8 or dt is D.bool_:
        return 255
    return 2 ** (dt.bits - 1) - 1


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(op: str, input: Tensor, q: Any, dim: Any, keepdim: bool, interpolation: str,
              ignore_nan: bool) -> Tensor:
    check_tensor(op, input)
    be = input._backend
    dt = input._dtype
    if dt not in (D.float32, D.float64):
        raise RuntimeError(f"{op}() input tensor must be either float or double dtype")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{op}() interpolation must be one of linear, lower, higher, "
                           f"midpoint or nearest, but got {interpolation}")
    shape = shape_of(input)
    if numel_of(shape) == 0:
        raise RuntimeError(f"{op}() input tensor must be non-empty")
    if isinstance(q, Tensor):
        if q._dtype is not dt:
            raise RuntimeError(f"{op}() q tensor must be same dtype as the input tensor")
        if len(shape_of(q)) > 1:
            raise RuntimeError(f"{op}() q must be a scalar or 1D tensor")
        qs = be.to_list(q._data)
        scalar_q = not shape_of(q)
    else:
        qs, scalar_q = float(q), True
    qlist = [qs] if scalar_q else list(qs)
    if not all(0 <= v <= 1 for v in qlist):
        if scalar_q and not isinstance(q, Tensor):
            raise RuntimeError(f"{op}() q must be in the range [0, 1] but got {q}")
        raise RuntimeError(f"{op}() q values must be in the range [0, 1]")
    if dim is None:
        x = be.reshape(_flat(be, input), (numel_of(shape),))
        kept = (1,) * len(shape) if keepdim else ()
    else:
        d = norm_dim(dim, len(shape), op)
        x = move_last(be, input._data, d) if shape else be.reshape(input._data, (1,))
        kept = out_shape(shape, (d,), keepdim) if shape else ()
    n = be.shape(x)[-1]
    last = len(be.shape(x)) - 1
    srt, _ = be.sort(x, last, False, False)
    nan = be.isnan(x)
    qarr = be.from_list(qlist, (len(qlist),), dt)
    if ignore_nan:
        count = be.astype(be.sum(be.astype(be.logical_not(nan), D.int64), (last,), True), dt)
        ranks = be.mul(qarr, be.sub(count, 1.0))
        ranks = be.where(be.lt(count, 1.0), float(n - 1), ranks)
    else:
        has = be.any(nan, (last,), True)
        ranks = be.where(has, float(n - 1), be.mul(qarr, float(n - 1)))
    ranks = be.expand(ranks, be.shape(x)[:-1] + (len(qlist),))
    if interpolation == "lower":
        ranks = be.floor(ranks)
    elif interpolation == "higher":
        ranks = be.ceil(ranks)
    elif interpolation == "nearest":
        ranks = be.round(ranks)
    lo = be.astype(be.floor(ranks), D.int64)
    hi = be.astype(be.ceil(ranks), D.int64)
    below, above = be.gather(srt, last, lo), be.gather(srt, last, hi)
    w = be.full((), 0.5, dt) if interpolation == "midpoint" else be.sub(ranks, be.floor(ranks))
    diff = be.sub(above, below)
    res = be.where(be.lt(w, 0.5), be.add(below, be.mul(w, diff)),
                   be.sub(above, be.mul(diff, be.sub(1.0, w))))
    qn = len(qlist)
    if scalar_q:
        return _wrap(be.reshape(res, kept), dt, be)
    res = be.permute(res, (last,) + tuple(range(last)))
    return _wrap(be.reshape(res, (qn,) + kept), dt, be)


def _quantile_backward(ctx: Any, g: Tensor, ignore_nan: bool) -> Tensor:
    """The gradient of a quantile: ``g * (1 - w)`` to the element of sorted rank ``lo`` and
    ``g * w`` to the one of rank ``hi`` in each lane (ranks as in the forward)."""
    from ._creation import arange

    x = ctx.input.detach()
    q, dim = ctx.arg(1, "q"), ctx.arg(2, "dim")
    how = ctx.kwargs.get("interpolation", "linear")
    shape = shape_of(x)
    lanes = x.reshape(1, -1) if dim is None or not shape else x.movedim(dim, -1)
    lane_shape = shape_of(lanes)
    n = lane_shape[-1]
    flat = lanes.reshape(-1, n)
    m = flat.shape[0]
    qt = (q if isinstance(q, Tensor) else x.new_tensor([float(q)])).reshape(-1, 1).to(x.dtype)
    if ignore_nan:
        count = (flat == flat).sum(-1).to(x.dtype)
        ranks = (qt * (count - 1)).where(count >= 1, float(n - 1))
    else:
        ranks = (qt * float(n - 1)).expand(qt.shape[0], m)
    if how == "lower":
        ranks = ranks.floor()
    elif how == "higher":
        ranks = ranks.ceil()
    elif how == "nearest":
        ranks = ranks.round()
    lo, hi = ranks.floor(), ranks.ceil()
    w = ranks - lo if how != "midpoint" else (hi - lo) * 0.5
    order = flat.sort(-1).indices.unsqueeze(0).expand(qt.shape[0], m, n)
    pos = arange(n, device=x.device)
    gq = g.reshape(qt.shape[0], m)
    grad = None
    for rank, coef in ((lo, gq * (1 - w)), (hi, gq * w)):
        at = order.gather(2, rank.long().unsqueeze(-1))
        part = coef.unsqueeze(-1).where(pos == at, 0.0).sum(0)
        grad = part if grad is None else grad + part
    grad = grad.reshape(lane_shape)
    gx = grad.reshape(shape) if dim is None or not shape else grad.movedim(-1, dim)
    if len(ctx.inputs) < 2 or not ctx.inputs[1]._requires_grad:
        return gx, None
    # d out / d q = (above - below) * d rank / d q, for linear interpolation only.
    values = flat.sort(-1).values.unsqueeze(0).expand(qt.shape[0], m, n)
    below = values.gather(2, lo.long().unsqueeze(-1)).squeeze(-1)
    above = values.gather(2, hi.long().unsqueeze(-1)).squeeze(-1)
    slope = (count - 1) if ignore_nan else float(n - 1)
    gq = (gq * (above - below) * slope).sum(1) if how == "linear" else gq.sum(1) * 0
    return gx, gq.reshape(shape_of(q))


def _quantile_inputs(args: tuple, kwargs: dict) -> tuple:
    q = args[1] if len(args) > 1 else kwargs.get("q")
    return (args[0], q) if isinstance(q, Tensor) else (args[0],)


@public()
@differentiable("QuantileBackward0", lambda ctx, g: _quantile_backward(ctx, g, False),
                inputs=_quantile_inputs)
def quantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,
             interpolation: str = "linear") -> Tensor:
    """The ``q``-th quantiles (a float or a 1-d tensor in [0, 1]) over ``dim`` (the flattened
    input when None); lanes holding nan give nan.

    Example:
        >>> import ember
        >>> ember.quantile(ember.tensor([1., 2., 3., 4.]), 0.5)
        tensor(2.5000)
    """
    return _quantile("quantile", input, q, dim, keepdim, interpolation, False)


@public()
@differentiable("NanquantileBackward0", lambda ctx, g: _quantile_backward(ctx, g, True),
                inputs=_quantile_inputs)
def nanquantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,
                interpolation: str = "linear") -> Tensor:
    """:func:`quantile` ignoring nan."""
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation, True)


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
    flat = _flat(be, input)
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
