"""Reductions, scans and sorting: sum, prod, max, min, any, all, argmax, argmin, cumsum,
cumprod, sort, unique.

# NOTE [ Reference lanes ]
Every primitive here works on *lanes*: the reduced axes of ``x`` are permuted to the end
(a view), so reading the view in row-major order yields one group of consecutive elements
per output position. A scan or sort computes a new lane of the same length, and the
result is permuted back to ``x``'s axis order.

Accumulation: integer sums and products are exact and wrapped once at the end (which
equals wrapping after every step, since wrapping is reduction modulo 2**bits). Float sums
of every float dtype are the correctly rounded float64 sum (``math.fsum``) rounded once to
the dtype; float products and the scans ``cumsum``/``cumprod`` run left to right in float64
and round each output once. Fast backends accumulate differently (pairwise, in float32)
and may differ from the reference in the last bits; the conformance suite compares with a
tolerance.
"""

from __future__ import annotations

import math

from ember.backend import bool_, int64

from ._array import RefArray, from_values, numel, permute, values
from ._dtypes import complex_sum, converter, float_sum

__all__ = ["argmax", "argmin", "cumprod", "cumsum", "reduce", "sort", "unique"]


# ---------------------------------------------------------------------------- lanes
def _lanes(x: RefArray, axes: tuple[int, ...]) -> tuple[list[list], tuple[int, ...]]:
    """``(lanes, kept_shape)``: one list of elements per position of the kept axes.

    A 0-d array is one lane of one element whatever ``axes`` says (PyTorch accepts dim 0 and
    -1 on scalars)."""
    axes = tuple(sorted(set(axes))) if x.ndim else ()
    kept = tuple(a for a in range(x.ndim) if a not in axes)
    flat = values(permute(x, kept + axes))
    length = numel(tuple(x.shape[a] for a in axes))
    kept_shape = tuple(x.shape[a] for a in kept)
    lanes = [flat[i * length:(i + 1) * length] for i in range(numel(kept_shape))]
    return lanes, kept_shape


def _out_shape(x: RefArray, axes: tuple[int, ...], keepdims: bool) -> tuple[int, ...]:
    if keepdims:
        return tuple(1 if a in axes else n for a, n in enumerate(x.shape))
    return tuple(n for a, n in enumerate(x.shape) if a not in axes)


def _from_lanes(lanes: list[list], x: RefArray, axis: int, dtype) -> RefArray:
    """Inverse of ``_lanes(x, (axis,))`` for lanes of unchanged length: a new contiguous
    array of ``x``'s shape with each lane written back along ``axis``."""
    order = tuple(a for a in range(x.ndim) if a != axis) + (axis,)
    moved = from_values([v for lane in lanes for v in lane],
                        tuple(x.shape[a] for a in order), dtype)
    inverse = tuple(order.index(a) for a in range(x.ndim))
    back = permute(moved, inverse)
    return from_values(values(back), back.shape, dtype)


# ---------------------------------------------------------------------------- reductions
def _sum(lane: list, kind: str):
    if kind == "f":
        return float_sum(lane)
    if kind == "c":
        return complex_sum(lane)
    return sum(int(v) for v in lane)  # bool counts as 0/1; exact, wrapped by the converter


def _prod(lane: list, kind: str):
    result = 1.0 if kind == "f" else (1 + 0j if kind == "c" else 1)
    for v in lane:
        result = result * v  # Python floats overflow to inf here, no exception
    return result


def _nan_aware_extreme(pick):
    def extreme(lane: list, kind: str):
        if not lane:
            raise ValueError("max/min of an empty reduction has no identity")
        if kind == "c":
            raise TypeError("max/min are not defined for complex dtypes")
        if kind == "f":
            for v in lane:
                if math.isnan(v):
                    return v  # nan propagates
        return pick(lane)
    return extreme


_REDUCERS = {
    "sum": _sum,
    "prod": _prod,
    "max": _nan_aware_extreme(max),
    "min": _nan_aware_extreme(min),
    "any": lambda lane, kind: any(v != 0 for v in lane),
    "all": lambda lane, kind: all(v != 0 for v in lane),
}


def reduce(op: str, x: RefArray, axes: tuple[int, ...], keepdims: bool) -> RefArray:
    """The reduction ``op`` over ``axes`` (``()`` reduces nothing)."""
    if op not in _REDUCERS:
        raise ValueError(f"unknown reduction {op!r}")
    axes = tuple(sorted(set(axes)))
    out_dtype = bool_ if op in ("any", "all") else x.dtype
    to_out = converter(out_dtype)
    lanes, _ = _lanes(x, axes)
    result = [to_out(_REDUCERS[op](lane, x.dtype.kind)) for lane in lanes]
    return from_values(result, _out_shape(x, axes, keepdims), out_dtype)


# ---------------------------------------------------------------------------- arg reductions
def _arg_extreme(lane: list, kind: str, better) -> int:
    """Index of the first element that no later element beats; nan beats everything."""
    if not lane:
        raise ValueError("argmax/argmin of an empty lane")
    if kind == "c":
        raise TypeError("argmax/argmin are not defined for complex dtypes")
    best = 0
    for i, v in enumerate(lane):
        if kind == "f" and math.isnan(v):
            return i
        if better(v, lane[best]):
            best = i
    return best


def _arg(x: RefArray, axis: int | None, keepdims: bool, better) -> RefArray:
    if axis is None:
        lanes = [values(x)]
        shape = (1,) * x.ndim if keepdims else ()
    else:
        lanes, _ = _lanes(x, (axis,))
        shape = _out_shape(x, (axis,), keepdims)
    result = [_arg_extreme(lane, x.dtype.kind, better) for lane in lanes]
    return from_values(result, shape, int64)


def argmax(x: RefArray, axis: int | None, keepdims: bool) -> RefArray:
    """int64 index of the first maximum along ``axis`` (flattened when None); nan wins."""
    return _arg(x, axis, keepdims, lambda v, best: v > best)


def argmin(x: RefArray, axis: int | None, keepdims: bool) -> RefArray:
    """int64 index of the first minimum along ``axis`` (flattened when None); nan wins."""
    return _arg(x, axis, keepdims, lambda v, best: v < best)


# ---------------------------------------------------------------------------- scans
def _scan(x: RefArray, axis: int, step, start) -> RefArray:
    if x.ndim == 0:  # a scalar is its own scan
        return from_values(values(x), (), x.dtype)
    to_out = converter(x.dtype)
    lanes, _ = _lanes(x, (axis,))
    scanned = []
    for lane in lanes:
        running = start(x.dtype.kind)
        out = []
        for v in lane:
            running = step(running, v)
            out.append(to_out(running))
        scanned.append(out)
    return _from_lanes(scanned, x, axis, x.dtype)


def _zero(kind: str):
    return {"f": 0.0, "c": 0j}.get(kind, 0)


def _one(kind: str):
    return {"f": 1.0, "c": 1 + 0j}.get(kind, 1)


def cumsum(x: RefArray, axis: int) -> RefArray:
    """Inclusive running sum along ``axis``, accumulated in float64 (or exactly)."""
    return _scan(x, axis, lambda acc, v: acc + v, _zero)


def cumprod(x: RefArray, axis: int) -> RefArray:
    """Inclusive running product along ``axis``, accumulated in float64 (or exactly)."""
    return _scan(x, axis, lambda acc, v: acc * v, _one)


# ---------------------------------------------------------------------------- sorting
def _sort_key(kind: str):
    """Sort key putting nan after every number (PyTorch's order); complex sorts by
    (real, imag), which only ``unique`` uses."""
    if kind == "f":
        return lambda v: (math.isnan(v), 0.0 if math.isnan(v) else v)
    if kind == "c":
        return lambda z: (math.isnan(z.real) or math.isnan(z.imag), z.real, z.imag)
    return lambda v: v


def sort(x: RefArray, axis: int, descending: bool, stable: bool) -> tuple[RefArray, RefArray]:
    """``(values, indices)`` along ``axis``. Python's sort is stable, and with
    ``reverse=True`` it still keeps equal elements in their original order, so both
    directions are stable whatever ``stable`` says (PyTorch allows that)."""
    if x.dtype.kind == "c":
        raise TypeError("sort is not defined for complex dtypes")
    if x.ndim == 0:
        return from_values(values(x), (), x.dtype), from_values([0], (), int64)
    key = _sort_key(x.dtype.kind)
    lanes, _ = _lanes(x, (axis,))
    sorted_values, sorted_indices = [], []
    for lane in lanes:
        order = sorted(range(len(lane)), key=lambda i: key(lane[i]), reverse=descending)
        sorted_values.append([lane[i] for i in order])
        sorted_indices.append(order)
    return (_from_lanes(sorted_values, x, axis, x.dtype),
            _from_lanes(sorted_indices, x, axis, int64))


def unique(x: RefArray) -> tuple[RefArray, RefArray, RefArray]:
    """``(sorted unique values, inverse indices shaped like x, counts)``.

    Two elements are the same value when they compare equal, so ``-0.0`` and ``0.0`` merge
    and every nan is a value of its own, sorted last (PyTorch's CPU behaviour).
    """
    flat = values(x)
    key = _sort_key(x.dtype.kind)
    order = sorted(range(len(flat)), key=lambda i: key(flat[i]))
    uniques: list = []
    counts: list[int] = []
    inverse = [0] * len(flat)
    for i in order:
        if not uniques or flat[i] != uniques[-1]:  # nan != nan starts a new value
            uniques.append(flat[i])
            counts.append(0)
        counts[-1] += 1
        inverse[i] = len(uniques) - 1
    return (from_values(uniques, (len(uniques),), x.dtype),
            from_values(inverse, x.shape, int64),
            from_values(counts, (len(counts),), int64))
