"""Ops that read or write whole slices at an index vector (index_select, index_add,
index_copy, index_fill) and flat positions (take, put) -- each with its backward (NOTE
[ Declaring a derivative ] in ``_autodiff``).

Reads and writes are each other's gradients: ``index_select``'s is an ``index_add`` into
zeros (repeated indices add up) and ``index_add``'s source gets ``index_select`` of the
output gradient; likewise ``take`` and an accumulating ``put``. A write that overwrites
(``index_copy``, ``index_fill``, ``put``) sends no gradient to the values it replaced.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor, _wrap
from ..autograd.grad_mode import grad_state
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import check_device, shape_of, to_dtype
from ._elementwise import _tname
from ._indexing import (
    _I64,
    _along,
    _as_1d,
    _bad,
    _check_range,
    _fill_value,
    _index_arg,
    arg_inputs,
)
from ._inplace import assign_, bump_version, check_inplace, make_inplace
from ._registry import method, public
from ._shape import reshape
from ._view_core import is_contiguous, norm_dim

__all__ = ["index_select", "index_add", "index_copy", "index_fill", "take", "put", "put_"]


# ---------------------------------------------------------------------------- slices
@public()
@differentiable("IndexSelectBackward0", lambda ctx, g: g.new_zeros(shape_of(ctx.input)).index_add(
    ctx.arg(1, "dim"), ctx.arg(2, "index"), g))
def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The entries ``index`` (a vector) along ``dim``, as a new tensor.

    Example:
        >>> import ember
        >>> ember.tensor([10, 20, 30]).index_select(0, ember.tensor([2, 0]))
        tensor([30, 10])
    """
    _index_arg("index_select", index, (_I64, D.int32), "int32 or int64")
    if index.dim() > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    shape = shape_of(input)
    x = input if shape else reshape(input, (1,))
    d = norm_dim(dim, len(shape), "index_select")
    be = input._backend
    check_device("index_select", input, index)
    idx = be.reshape(to_dtype(index, _I64), (index.numel(),))
    try:
        idx = _check_range(be, idx, shape_of(x)[d], d)
    except IndexError:
        raise IndexError("index out of range in self") from None
    out = be.index(x._data, _along(x, d, idx))
    return _wrap(out if shape else be.reshape(out, ()), input._dtype, be)


def _index_op(op: str, input: Tensor, dim: int, index: Tensor, source: Any, accumulate: bool
              ) -> Tensor:
    _index_arg(op, index, (_I64, D.int32), "int32 or int64")
    if index.dim() > 1:
        raise IndexError(f"{op}(): Index is supposed to be a vector")
    xs = shape_of(input)
    d = norm_dim(dim, len(xs), op)
    be = input._backend
    x = _as_1d(input)
    n = index.numel()
    idx = be.reshape(to_dtype(index, _I64), (n,))
    size = shape_of(x)[d]
    if isinstance(source, Tensor):
        if source._dtype is not input._dtype:
            raise RuntimeError(f"{op}_(): self ({_tname(input._dtype)}) and source "
                               f"({_tname(source._dtype)}) must have the same scalar type")
        ss = shape_of(_as_1d(source))
        want = shape_of(x)[:d] + (n,) + shape_of(x)[d + 1:]
        if len(ss) > d and ss[d] != n:
            err = RuntimeError if op == "index_add" else IndexError
            raise err(f"{op}_(): Number of indices ({n}) should be equal to source.size(dim) "
                      + (f": ({ss[d]}), for dim: {d}" if op == "index_add" else f"({ss[d]})"))
        if ss != want:
            raise RuntimeError(f"{op}_(): source of shape {list(shape_of(source))} does not "
                               f"match self {list(xs)} outside dimension {d} (expected "
                               f"{list(want)})")
        value = be.reshape(source._data, want)
    else:
        value = _fill_value(op + "_", source, input._dtype)
    try:
        idx = _check_range(be, idx, size, d)
    except IndexError as exc:
        if op == "index_add":
            raise RuntimeError(str(exc)) from None
        raise IndexError((f"{op}_(): " if op == "index_copy" else "") + str(exc)) from None
    out = be.copy(x._data)
    be.index_put(out, _along(x, d, idx), value, accumulate)
    return _wrap(out if xs else be.reshape(out, ()), input._dtype, be)


def _selected(ctx: Any, g: Tensor, like: Tensor) -> Tensor:
    """``g``'s slices at ``index`` along ``dim``, shaped like ``like``."""
    return g.index_select(ctx.arg(1, "dim"), ctx.arg(2, "index")).reshape(shape_of(like))


def _index_add_backward(ctx: Any, g: Tensor) -> tuple:
    source, alpha = ctx.inputs[1], ctx.kwargs.get("alpha", 1)
    gs = None
    if source._requires_grad:
        gs = _selected(ctx, g, source)
        gs = gs * alpha if alpha != 1 else gs
    return g, gs


@public()
@differentiable("IndexAddBackward0", _index_add_backward,
                inputs=arg_inputs((0, "input"), (3, "source")))
def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: Any = 1
              ) -> Tensor:
    """A copy of ``input`` with ``alpha * source`` added at the slices ``index`` along
    ``dim`` (repeated indices add up).

    Example:
        >>> import ember
        >>> ember.zeros(3).index_add(0, ember.tensor([0, 0]), ember.tensor([1., 2.]))
        tensor([3., 0., 0.])
    """
    if alpha != 1:
        source = source * alpha
    return _index_op("index_add", input, dim, index, source, True)


def _index_copy_backward(ctx: Any, g: Tensor) -> tuple:
    source = ctx.inputs[1]
    gx = g.index_fill(ctx.arg(1, "dim"), ctx.arg(2, "index"), 0)
    return gx, _selected(ctx, g, source) if source._requires_grad else None


@public()
@differentiable("IndexCopyBackward0", _index_copy_backward,
                inputs=arg_inputs((0, "input"), (3, "source")))
def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of ``input`` with the slices ``index`` along ``dim`` replaced by ``source``."""
    return _index_op("index_copy", input, dim, index, source, False)


def _index_fill_backward(ctx: Any, g: Tensor) -> tuple:
    dim, index = ctx.arg(1, "dim"), ctx.arg(2, "index")
    value = ctx.inputs[1]
    gv = None
    if isinstance(value, Tensor) and value._requires_grad:
        gv = g.index_select(dim, index.unique()).sum()  # a repeated index fills once
    return g.index_fill(dim, index, 0), gv


@public()
@differentiable(lambda ctx: "IndexFillBackward1" if isinstance(ctx.inputs[1], Tensor)
                else "IndexFillBackward0", _index_fill_backward,
                inputs=arg_inputs((0, "input"), (3, "value")))
def index_fill(input: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """A copy of ``input`` with the slices ``index`` along ``dim`` filled with ``value``."""
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but "
                               f"got tensor with {value.dim()} dimension(s).")
        value = value.item()
    return _index_op("index_fill", input, dim, index, value, False)


for _name, _fn in (("index_add", index_add), ("index_copy", index_copy),
                   ("index_fill", index_fill)):
    make_inplace(_name, _fn)


# ---------------------------------------------------------------------------- flat positions
@public()
@differentiable("TakeBackward0", lambda ctx, g: put(
    g.new_zeros(shape_of(ctx.input)), ctx.arg(1, "index"), g, True))
def take(input: Tensor, index: Tensor) -> Tensor:
    """Elements of the flattened ``input`` at ``index`` (negative indices count from the end);
    the result has ``index``'s shape.

    Example:
        >>> import ember
        >>> ember.tensor([[1, 2], [3, 4]]).take(ember.tensor([0, -1]))
        tensor([1, 4])
    """
    _index_arg("take", index)
    be = input._backend
    n = input.numel()
    flat = be.reshape(input._data, (n,))
    try:
        idx = _check_range(be, index._data, n, 0)
    except IndexError:
        raise IndexError(f"out of range: tried to access index "
                         f"{_bad(be, index._data, n)} on a tensor of {n} elements.") from None
    return _wrap(be.index(flat, (idx,)), input._dtype, be)


def _check_put(self: Tensor, index: Any, source: Tensor) -> None:
    _index_arg("put_", index)
    if source._dtype is not self._dtype:
        raise RuntimeError(f"put_(): self and source expected to have the same dtype, but got "
                           f"self.dtype = {_tname(self._dtype)} and source.dtype = "
                           f"{_tname(source._dtype)}")
    if index.numel() != source.numel():
        raise RuntimeError(f"put_(): Expected source and index to have the same number of "
                           f"elements, but got source.numel() = {source.numel()}, "
                           f"index.numel() = {index.numel()}")


def _put_flat(self: Tensor, index: Tensor, source: Tensor, accumulate: bool) -> None:
    be, n, k = self._backend, self.numel(), index.numel()
    try:
        idx = _check_range(be, be.reshape(index._data, (k,)), n, 0)
    except IndexError:
        raise IndexError(f"out of range: tried to access index "
                         f"{_bad(be, index._data, n)} on a tensor of {n} elements.") from None
    src = be.reshape(source._data, (k,))
    if is_contiguous(self):
        be.index_put(be.reshape(self._data, (n,)), (idx,), src, accumulate)
    else:
        flat = be.reshape(be.copy(self._data), (n,))
        be.index_put(flat, (idx,), src, accumulate)
        be.copy_into(self._data, be.reshape(flat, shape_of(self)))


def put_(self: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """In place: write ``source`` at the flat positions ``index`` (``+=`` with
    ``accumulate``)."""
    _check_put(self, index, source)
    check_inplace(self, "put_")
    if grad_state.enabled and (self._requires_grad or source._requires_grad):
        return assign_(self, put(self, index, source, accumulate), "put_")
    _put_flat(self, index, source, accumulate)
    bump_version(self)
    return self


def _put_backward(ctx: Any, g: Tensor) -> tuple:
    index, accumulate = ctx.arg(1, "index"), ctx.arg(3, "accumulate", False)
    source = ctx.inputs[1]
    gx = g if accumulate else g.put(index, source.new_zeros(shape_of(source)))
    return gx, g.take(index).reshape(shape_of(source)) if source._requires_grad else None


@public()
@differentiable("PutBackward0", _put_backward, inputs=arg_inputs((0, "input"), (2, "source")))
def put(input: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """Out-of-place :meth:`Tensor.put_`."""
    _check_put(input, index, source)
    be = input._backend
    out = _wrap(be.copy(input._data), input._dtype, be)
    _put_flat(out, index, source, accumulate)
    return out


method("put_", put_)
