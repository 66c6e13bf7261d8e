"""Gather and scatter along a dimension: gather, take_along_dim, scatter, scatter_add,
scatter_reduce -- each with its backward (NOTE [ Declaring a derivative ] in ``_autodiff``).

``gather`` and ``scatter_add`` are each other's gradients (repeated indices add up). An
overwriting ``scatter`` sends no gradient to the values it replaced; its ``src`` gets the
gathered output gradient (zeros where ``src`` is larger than ``index``). scatter_reduce
follows PyTorch's formulas: the output gradient for ``sum``, divided by the counts for
``mean``, shared evenly between tied extremes for ``amax``/``amin``, and the product of the
others (computed without dividing by zero) for ``prod``.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor, _wrap
from ..autograd.grad_mode import grad_state
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import broadcast_shapes, check_device, shape_of
from ._elementwise import _tname, where
from ._indexing import (
    _I64,
    _INT_RANGE,
    _as_1d,
    _check_index_range,
    _fill_value,
    _index_arg,
    _numel,
    arg_inputs,
)
from ._inplace import assign_, make_inplace
from ._registry import method, public
from ._shape import expand
from ._view_core import norm_dim
from ._views import embed

__all__ = ["gather", "take_along_dim", "scatter", "scatter_add", "scatter_reduce"]


def _fit(g: Tensor, like: Tensor) -> Tensor:
    """``g`` (the gradient at ``index``'s positions) padded with zeros to ``like``'s shape."""
    shape = shape_of(like)
    if shape_of(g) == shape:
        return g
    key = tuple(slice(0, n) for n in shape_of(g))
    return embed(g, shape, lambda z: z[key], "Slice")


# ---------------------------------------------------------------------------- gather
@public()
@differentiable("GatherBackward0", lambda ctx, g: g.new_zeros(shape_of(ctx.input)).scatter_add(
    ctx.arg(1, "dim"), ctx.arg(2, "index"), g))
def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """``out[i][j][k] = input[i][index[i][j][k]][k]`` for ``dim == 1``.

    Example:
        >>> import ember
        >>> ember.tensor([[1, 2], [3, 4]]).gather(1, ember.tensor([[1], [0]]))
        tensor([[2],
                [3]])
    """
    _index_arg("gather", index, (_I64, D.int32), "int64")
    index = index.to(_I64)
    xs, js = shape_of(input), shape_of(index)
    d = norm_dim(dim, len(xs), "gather")
    if len(js) != len(xs) and _numel(js):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for a in range(len(xs)):
        if a != d and a < len(js) and js[a] > xs[a]:
            raise RuntimeError(f"Size does not match at dimension {a} expected index {list(js)} "
                               f"to be no larger than self {list(xs)} apart from dimension {d}")
    check_device("gather", input, index)
    be = input._backend
    x, j = _as_1d(input), _as_1d(index)
    _check_index_range(be, j._data, shape_of(x)[d], d)
    out = be.gather(x._data, d, j._data)
    return _wrap(out if js else be.reshape(out, ()), input._dtype, be)


@public()
def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """Gather ``indices`` along ``dim`` after broadcasting the other axes (the flattened
    input when ``dim`` is None)."""
    if indices._dtype is not _I64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{_tname(indices._dtype)}")
    if dim is None:
        return gather(input.view(-1), 0, indices.view(-1))  # as PyTorch: views only
    xs, js = shape_of(input), shape_of(indices)
    if len(xs) != len(js):
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {len(xs)} dimensions for input, and "
                           f"{len(js)} dimensions for indices")
    d = norm_dim(dim, len(xs), "take_along_dim")
    rest = broadcast_shapes(xs[:d] + (1,) + xs[d + 1:], js[:d] + (1,) + js[d + 1:])
    x = expand(input, rest[:d] + (xs[d],) + rest[d + 1:])
    j = expand(indices, rest[:d] + (js[d],) + rest[d + 1:])
    return gather(x, d, j)


# ---------------------------------------------------------------------------- scatter
_SCATTER_REDUCE = {None: None, "add": "sum", "multiply": "prod"}


def _scatter(op: str, input: Tensor, dim: int, index: Tensor, src: Any, reduce: str | None
             ) -> Tensor:
    _index_arg(op, index, (_I64, D.int32), "int64")
    index = index.to(_I64)
    xs, js = shape_of(input), shape_of(index)
    d = norm_dim(dim, len(xs), op)
    be = input._backend
    if not _numel(js):
        return _wrap(be.copy(input._data), input._dtype, be)
    if isinstance(src, Tensor):
        if src._dtype is not input._dtype:
            raise RuntimeError(f"{op}(): Expected self.dtype to be equal to src.dtype")
        check_device(op, input, src)
        ss = shape_of(src)
        if not (len(js) == len(xs) == len(ss)):
            raise RuntimeError("Index tensor must have the same number of dimensions as self "
                               "tensor" if len(js) != len(xs) else
                               "Index tensor must have the same number of dimensions as src "
                               "tensor")
        if any(js[a] > ss[a] or (a != d and js[a] > xs[a]) for a in range(len(js))):
            raise RuntimeError(f"Expected index {list(js)} to be smaller than self {list(xs)} "
                               f"apart from dimension {d} and to be smaller size than src "
                               f"{list(ss)}")
        s = _as_1d(src)
        value = be.getitem(s._data, tuple(slice(0, n) for n in (js or (1,))))
    else:
        value = _fill_value(op, src, input._dtype)
        if len(js) != len(xs):
            raise RuntimeError("Index tensor must have the same number of dimensions as self "
                               "tensor")
    check_device(op, input, index)
    x, j = _as_1d(input), _as_1d(index)
    _check_index_range(be, j._data, shape_of(x)[d], d)
    out = be.scatter(x._data, d, j._data, value, reduce)
    return _wrap(out if xs else be.reshape(out, ()), input._dtype, be)


def _scatter_src(args: tuple, kwargs: dict) -> tuple:
    """``(input, src)``: a number ``src`` or ``value`` gets no gradient."""
    return (args[0] if args else kwargs["input"], args[3] if len(args) > 3 else kwargs.get("src"))


def _scatter_name(ctx: Any) -> str:
    if ctx.kwargs.get("reduce") is not None:
        return "torch::autograd::NotImplemented"
    return "ScatterBackward0" if isinstance(ctx.inputs[1], Tensor) else "ScatterBackward1"


def _scatter_backward(ctx: Any, g: Tensor) -> tuple:
    if ctx.kwargs.get("reduce") is not None:
        raise RuntimeError("derivative for aten::scatter is not implemented")
    dim, index, src = ctx.arg(1, "dim"), ctx.arg(2, "index"), ctx.inputs[1]
    gs = None
    if isinstance(src, Tensor) and src._requires_grad:
        gs = _fit(g.gather(dim, index), src)
    return g.scatter(dim, index, 0), gs


@public()
@differentiable(_scatter_name, _scatter_backward, inputs=_scatter_src)
def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, *, value: Any = None,
            reduce: str | None = None) -> Tensor:
    """A copy of ``input`` with ``src`` (a tensor, or a number ``value``) written at
    ``index`` along ``dim``; ``reduce="add"``/``"multiply"`` combine instead of overwrite."""
    if src is None:
        src = value
    if src is None:
        raise TypeError("scatter() missing required argument 'src' or 'value'")
    if reduce not in _SCATTER_REDUCE:
        raise RuntimeError("reduce argument must be either add or multiply.")
    return _scatter("scatter", input, dim, index, src, _SCATTER_REDUCE[reduce])


def _scatter_add_backward(ctx: Any, g: Tensor) -> tuple:
    src = ctx.inputs[1]
    gs = _fit(g.gather(ctx.arg(1, "dim"), ctx.arg(2, "index")), src) if src._requires_grad \
        else None
    return g, gs


@public()
@differentiable("ScatterAddBackward0", _scatter_add_backward,
                inputs=arg_inputs((0, "input"), (3, "src")))
def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of ``input`` with ``src`` added at ``index`` along ``dim`` (duplicates add up)."""
    if not isinstance(src, Tensor):
        raise TypeError(f"scatter_add(): argument 'src' must be Tensor, not "
                        f"{type(src).__name__}")
    return _scatter("scatter_add", input, dim, index, src, "sum")


# ---------------------------------------------------------------------------- scatter_reduce
_IDENTITY = {"sum": 0, "prod": 1, "mean": 0}
_NEEDS_VALUES = ("prod", "amax", "amin", "max", "min")  # backward reads self and src


def _reduce_name(reduce: str) -> str:
    return {"max": "amax", "min": "amin"}.get(reduce, reduce)


def _reduce_backward(ctx: Any, g: Tensor) -> tuple:
    input, src = ctx.inputs
    dim, index = ctx.arg(1, "dim"), ctx.arg(2, "index")
    reduce = _reduce_name(ctx.arg(4, "reduce"))
    include_self = ctx.kwargs.get("include_self", True)
    if reduce == "sum":
        gx, gs = g, g.gather(dim, index)
    elif reduce == "mean":
        n = g.new_full(shape_of(g), 1 if include_self else 0).scatter_add(
            dim, index, src.new_ones(shape_of(index)))
        n = n.masked_fill(n == 0, 1)
        gx, gs = g / n, g.gather(dim, index) / n.gather(dim, index)
    elif reduce in ("amax", "amin"):
        result = ctx.out
        self_is = input == result
        if not include_self:  # replaced values tie with nothing
            self_is = self_is.scatter(dim, index, False)
        src_is = src == result.gather(dim, index)
        count = self_is.to(g.dtype).scatter_add(dim, index, src_is.to(g.dtype))
        share = g / count
        gx, gs = share * self_is, share.gather(dim, index) * src_is
    else:
        gx, gs = _prod_backward(ctx, g, input, src, dim, index, include_self)
    if not include_self:
        gx = gx.scatter(dim, index, 0)
    return gx, _fit(gs, src)


def _prod_backward(ctx: Any, g: Tensor, input: Tensor, src: Tensor, dim: int, index: Tensor,
                   include_self: bool) -> tuple:
    """PyTorch's formula: divide the product by the factor, except where that factor is
    the only zero of its product (then the product of the others is computed directly)."""
    # With create_graph the result must be a function of the inputs, so recompute it.
    result = ctx.out if not grad_state.enabled else input.scatter_reduce(
        dim, index, src, "prod", include_self=include_self)
    masked_self = input.masked_fill(input == 0, 1)
    gx = g * masked_self.scatter_reduce(dim, index, src, "prod", include_self=include_self) \
        / masked_self
    src_zero = src == 0
    zeros = src.new_zeros(shape_of(input)).scatter_add(dim, index, src_zero.to(src.dtype))
    single = src_zero.logical_and(zeros.gather(dim, index) == 1)
    others = input.scatter_reduce(dim, index, src.masked_fill(single, 1), "prod",
                                  include_self=include_self)
    gs = where(single, (g * others).gather(dim, index),
               (g * result).gather(dim, index) / src.masked_fill(src_zero, 1))
    return gx, gs


@public()
@differentiable("ScatterReduceBackward0", _reduce_backward,
                inputs=arg_inputs((0, "input"), (3, "src")), save_output=True,
                saved=lambda ctx: ctx.inputs if ctx.arg(4, "reduce") in _NEEDS_VALUES else ())
def scatter_reduce(input: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                   include_self: bool = True) -> Tensor:
    """Reduce ``src`` into ``input`` at ``index`` along ``dim`` with ``reduce`` in
    ``"sum"``, ``"prod"``, ``"mean"``, ``"amax"``, ``"amin"``; ``include_self`` decides
    whether the original values take part.

    Example:
        >>> import ember
        >>> ember.zeros(2).scatter_reduce(0, ember.tensor([0, 0, 1]), ember.tensor([1., 3., 2.]),
        ...                               "amax", include_self=False)
        tensor([3., 2.])
    """
    if reduce not in ("sum", "prod", "mean", "amax", "amin", "max", "min"):
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    reduce = {"max": "amax", "min": "amin"}.get(reduce, reduce)
    base = input
    if not include_self:
        dt = input._dtype
        if reduce in _IDENTITY:
            ident = _IDENTITY[reduce]
        elif dt.kind == "f":
            ident = float("-inf") if reduce == "amax" else float("inf")
        else:
            lo, hi = _INT_RANGE.get(dt.name, (0, 1))
            ident = lo if reduce == "amax" else hi
        base = _scatter("scatter_reduce", input, dim, index, ident, None)
    if reduce != "mean":
        return _scatter("scatter_reduce", base, dim, index, src, reduce)
    total = _scatter("scatter_reduce", base, dim, index, src, "sum")
    be = input._backend
    ones = _wrap(be.full(shape_of(input), 1 if include_self else 0, input._dtype),
                 input._dtype, be)
    count = _scatter("scatter_reduce", ones, dim, index,
                     _wrap(be.full(shape_of(src), 1, input._dtype), input._dtype, be), "sum")
    count = _wrap(be.where(be.eq(count._data, 0), 1, count._data), input._dtype, be)
    if input._dtype.kind in "fc":
        return _wrap(be.div(total._data, count._data), input._dtype, be)
    return _wrap(be.floor_divide(total._data, count._data), input._dtype, be)


def scatter_reduce_(self: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                    include_self: bool = True) -> Tensor:
    """In-place :func:`scatter_reduce`."""
    base = self
    if (grad_state.enabled and reduce in _NEEDS_VALUES
            and (self._requires_grad or src._requires_grad)):
        base = self.clone()  # the backward reads the values this write replaces
    return assign_(self, scatter_reduce(base, dim, index, src, reduce,
                                        include_self=include_self), "scatter_reduce_")


method("scatter_reduce_", scatter_reduce_)
make_inplace("scatter", scatter)
make_inplace("scatter_add", scatter_add)
