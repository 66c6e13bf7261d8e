"""Sorting, searching and scans: sort, argsort, msort, topk, unique, unique_consecutive,
searchsorted, bucketize; cumsum, cumprod, cummax, cummin, logcumsumexp and diff.

nan sorts as the largest value (last ascending, first descending), as in PyTorch.
"""

from __future__ import annotations

from typing import Any

from .. import return_types as R
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._common import (
    check_device,
    is_scalar,
    norm_dim,
    promote,
    scalar_to_tensor,
    shape_of,
    to_dtype,
)
from ._elementwise import _tname, ne, sub
from ._reduction import acc_dtype, check_tensor, numel_of, write
from ._registry import public

__all__ = ["sort", "argsort", "msort", "topk", "unique", "unique_consecutive", "searchsorted",
           "bucketize", "cumsum", "cumprod", "cummax", "cummin", "logcumsumexp", "diff"]


def _sort(op: str, input: Tensor, dim: int, descending: bool, stable: bool) -> tuple:
    check_tensor(op, input)
    be = input._backend
    shape = shape_of(input)
    d = norm_dim(dim, len(shape), op)
    if not shape:
        return be.copy(input._data), be.full((), 0, D.int64)
    if numel_of(shape) == 0:
        return be.copy(input._data), be.full(shape, 0, D.int64)
    return be.sort(input._data, d, bool(descending), bool(stable))


@public()
def sort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False,
         out: Any = None) -> Any:
    """Sort along ``dim``; returns ``(values, indices)``. ``stable`` keeps equal elements in
    their order.

    Example:
        >>> import ember
        >>> ember.sort(ember.tensor([3, 1, 2])).indices
        tensor([1, 2, 0])
    """
    v, i = _sort("sort", input, dim, descending, stable)
    be = input._backend
    return R.sort((_wrap(v, input._dtype, be), _wrap(i, D.int64, be)))


@public()
def argsort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False
            ) -> Tensor:
    """The indices that sort ``input`` along ``dim``."""
    _, i = _sort("argsort", input, dim, descending, stable)
    return _wrap(i, D.int64, input._backend)


@public()
def msort(input: Tensor) -> Tensor:
    """``input`` sorted along its first dimension."""
    v, _ = _sort("msort", input, 0, False, False)
    return _wrap(v, input._dtype, input._backend)


@public()
def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True, *,
         out: Any = None) -> Any:
    """The ``k`` largest (or smallest) elements along ``dim`` and their indices."""
    check_tensor("topk", input)
    be = input._backend
    shape = shape_of(input)
    d = norm_dim(dim, len(shape), "topk")
    n = shape[d] if shape else 1
    if not isinstance(k, int) or k < 0 or k > n:
        raise RuntimeError("selected index k out of range")
    v, i = _sort("topk", input, dim, largest, True)
    if shape:
        key = tuple(slice(0, k) if a == d else slice(None) for a in range(len(shape)))
        v, i = be.copy(be.getitem(v, key)), be.copy(be.getitem(i, key))
    return R.topk((_wrap(v, input._dtype, be), _wrap(i, D.int64, be)))


def _result(values: Tensor, inverse: Tensor, counts: Tensor, ret_inv: bool, ret_cnt: bool):
    if ret_inv and ret_cnt:
        return values, inverse, counts
    if ret_inv:
        return values, inverse
    if ret_cnt:
        return values, counts
    return values


def _rows(be: Any, x: Any, d: int) -> tuple[Any, tuple[int, ...]]:
    """``x`` with axis ``d`` first and the rest flattened: ``(n, m)`` rows, and the rest."""
    shape = be.shape(x)
    nd = len(shape)
    moved = be.permute(x, (d,) + tuple(a for a in range(nd) if a != d))
    rest = tuple(shape[a] for a in range(nd) if a != d)
    return be.reshape(moved, (shape[d], numel_of(rest))), rest


def _unrows(be: Any, rows: Any, rest: tuple[int, ...], d: int) -> Any:
    k = be.shape(rows)[0]
    x = be.reshape(rows, (k,) + rest)
    nd = len(rest) + 1
    order = list(range(1, nd))
    order.insert(d, 0)
    return be.copy(be.permute(x, tuple(order)))


def _groups(be: Any, rows: Any, n: int) -> tuple[Any, Any, Any]:
    """For rows ``(n, m)`` (equal rows adjacent): the first-of-group mask, the group id of
    each row, and the count of each group."""
    start = be.full((n,), True, D.bool_)
    if n > 1:
        a = be.getitem(rows, (slice(1, n), slice(None)))
        b = be.getitem(rows, (slice(0, n - 1), slice(None)))
        changed = be.any(be.ne(a, b), (1,), False)
        start = be.cat([be.full((1,), True, D.bool_), changed], 0)
    gid = be.sub(be.cumsum(be.astype(start, D.int64), 0), 1)
    k = int(be.to_list(be.sum(be.astype(start, D.int64), (0,), False)))
    counts = be.full((k,), 0, D.int64)
    be.index_put(counts, (gid,), be.full((n,), 1, D.int64), True)
    return start, gid, counts


def _lexsort_rows(be: Any, rows: Any, n: int, m: int) -> Any:
    """The permutation sorting the rows of ``(n, m)`` lexicographically (stable)."""
    perm = be.arange(0, 1, n, D.int64)
    for j in range(m - 1, -1, -1):
        col = be.index(rows, (perm, j))
        _, order = be.sort(col, 0, False, True)
        perm = be.index(perm, (order,))
    return perm


@public()
def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,
           return_counts: bool = False, dim: int | None = None) -> Any:
    """The sorted unique elements (or unique slices along ``dim``), optionally with the
    inverse indices and the counts.

    Example:
        >>> import ember
        >>> ember.unique(ember.tensor([3, 1, 3, 2]))
        tensor([1, 2, 3])
    """
    check_tensor("unique", input)
    be = input._backend
    dt = input._dtype
    if dim is None:
        vals, inv, cnt = be.unique(input._data)
        return _result(_wrap(vals, dt, be), _wrap(inv, D.int64, be), _wrap(cnt, D.int64, be),
                       return_inverse, return_counts)
    shape = shape_of(input)
    d = norm_dim(dim, len(shape), "unique")
    rows, rest = _rows(be, input._data, d)
    n, m = be.shape(rows)
    if n == 0:
        empty = _wrap(be.full((0,), 0, D.int64), D.int64, be)
        return _result(_wrap(be.copy(input._data), dt, be), empty, empty, return_inverse,
                       return_counts)
    perm = _lexsort_rows(be, rows, n, m) if m else be.arange(0, 1, n, D.int64)
    srt = be.index(rows, (perm,))
    start, gid, cnt = _groups(be, srt, n)
    inv = be.full((n,), 0, D.int64)
    be.index_put(inv, (perm,), gid, False)
    vals = _unrows(be, be.index(srt, (start,)), rest, d)
    return _result(_wrap(vals, dt, be), _wrap(inv, D.int64, be), _wrap(cnt, D.int64, be),
                   return_inverse, return_counts)


@public()
def unique_consecutive(input: Tensor, return_inverse: bool = False, return_counts: bool = False,
                       dim: int | None = None) -> Any:
    """Collapse runs of equal consecutive elements (or slices along ``dim``)."""
    check_tensor("unique_consecutive", input)
    be = input._backend
    dt = input._dtype
    shape = shape_of(input)
    if dim is None:
        rows = be.reshape(input._data, (numel_of(shape), 1))
        d, rest = 0, ()
    else:
        d = norm_dim(dim, len(shape), "unique_consecutive")
        rows, rest = _rows(be, input._data, d)
    n = be.shape(rows)[0]
    if n == 0:
        empty = _wrap(be.full((0,), 0, D.int64), D.int64, be)
        inv = _wrap(be.full(shape if dim is None else (0,), 0, D.int64), D.int64, be)
        return _result(_wrap(be.copy(input._data) if dim is not None else
                             be.reshape(input._data, (0,)), dt, be), inv, empty,
                       return_inverse, return_counts)
    start, gid, cnt = _groups(be, rows, n)
    vals = _unrows(be, be.index(rows, (start,)), rest, d)
    if dim is None:
        gid = be.reshape(gid, shape)
    return _result(_wrap(vals, dt, be), _wrap(gid, D.int64, be), _wrap(cnt, D.int64, be),
                   return_inverse, return_counts)


@public(method=False)
def searchsorted(sorted_sequence: Tensor, input: Any, *, out_int32: bool = False,
                 right: bool = False, side: str | None = None, sorter: Tensor | None = None
                 ) -> Tensor:
    """Indices where the elements of ``input`` would be inserted into the innermost
    dimension of ``sorted_sequence`` to keep it sorted (the first such position, or the last
    with ``right=True`` / ``side="right"``)."""
    check_tensor("searchsorted", sorted_sequence, "sorted_sequence")
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but "
                               f"got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, "
                               "got side of left while right was True")
        right = side == "right"
    be = sorted_sequence._backend
    scalar = not isinstance(input, Tensor)
    if scalar:
        if not is_scalar(input):
            raise TypeError(f"searchsorted(): argument 'input' must be Tensor or Number, not "
                            f"{type(input).__name__}")
        input = scalar_to_tensor(input, sorted_sequence)
    check_device("searchsorted", sorted_sequence, input)
    seq_shape, val_shape = shape_of(sorted_sequence), shape_of(input)
    if not seq_shape:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive "
                           "dimension, but got 0 dimension")
    if len(seq_shape) > 1 and (scalar or seq_shape[:-1] != val_shape[:-1]):
        raise RuntimeError(f"torch.searchsorted(): boundaries tensor should be 1 dimension or "
                           f"the first N-1 dimensions of boundaries tensor and input value "
                           f"tensor must match, but we got boundaries tensor "
                           f"{list(seq_shape)} and input value tensor {list(val_shape)}")
    dt = promote(sorted_sequence, input)
    seq = to_dtype(sorted_sequence, dt)
    if sorter is not None:
        seq = be.gather(seq, len(seq_shape) - 1, to_dtype(sorter, D.int64))
    vals = to_dtype(input, dt)
    if len(seq_shape) == 1:
        s = seq
        v = be.reshape(vals, val_shape + (1,))
    else:
        s = be.reshape(seq, seq_shape[:-1] + (1, seq_shape[-1]))
        v = be.reshape(vals, val_shape + (1,))
    before = be.le(s, v) if right else be.lt(s, v)
    res = be.sum(be.astype(before, D.int64), (len(val_shape),), False)
    odt = D.int32 if out_int32 else D.int64
    return _wrap(res if odt is D.int64 else be.astype(res, odt), odt, be)


@public(method=False)
def bucketize(input: Any, boundaries: Tensor, *, out_int32: bool = False, right: bool = False
              ) -> Tensor:
    """The bucket of each element of ``input`` for the 1-d sorted ``boundaries``:
    ``boundaries[i-1] < x <= boundaries[i]`` (``<= x <`` with ``right=True``)."""
    check_tensor("bucketize", boundaries, "boundaries")
    if len(shape_of(boundaries)) != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim("
                           f"{len(shape_of(boundaries))})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


# ---------------------------------------------------------------------------- scans
def _scan(op: str, input: Tensor, dim: Any, dtype: D.dtype | None) -> Tensor:
    check_tensor(op, input)
    be = input._backend
    dt = dtype or (D.int64 if input._dtype.kind in "bi" else input._dtype)
    shape = shape_of(input)
    d = norm_dim(dim, len(shape), op)
    x = to_dtype(input, dt)
    if not shape:
        return _wrap(be.reshape(getattr(be, op)(be.reshape(x, (1,)), 0), ()), dt, be)
    return _wrap(getattr(be, op)(x, d), dt, be)


@public()
def cumsum(input: Tensor, dim: int, *, dtype: D.dtype | None = None,
           out: Tensor | None = None) -> Tensor:
    """Inclusive cumulative sum along ``dim`` (bool and integer input give int64).

    Example:
        >>> import ember
        >>> ember.tensor([1, 2, 3]).cumsum(0)
        tensor([1, 3, 6])
    """
    return write(_scan("cumsum", input, dim, dtype), out)


@public()
def cumprod(input: Tensor, dim: int, *, dtype: D.dtype | None = None,
            out: Tensor | None = None) -> Tensor:
    """Inclusive cumulative product along ``dim`` (bool and integer input give int64)."""
    return write(_scan("cumprod", input, dim, dtype), out)


def _floating(op: str, t: Tensor) -> None:
    if t._dtype.kind not in "fc":
        raise RuntimeError(f"\"{op}_out_cpu\" not implemented for '{_tname(t._dtype)}'")


def _lanes(be: Any, x: Any, axis: int, n: int) -> list:
    ndim = len(be.shape(x))
    return [be.getitem(x, tuple(slice(i, i + 1) if a == axis else slice(None)
                                for a in range(ndim))) for i in range(n)]


def _cum_extreme(op: str, input: Tensor, dim: int, better: str, prim: str):
    check_tensor(op, input)
    be = input._backend
    shape = shape_of(input)
    d = norm_dim(dim, len(shape), op)
    x = input._data if shape else be.reshape(input._data, (1,))
    n = be.shape(x)[d]
    if n == 0 or numel_of(shape) == 0:
        vals, idx = be.copy(x), be.full(be.shape(x), 0, D.int64)
    else:
        lanes = _lanes(be, x, d, n)
        floating = input._dtype.kind in "fc"
        cur, cur_i = lanes[0], be.full(be.shape(lanes[0]), 0, D.int64)
        out_v, out_i = [cur], [cur_i]
        for i in range(1, n):
            xi = lanes[i]
            take = getattr(be, better)(xi, cur)  # PyTorch's kernel: x >= best (<= for min)
            if floating:
                take = be.logical_or(take, be.isnan(xi))
            cur = getattr(be, prim)(cur, xi)
            cur_i = be.where(take, i, cur_i)
            out_v.append(cur)
            out_i.append(cur_i)
        vals, idx = be.cat(out_v, d), be.cat(out_i, d)
    if not shape:
        vals, idx = be.reshape(vals, ()), be.reshape(idx, ())
    return _wrap(vals, input._dtype, be), _wrap(idx, D.int64, be)


@public()
def cummax(input: Tensor, dim: int) -> Any:
    """Running maximum along ``dim`` and the index where it was last attained."""
    return R.cummax(_cum_extreme("cummax", input, dim, "ge", "maximum"))


@public()
def cummin(input: Tensor, dim: int) -> Any:
    """Running minimum along ``dim`` and the index where it was last attained."""
    return R.cummin(_cum_extreme("cummin", input, dim, "le", "minimum"))


@public()
def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """``log(cumsum(exp(input), dim))`` computed stably, one step at a time."""
    check_tensor("logcumsumexp", input)
    _floating("logcumsumexp", input)
    be = input._backend
    dt = input._dtype
    acc = acc_dtype(dt)
    shape = shape_of(input)
    d = norm_dim(dim, len(shape), "logcumsumexp")
    x = to_dtype(input, acc)
    x = x if shape else be.reshape(x, (1,))
    n = be.shape(x)[d]
    if n == 0 or numel_of(shape) == 0:
        res = be.copy(x)
    else:
        lanes = _lanes(be, x, d, n)
        cur = lanes[0]
        outs = [cur]
        for xi in lanes[1:]:
            m = be.maximum(cur, xi)
            m = be.where(be.isfinite(m), m, 0)
            cur = be.add(be.log(be.add(be.exp(be.sub(cur, m)), be.exp(be.sub(xi, m)))), m)
            outs.append(cur)
        res = be.cat(outs, d)
    if not shape:
        res = be.reshape(res, ())
    return _wrap(res if acc is dt else be.astype(res, dt), dt, be)


@public()
def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None,
         append: Tensor | None = None) -> Tensor:
    """The ``n``-th forward difference along ``dim`` (``!=`` for bool), after joining
    ``prepend`` and ``append`` to ``input``.

    Example:
        >>> import ember
        >>> ember.diff(ember.tensor([1, 4, 9, 16]))
        tensor([3, 5, 7])
    """
    check_tensor("diff", input)
    shape = shape_of(input)
    if not shape:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = norm_dim(dim, len(shape), "diff")
    be = input._backend
    parts = [t for t in (prepend, input, append) if t is not None]
    if len(parts) > 1:
        dt = input._dtype
        for t in parts:
            dt = promote(_wrap(be.full((1,), 0, dt), dt, be), t) if isinstance(t, Tensor) else dt
        arrays = []
        for t in parts:
            if not isinstance(t, Tensor):
                t = scalar_to_tensor(t, input, dt)
            if len(shape_of(t)) == 0:
                t = _wrap(be.expand(to_dtype(t, dt), shape[:d] + (1,) + shape[d + 1:]), dt, be)
            arrays.append(to_dtype(t, dt))
        x = _wrap(be.cat(arrays, d), dt, be)
    else:
        x = input
    for _ in range(n):
        length = shape_of(x)[d]
        if length == 0:
            break
        nd = len(shape_of(x))
        hi = tuple(slice(1, length) if a == d else slice(None) for a in range(nd))
        lo = tuple(slice(0, length - 1) if a == d else slice(None) for a in range(nd))
        a, b = (_wrap(be.getitem(x._data, k), x._dtype, be) for k in (hi, lo))
        x = ne(a, b) if x._dtype is D.bool_ else sub(a, b)
    if x is input:
        x = _wrap(be.copy(input._data), input._dtype, be)
    return x
