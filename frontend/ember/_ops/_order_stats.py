"""Order statistics: median, nanmedian, mode, kthvalue, quantile and nanquantile, with
their backward (the gradient goes to the selected elements).

They sort along the reduced dimension (nan sorts last, as the largest value) and pick
positions from the sorted lanes with ``gather``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .. import return_types as R
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import norm_dim, shape_of
from ._grad_utils import at_index, distribute
from ._reduction import check_nonempty, check_tensor, numel_of, numpy_keywords, out_shape
from ._registry import public

__all__ = ["median", "nanmedian", "mode", "kthvalue", "quantile", "nanquantile", "move_last"]


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
@numpy_keywords
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
@numpy_keywords
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
@numpy_keywords
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
@numpy_keywords
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
@numpy_keywords
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
@numpy_keywords
@differentiable("NanquantileBackward0", lambda ctx, g: _quantile_backward(ctx, g, True),
                inputs=_quantile_inputs)
def nanquantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,
                interpolation: str = "linear") -> Tensor:
    """:func:`quantile` ignoring nan."""
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation, True)
