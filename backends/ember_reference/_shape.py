"""Views (reshape, permute, expand, getitem, as_strided, diagonal) and the copying shape
primitives built on them (cat, flip, pad).

A view is a new :class:`RefArray` on the same storage with other shape, strides and
offset (NOTE [ Strided arrays ] in ``_array.py``); nothing here copies elements except
where a docstring says so.
"""

from __future__ import annotations

from ._array import (
    RefArray,
    broadcast_to,
    contiguous_strides,
    from_values,
    full,
    numel,
    permute,
    values,
)
from ._elementwise import copy, copy_into

__all__ = ["as_strided", "cat", "diagonal", "expand", "flip", "getitem", "pad", "permute",
           "reshape"]


# ---------------------------------------------------------------------------- reshape
def _view_strides(x: RefArray, shape: tuple[int, ...]) -> tuple[int, ...] | None:
    """Strides that show ``x``'s elements, in row-major order, with ``shape``; None when
    ``x``'s layout does not allow it (then ``reshape`` must copy).

    Axes of size 1 never matter. The other axes of ``x`` fall into *chunks*: maximal runs in
    which each axis steps exactly over the whole next axis (``stride[i] == shape[i+1] *
    stride[i+1]``), so a chunk behaves like one contiguous axis. A new shape is a view iff
    its axes, taken right to left, split every chunk exactly (never straddle two chunks).
    """
    if x.strides == contiguous_strides(x.shape) or numel(x.shape) == 0:
        return contiguous_strides(shape)
    chunks: list[tuple[int, int]] = []  # (number of elements, innermost stride)
    for n, stride in zip(x.shape, x.strides):
        if n == 1:
            continue
        if chunks and chunks[-1][1] == n * stride:
            chunks[-1] = (chunks[-1][0] * n, stride)
        else:
            chunks.append((n, stride))
    new_strides = [0] * len(shape)
    chunk = len(chunks) - 1
    filled = 1  # elements of the current chunk covered by the new axes so far
    outer = 1  # the stride one step beyond the last finished chunk
    for axis in reversed(range(len(shape))):
        n = shape[axis]
        if chunk < 0:
            if n != 1:
                return None
            new_strides[axis] = outer
            continue
        size, stride = chunks[chunk]
        new_strides[axis] = stride * filled
        filled *= n
        if filled == size:
            outer = stride * size
            chunk, filled = chunk - 1, 1
        elif filled > size:
            return None
    return tuple(new_strides) if chunk < 0 else None


def reshape(x: RefArray, shape: tuple[int, ...]) -> RefArray:
    """``x`` with ``shape``: a view when the layout allows, else a contiguous copy."""
    shape = tuple(shape)
    if numel(shape) != x.size:
        raise ValueError(f"cannot reshape an array of shape {x.shape} (size {x.size}) "
                         f"into shape {shape}")
    strides = _view_strides(x, shape)
    if strides is None:
        return from_values(values(x), shape, x.dtype)
    return RefArray(x.storage, shape, strides, x.offset)


# ---------------------------------------------------------------------------- other views
def expand(x: RefArray, shape: tuple[int, ...]) -> RefArray:
    """A broadcast view of ``x`` with ``shape`` (repeated axes have stride 0). An entry -1
    keeps the axis' size, as in PyTorch."""
    shape = tuple(shape)
    extra = len(shape) - x.ndim
    shape = tuple(x.shape[a - extra] if n == -1 and a >= extra else n
                  for a, n in enumerate(shape))
    if any(n < 0 for n in shape):
        raise ValueError(f"expand: cannot expand shape {x.shape} to {shape}")
    return broadcast_to(x, shape)


def getitem(x: RefArray, key: tuple) -> RefArray:
    """A view for a basic key of ints, slices and None (see ``Backend.getitem``).

    Axes the key does not mention are kept whole. An int fixes an axis (moving the offset),
    a slice ``start:stop:step`` moves the offset to ``start`` and multiplies the stride by
    ``step``, None inserts an axis of size 1 (its stride is irrelevant; we use 0).
    """
    shape, strides, offset = [], [], x.offset
    axis = 0
    for entry in key:
        if entry is None:
            shape.append(1)
            strides.append(0)
            continue
        if axis >= x.ndim:
            raise IndexError(f"too many indices for an array of shape {x.shape}: {key}")
        n, stride = x.shape[axis], x.strides[axis]
        if isinstance(entry, slice):
            start, stop, step = entry.indices(n)
            if step <= 0:
                raise ValueError(f"slice step must be positive, got {entry}")
            shape.append(len(range(start, stop, step)))
            strides.append(stride * step)
            offset += start * stride
        else:
            i = int(entry)
            if not -n <= i < n:
                raise IndexError(f"index {i} is out of bounds for axis {axis} with size {n}")
            offset += (i % n) * stride
        axis += 1
    shape.extend(x.shape[axis:])
    strides.extend(x.strides[axis:])
    return RefArray(x.storage, tuple(shape), tuple(strides), offset)


def as_strided(x: RefArray, shape: tuple[int, ...], strides: tuple[int, ...],
               offset: int) -> RefArray:
    """A view of ``x``'s storage with any shape, strides and offset that stay inside it."""
    shape, strides = tuple(shape), tuple(strides)
    if len(shape) != len(strides):
        raise ValueError(f"as_strided: shape {shape} and strides {strides} differ in length")
    if numel(shape) > 0:
        low = offset + sum(min(0, (n - 1) * s) for n, s in zip(shape, strides))
        high = offset + sum(max(0, (n - 1) * s) for n, s in zip(shape, strides))
        if low < 0 or high >= len(x.storage.data):
            raise ValueError(f"as_strided: shape {shape}, strides {strides} and offset "
                             f"{offset} reach outside a storage of "
                             f"{len(x.storage.data)} elements")
    return RefArray(x.storage, shape, strides, offset)


def diagonal(x: RefArray, offset: int, axis1: int, axis2: int) -> RefArray:
    """A view of diagonal ``offset`` of the plane (axis1, axis2), appended as the last axis.

    Element ``k`` of the diagonal is ``x[..., k, k + offset, ...]`` (``offset > 0`` is above
    the main diagonal), so its stride is ``stride1 + stride2``.
    """
    if axis1 == axis2:
        raise ValueError(f"diagonal: axis1 and axis2 must differ, both are {axis1}")
    n1, n2 = x.shape[axis1], x.shape[axis2]
    s1, s2 = x.strides[axis1], x.strides[axis2]
    if offset >= 0:
        length = max(0, min(n1, n2 - offset))
        start = x.offset + offset * s2 if length else x.offset
    else:
        length = max(0, min(n1 + offset, n2))
        start = x.offset - offset * s1 if length else x.offset
    others = [a for a in range(x.ndim) if a not in (axis1, axis2)]
    shape = tuple(x.shape[a] for a in others) + (length,)
    strides = tuple(x.strides[a] for a in others) + (s1 + s2,)
    return RefArray(x.storage, shape, strides, start)


# ---------------------------------------------------------------------------- copies
def _along(ndim: int, axis: int, part: slice) -> tuple:
    """A basic key selecting ``part`` of ``axis`` and everything of the other axes."""
    return tuple(part if a == axis else slice(None) for a in range(ndim))


def cat(xs: list[RefArray], axis: int) -> RefArray:
    """Concatenate arrays of one dtype along ``axis`` (a new array)."""
    if not xs:
        raise ValueError("cat needs at least one array")
    first = xs[0]
    for x in xs[1:]:
        if x.dtype != first.dtype:
            raise TypeError(f"cat: dtypes differ ({first.dtype} and {x.dtype})")
        if x.ndim != first.ndim or any(n != m for a, (n, m) in enumerate(zip(x.shape, first.shape))
                                       if a != axis):
            raise ValueError(f"cat: shapes {first.shape} and {x.shape} differ outside axis "
                             f"{axis}")
    shape = list(first.shape)
    shape[axis] = sum(x.shape[axis] for x in xs)
    out = full(tuple(shape), 0, first.dtype)
    start = 0
    for x in xs:
        stop = start + x.shape[axis]
        copy_into(getitem(out, _along(out.ndim, axis, slice(start, stop))), x)
        start = stop
    return out


def flip(x: RefArray, axes: tuple[int, ...]) -> RefArray:
    """A copy of ``x`` reversed along ``axes``: read through a view whose flipped axes start
    at their last element and step with a negated stride."""
    offset = x.offset
    strides = list(x.strides)
    for axis in set(axes):
        if x.shape[axis] > 0:
            offset += (x.shape[axis] - 1) * strides[axis]
        strides[axis] = -strides[axis]
    return copy(RefArray(x.storage, x.shape, tuple(strides), offset))


def pad(x: RefArray, widths, value) -> RefArray:
    """Constant padding: a new array filled with ``value`` with ``x`` written into the
    interior; ``widths[i] = (before, after)`` for axis ``i``."""
    widths = [tuple(w) for w in widths]
    if len(widths) != x.ndim or any(b < 0 or a < 0 for b, a in widths):
        raise ValueError(f"pad: widths {widths} do not fit an array of shape {x.shape}")
    shape = tuple(n + b + a for n, (b, a) in zip(x.shape, widths))
    out = full(shape, value, x.dtype)
    interior = tuple(slice(b, b + n) for n, (b, _) in zip(x.shape, widths))
    copy_into(getitem(out, interior), x)
    return out
