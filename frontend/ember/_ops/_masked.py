"""Ops driven by a bool mask: masked_fill, masked_select, masked_scatter -- each with its
backward (NOTE [ Declaring a derivative ] in ``_autodiff``).

The mask broadcasts with the input. ``masked_select`` and ``masked_scatter`` are each
other's gradients (the masked places in row-major order); a fill or scatter sends no
gradient to the values it replaced, and a 0-d tensor fill value gets the sum of the output
gradient over the masked places.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import broadcast_shapes, check_device, shape_of
from ._elementwise import _tname
from ._indexing import _fill_value, arg_inputs
from ._inplace import make_inplace
from ._registry import public
from ._shape import expand

__all__ = ["masked_fill", "masked_select", "masked_scatter"]


def _check_mask(op: str, input: Tensor, mask: Any) -> None:
    if not isinstance(mask, Tensor):
        raise TypeError(f"{op}(): argument 'mask' (position 1) must be Tensor, not "
                        f"{type(mask).__name__}")
    if mask._dtype is not D.bool_:
        raise RuntimeError(f"{op}_ only supports boolean masks, but got mask with dtype "
                           f"{mask._dtype.name}")
    check_device(op, input, mask)


def _masked_fill_backward(ctx: Any, g: Tensor) -> tuple:
    mask, value = ctx.arg(1, "mask"), ctx.inputs[1]
    gv = None
    if isinstance(value, Tensor) and value._requires_grad:
        gv = g.masked_fill(mask.logical_not(), 0).sum()
    return g.masked_fill(mask, 0), gv


@public()
@differentiable(lambda ctx: "MaskedFillBackward1" if isinstance(ctx.inputs[1], Tensor)
                else "MaskedFillBackward0", _masked_fill_backward,
                inputs=arg_inputs((0, "input"), (2, "value")))
def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """A copy of ``input`` with ``value`` (a number or a 0-d tensor) where ``mask``
    (broadcast) is True.

    Example:
        >>> import ember
        >>> ember.tensor([1., 2., 3.]).masked_fill(ember.tensor([True, False, True]), 0.)
        tensor([0., 2., 0.])
    """
    _check_mask("masked_fill", input, mask)
    v = _fill_value("masked_fill_", value, input._dtype)
    be = input._backend
    return _wrap(be.where(mask._data, v, input._data), input._dtype, be)


def _masked_select_backward(ctx: Any, g: Tensor) -> Tensor:
    mask = ctx.arg(1, "mask")
    shape = broadcast_shapes(shape_of(ctx.input), shape_of(mask))
    return g.new_zeros(shape).masked_scatter(mask, g)


@public()
@differentiable("MaskedSelectBackward0", _masked_select_backward)
def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """The elements where ``mask`` (broadcast with ``input``) is True, as a 1-d tensor."""
    if mask._dtype is not D.bool_:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask, got "
                           f"{_tname(mask._dtype)}")
    check_device("masked_select", input, mask)
    shape = broadcast_shapes(shape_of(input), shape_of(mask))
    x, m = expand(input, shape), expand(mask, shape)
    be = input._backend
    out = be.index(x._data, (m._data,))
    return _wrap(be.reshape(out, (-1,)) if not shape else out, input._dtype, be)


def _masked_scatter_backward(ctx: Any, g: Tensor) -> tuple:
    mask, source = ctx.arg(1, "mask"), ctx.inputs[1]
    gs = None
    if source._requires_grad:
        picked = g.masked_select(mask)
        rest = source.numel() - picked.numel()
        if rest:
            from ._join import cat

            picked = cat([picked, picked.new_zeros((rest,))])
        gs = picked.reshape(shape_of(source))
    return g.masked_fill(mask, 0), gs


@public()
@differentiable("MaskedScatterBackward0", _masked_scatter_backward,
                inputs=arg_inputs((0, "input"), (2, "source")))
def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """A copy of ``input`` (broadcast with ``mask``) whose masked places take the leading
    elements of ``source``, in row-major order.

    Example:
        >>> import ember
        >>> ember.zeros(3).masked_scatter(ember.tensor([True, False, True]),
        ...                               ember.tensor([1., 2., 3.]))
        tensor([1., 0., 2.])
    """
    _check_mask("masked_scatter", input, mask)
    if not isinstance(source, Tensor):
        raise TypeError(f"masked_scatter(): argument 'source' (position 2) must be Tensor, not "
                        f"{type(source).__name__}")
    if source._dtype is not input._dtype:
        raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but "
                           f"got{_tname(input._dtype)} and {_tname(source._dtype)}")
    check_device("masked_scatter", input, source)
    be = input._backend
    shape = broadcast_shapes(shape_of(input), shape_of(mask))
    m = be.copy(expand(mask, shape)._data)
    count = int(be.to_list(be.sum(be.astype(m, D.int64), tuple(range(len(shape))), False)))
    if source.numel() < count:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    out = be.copy(expand(input, shape)._data)
    if count:
        values = be.getitem(be.reshape(source._data, (source.numel(),)), (slice(0, count),))
        be.index_put(out, (m,), values, False)
    return _wrap(out, input._dtype, be)


make_inplace("masked_fill", masked_fill)
make_inplace("masked_scatter", masked_scatter)
