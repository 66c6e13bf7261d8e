"""Copies that repeat or reorder elements: repeat, tile, repeat_interleave, flip, fliplr,
flipud, roll -- each with its backward (NOTE [ Declaring a derivative ] in ``_autodiff``).

A repetition's gradient sums the output gradient over the copies (a reshape that puts the
copies on their own axes, then ``sum``); a reordering's gradient is the inverse reordering
of the output gradient.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import shape_of
from ._registry import method, public
from ._shape import flatten, reshape
from ._view_core import norm_dim, norm_dims, size_args

__all__ = ["repeat", "tile", "repeat_interleave", "flip", "fliplr", "flipud", "roll"]


# ---------------------------------------------------------------------------- repetition
def _repeat_backward(ctx: Any, g: Tensor) -> Tensor:
    reps = size_args(ctx.args[1:], "repeat")
    shape = shape_of(ctx.input)
    full = (1,) * (len(reps) - len(shape)) + shape
    g = g.reshape(tuple(x for r, s in zip(reps, full) for x in (r, s)))
    g = g.sum(dim=tuple(range(0, 2 * len(reps), 2)))
    return g.reshape(shape)


@differentiable("RepeatBackward0", _repeat_backward)
def repeat(self: Tensor, *sizes: Any) -> Tensor:
    """Tile the tensor ``sizes[i]`` times along each axis (new leading axes as needed).

    Example:
        >>> import ember
        >>> ember.tensor([1, 2]).repeat(2)
        tensor([1, 2, 1, 2])
    """
    if not sizes:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    reps = size_args(sizes, "repeat")
    shape = shape_of(self)
    if len(reps) < len(shape):
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    shape = (1,) * (len(reps) - len(shape)) + shape
    target = tuple(r * s for r, s in zip(reps, shape))
    for r in reps:
        if r < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {r}: "
                               f"{list(target)}")
    be = self._backend
    inter = tuple(x for s in shape for x in (1, s))
    data = be.expand(be.reshape(self._data, inter), tuple(x for p in zip(reps, shape) for x in p))
    return _wrap(be.reshape(be.copy(data), target), self._dtype, be)


method("repeat", repeat)


@public()
def tile(input: Tensor, dims: Sequence[int]) -> Tensor:
    """``repeat`` where missing leading ``dims`` count as 1."""
    dims = size_args((dims,), "tile")
    return repeat(input, (1,) * (input.dim() - len(dims)) + dims)


def _interleave_backward(ctx: Any, g: Tensor) -> Tensor:
    shape, r, d = shape_of(ctx.input), ctx.args[1], ctx.args[2]
    return g.reshape(shape[:d + 1] + (r,) + shape[d + 1:]).sum(d + 1)


@differentiable("ViewBackward0", _interleave_backward)
def _interleave(input: Tensor, r: int, d: int) -> Tensor:
    """Each slice along ``d`` of the (at least 1-d) ``input`` repeated ``r`` times."""
    shape, be = shape_of(input), input._backend
    x = be.reshape(input._data, shape[:d + 1] + (1,) + shape[d + 1:])
    x = be.expand(x, shape[:d + 1] + (r,) + shape[d + 1:])
    out = shape[:d] + (shape[d] * r,) + shape[d + 1:]
    return _wrap(be.reshape(be.copy(x), out), input._dtype, be)


@public()
def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *,
                      output_size: int | None = None) -> Tensor:
    """Repeat each element ``repeats`` times (an int, or one count per element along
    ``dim``); with ``dim=None`` the input is flattened first.

    Example:
        >>> import ember
        >>> ember.tensor([1, 2]).repeat_interleave(2)
        tensor([1, 1, 2, 2])
    """
    from ._creation import arange

    if repeats is None:
        if input.dim() != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        return repeat_interleave(arange(input.numel(), device=input.device), input, 0)
    if dim is None:
        input, d = flatten(input), 0
    elif not input.dim():  # PyTorch refuses any dim for a 0-d input
        if isinstance(repeats, Tensor):
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    else:
        d = norm_dim(dim, input.dim(), "repeat_interleave")
    shape = shape_of(input)
    n = shape[d] if shape else 1
    if isinstance(repeats, Tensor):
        if repeats.dim() > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        counts = repeats.reshape(-1).tolist()
        if len(counts) == 1:
            repeats = counts[0]
        elif len(counts) != n:
            raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {len(counts)} and input.size({d}) = {n}")
    else:
        counts = None
    if isinstance(repeats, Tensor):
        if any(c < 0 for c in counts):
            raise RuntimeError("repeats can not be negative")
        idx = [i for i, c in enumerate(counts) for _ in range(c)]
        if output_size is not None and output_size != len(idx):
            raise RuntimeError(f"repeat_interleave: output_size {output_size} does not match "
                               f"the repeats' sum {len(idx)}")
        from ._creation import tensor
        from ._index_ops import index_select

        return index_select(input, d, tensor(idx, dtype=D.int64, device=input.device))
    r = repeats.__index__()
    if r < 0:
        raise RuntimeError("Repeats must be non-negative")
    return _interleave(input if shape else reshape(input, (1,)), r, d)


# ---------------------------------------------------------------------------- order
def _flip_axes(input: Tensor, args: tuple, dims: Any) -> tuple[int, ...]:
    if dims is None:
        dims = args[0] if len(args) == 1 and not isinstance(args[0], int) else args
    return norm_dims(dims, input.dim(), "flip")


@public()
@differentiable("FlipBackward0", lambda ctx, g: flip(
    g, _flip_axes(ctx.input, ctx.args[1:], ctx.kwargs.get("dims"))))
def flip(input: Tensor, *args: Any, dims: Any = None) -> Tensor:
    """A copy with the order of elements reversed along ``dims``.

    Example:
        >>> import ember
        >>> ember.tensor([1, 2, 3]).flip(0)
        tensor([3, 2, 1])
    """
    axes = _flip_axes(input, args, dims)
    be = input._backend
    return _wrap(be.flip(input._data, axes), input._dtype, be)


@public()
def fliplr(input: Tensor) -> Tensor:
    """Reverse the columns (axis 1)."""
    if input.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


@public()
def flipud(input: Tensor) -> Tensor:
    """Reverse the rows (axis 0)."""
    if input.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


def _roll_backward(ctx: Any, g: Tensor) -> Tensor:
    shifts, dims = ctx.arg(1, "shifts"), ctx.arg(2, "dims")
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    return roll(g, tuple(-s for s in shifts), dims)


@public()
@differentiable("RollBackward0", _roll_backward)
def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    """Rotate the elements by ``shifts`` along ``dims`` (of the flattened tensor when None).

    Example:
        >>> import ember
        >>> ember.tensor([1, 2, 3]).roll(1)
        tensor([3, 1, 2])
    """
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                               f"dims:0")
        return reshape(roll(flatten(input), shifts, (0,)), shape_of(input))
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims:{len(dims)}")
    be, shape = input._backend, shape_of(input)
    if not shape:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    data = input._data
    for s, dim in zip(shifts, dims):
        d = norm_dim(dim, len(shape), "roll")
        n = shape[d] if shape else 1
        k = s % n if n else 0
        if k:
            head = (slice(None),) * d
            data = be.cat([be.getitem(data, head + (slice(n - k, n),)),
                           be.getitem(data, head + (slice(0, n - k),))], d)
    return _wrap(be.copy(data) if data is input._data else data, input._dtype, be)
