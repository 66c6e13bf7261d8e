"""Advanced indexing and index-driven copies: index, index_put, gather, scatter, nonzero.

# NOTE [ Reference advanced indexing ]
``index`` follows NumPy. The key is read left to right; each entry consumes axes of ``x``:

* a slice consumes one axis and gives one output axis; ``None`` consumes none and gives an
  output axis of size 1; axes the key does not reach are kept whole, as trailing slices;
* an int64 array consumes one axis; a bool mask of ``k`` dimensions consumes ``k`` axes and
  stands for the ``k`` int arrays of its nonzero coordinates (a 0-d mask consumes none and
  selects 1 or 0 times); once any array is present, an int entry counts as a 0-d array;
* the array entries ("advanced" indices) are broadcast together to a shape ``B``; the
  output has the axes ``B`` in place of the first advanced entry when all advanced entries
  are next to each other in the key, else ``B`` comes first (NumPy's rule; PyTorch moves
  an int before a slice differently, which the frontend handles).

Every output axis group is a *factor* contributing an additive storage offset, so the
storage positions of the whole result are the sums over the cartesian product of the
factors' offsets, in row-major order -- the same construction as ``element_offsets``.
``index`` reads those positions and ``index_put`` writes them, later duplicates last.
"""

from __future__ import annotations

import itertools

from ember.backend import int64

from ._array import (
    RefArray,
    broadcast_shapes,
    broadcast_to,
    from_values,
    numel,
    values,
)
from ._dtypes import convert
from ._elementwise import copy, scalar_op

__all__ = ["gather", "index", "index_put", "nonzero", "scatter"]


# ---------------------------------------------------------------------------- key analysis
def _checked(i: int, n: int, axis: int) -> int:
    if not -n <= i < n:
        raise IndexError(f"index {i} is out of bounds for axis {axis} with size {n}")
    return i % n


def _advanced_entry(x: RefArray, entry, axis: int):
    """``(axes consumed, per-axis index lists, entry shape)`` for an array or int entry."""
    if isinstance(entry, RefArray) and entry.dtype.kind == "b":
        k = entry.ndim
        if tuple(x.shape[axis:axis + k]) != entry.shape:
            raise IndexError(f"a boolean mask of shape {entry.shape} does not match the "
                             f"indexed axes {x.shape[axis:axis + k]} of shape {x.shape}")
        coords = [pos for pos, v in zip(itertools.product(*map(range, entry.shape)),
                                        values(entry)) if v]
        per_axis = [[c[d] for c in coords] for d in range(k)]
        return k, per_axis, (len(coords),)
    if isinstance(entry, RefArray):
        if entry.dtype.kind != "i":
            raise IndexError(f"index arrays must be int64 or bool, got {entry.dtype}")
        return 1, [values(entry)], entry.shape
    return 1, [[int(entry)]], ()  # an int among advanced entries is a 0-d array


def _factors(x: RefArray, key: tuple) -> tuple[list[tuple[tuple[int, ...], list[int]]], int]:
    """``(factors, base offset)``: each factor is ``(output dims, storage offset steps)``;
    see NOTE [ Reference advanced indexing ]."""
    key = tuple(key)
    has_array = any(isinstance(e, RefArray) for e in key)
    factors: list = []
    base = x.offset
    advanced: list = []  # (axes, index lists) pairs, in key order
    adv_shapes: list = []
    adv_positions: list[int] = []  # where in the key the advanced entries were
    block_at = None  # factor position of the advanced block
    axis = 0
    for position, entry in enumerate(key):
        if entry is None:
            factors.append(((1,), [0]))
            continue
        if isinstance(entry, slice):
            n, stride = x.shape[axis], x.strides[axis]
            start, stop, step = entry.indices(n)
            steps = [i * stride for i in range(start, stop, step)]
            factors.append(((len(steps),), steps))
            axis += 1
            continue
        if not has_array:  # a plain int fixes the axis
            base += _checked(int(entry), x.shape[axis], axis) * x.strides[axis]
            axis += 1
            continue
        consumed, per_axis, shape = _advanced_entry(x, entry, axis)
        advanced.append((list(range(axis, axis + consumed)), per_axis))
        adv_shapes.append(shape)
        adv_positions.append(position)
        if block_at is None:
            block_at = len(factors)
        axis += consumed
    if axis > x.ndim:
        raise IndexError(f"too many indices for an array of shape {x.shape}: {key}")
    for rest in range(axis, x.ndim):
        factors.append(((x.shape[rest],), [i * x.strides[rest] for i in range(x.shape[rest])]))
    if advanced:
        block = _advanced_block(x, advanced, adv_shapes)
        adjacent = adv_positions == list(range(adv_positions[0], adv_positions[-1] + 1))
        factors.insert(block_at if adjacent else 0, block)
    return factors, base


def _advanced_block(x: RefArray, advanced: list, shapes: list) -> tuple:
    """The factor of the advanced entries: their broadcast shape and, for each position of
    it, the storage offset step of the selected element. (A 0-d mask has no index lists: it
    only contributes its shape ``(1,)`` or ``(0,)``.)"""
    shape = broadcast_shapes(*shapes)
    steps = [0] * numel(shape)
    for (axes, per_axis), entry_shape in zip(advanced, shapes):
        for axis, indices in zip(axes, per_axis):
            lifted = from_values(indices, entry_shape, int64)
            n, stride = x.shape[axis], x.strides[axis]
            for j, i in enumerate(values(broadcast_to(lifted, shape))):
                steps[j] += _checked(i, n, axis) * stride
    return shape, steps


def _positions(x: RefArray, key: tuple) -> tuple[list[int], tuple[int, ...]]:
    """Storage positions selected by ``key`` (row-major) and the result shape."""
    factors, base = _factors(x, key)
    positions = [base]
    shape: tuple[int, ...] = ()
    for dims, steps in factors:
        positions = [p + s for p in positions for s in steps]
        shape += dims
    return positions, shape


# ---------------------------------------------------------------------------- index, put
def index(x: RefArray, key: tuple) -> RefArray:
    """``x[key]`` with NumPy's advanced indexing, as a new array."""
    positions, shape = _positions(x, key)
    data = x.storage.data
    return from_values([data[p] for p in positions], shape, x.dtype)


def index_put(x: RefArray, key: tuple, new_values, accumulate: bool) -> None:
    """In place ``x[key] = new_values`` (or ``+=`` with ``accumulate``, where every
    duplicate index adds). ``new_values`` is read completely before any write."""
    positions, shape = _positions(x, key)
    if isinstance(new_values, RefArray):
        vals = [convert(v, x.dtype) for v in values(broadcast_to(new_values, shape))]
    else:
        vals = [convert(new_values, x.dtype)] * len(positions)
    data = x.storage.data
    if accumulate:
        add = scalar_op("add", x.dtype)
        for p, v in zip(positions, vals):
            data[p] = add(data[p], v)
    else:
        for p, v in zip(positions, vals):
            data[p] = v


# ---------------------------------------------------------------------------- gather, scatter
def _position(x: RefArray, pos: tuple[int, ...]) -> int:
    return x.offset + sum(i * s for i, s in zip(pos, x.strides))


def gather(x: RefArray, axis: int, idx: RefArray) -> RefArray:
    """``out[pos] = x[pos with pos[axis] replaced by idx[pos]]`` for every ``pos`` of idx."""
    data = x.storage.data
    out = []
    for pos, i in zip(itertools.product(*map(range, idx.shape)), values(idx)):
        target = pos[:axis] + (_checked(i, x.shape[axis], axis),) + pos[axis + 1:]
        out.append(data[_position(x, target)])
    return from_values(out, idx.shape, x.dtype)


_SCATTER_REDUCE = {"sum": "add", "prod": "mul", "amax": "maximum", "amin": "minimum"}


def scatter(x: RefArray, axis: int, idx: RefArray, src, reduce: str | None) -> RefArray:
    """A copy of ``x`` with ``src[pos]`` written at ``pos`` with ``pos[axis]`` replaced by
    ``idx[pos]``, visiting ``pos`` in row-major order. ``reduce`` combines the value with
    what is there (the original element included, and every duplicate counts)."""
    if reduce is not None and reduce not in _SCATTER_REDUCE:
        raise ValueError(f"scatter: unknown reduce {reduce!r}; expected one of "
                         f"{sorted(_SCATTER_REDUCE)}")
    out = copy(x)
    combine = scalar_op(_SCATTER_REDUCE[reduce], x.dtype) if reduce else None
    data = out.storage.data
    for pos, i in zip(itertools.product(*map(range, idx.shape)), values(idx)):
        target = pos[:axis] + (_checked(i, x.shape[axis], axis),) + pos[axis + 1:]
        p = _position(out, target)
        if isinstance(src, RefArray):
            v = convert(src.storage.data[_position(src, pos)], x.dtype)
        else:
            v = convert(src, x.dtype)
        data[p] = combine(data[p], v) if combine else v
    return out


def nonzero(x: RefArray) -> RefArray:
    """int64 ``(n, ndim)`` coordinates of the nonzero elements, in row-major order."""
    coords = [pos for pos, v in zip(itertools.product(*map(range, x.shape)), values(x))
              if v != 0]
    return from_values([i for pos in coords for i in pos], (len(coords), x.ndim), int64)
