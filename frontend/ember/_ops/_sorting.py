"""Sorting and searching: sort, argsort, msort, topk, searchsorted, bucketize. Unique
elements live in ``_unique``, scans (cumsum, cummax, diff, ...) in ``_scans``.

nan sorts as the largest value (last ascending, first descending), as in PyTorch.

# NOTE [ Selection gradients ]
An op that returns ``(values, indices)`` picked along ``dim`` (sort, topk, cummax, cummin)
sends each value's gradient back to the element it was picked from: zeros scattered with
the indices (scatter_add where one element can be picked several times, as in cummax).
Indices and search results are integers and carry no gradient.
"""

from __future__ import annotations

from typing import Any

from .. import return_types as R
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import (
    check_device,
    is_scalar,
    norm_dim,
    promote,
    scalar_to_tensor,
    shape_of,
    to_dtype,
)
from ._reduction import check_tensor, numel_of
from ._registry import public

__all__ = ["sort", "argsort", "msort", "topk", "searchsorted", "bucketize", "select_backward"]


def select_backward(g: Tensor, indices: Tensor, shape: tuple[int, ...], dim: int,
                    accumulate: bool = False) -> Tensor:
    """The gradient of values picked at ``indices`` along ``dim`` from a tensor of ``shape``
    (NOTE [ Selection gradients ])."""
    if not shape:
        return g.reshape(())
    d = norm_dim(dim, len(shape))
    zeros = g.new_zeros(shape)
    return zeros.scatter_add(d, indices, g) if accumulate else zeros.scatter(d, indices, g)


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
@differentiable(lambda ctx: "SortBackward1" if "stable" in ctx.kwargs else "SortBackward0",
                lambda ctx, g, *_: select_backward(
    g, ctx.out[1], shape_of(ctx.input), ctx.arg(1, "dim", -1)), save_output=True)
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
    check_tensor("msort", input)
    return sort(input, 0).values


@public()
@differentiable("TopkBackward0", lambda ctx, g, *_: select_backward(
    g, ctx.out[1], shape_of(ctx.input), ctx.arg(2, "dim", -1)), save_output=True)
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
