"""Unique elements: unique and unique_consecutive (of the flattened input, or unique slices
along ``dim``), with the inverse indices and the counts.

Their values are not differentiable in PyTorch: the node is recorded (``Unique2Backward0``,
``UniqueDimBackward0``, ``UniqueConsecutiveBackward0``) and running it raises
NotImplementedError as PyTorch does.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import norm_dim, shape_of
from ._reduction import check_tensor, numel_of
from ._registry import public

__all__ = ["unique", "unique_consecutive"]


def _raise(name: str) -> None:
    raise NotImplementedError(f"the derivative for '{name}' is not implemented.")


def _unique_backward(ctx: Any, *grads: Any) -> None:
    _raise("_unique2" if ctx.arg(4, "dim") is None else "unique_dim")


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
@differentiable(lambda ctx: "Unique2Backward0" if ctx.arg(4, "dim") is None
                else "UniqueDimBackward0", _unique_backward)
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
@differentiable("UniqueConsecutiveBackward0", lambda ctx, *g: _raise("unique_consecutive"))
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
