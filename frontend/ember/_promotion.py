"""PyTorch's type-promotion rules, computed once in the frontend for every backend.

# NOTE [ Type promotion ]
Operands fall in three priority groups: tensors with at least one dimension, zero-dim
tensors, and wrapped Python numbers. Within a group dtypes combine with
:func:`promote_types`; across groups a lower-priority group only matters when it has a
higher *category* (bool < integer < floating < complex): ``int32_tensor + 2.5`` is float32
(the default dtype), ``float16_tensor + float64_zero_dim`` stays float16, and
``int8_tensor + int64_zero_dim`` stays int8. Results are memoised.
"""

from __future__ import annotations

from .backend import _dtypes as D
from .backend._dtypes import dtype

__all__ = ["promote_types", "result_type", "category", "scalar_dtype", "can_cast"]

_CATEGORY = {"b": 0, "i": 1, "f": 2, "c": 3}


def category(dt: dtype) -> int:
    """0 for bool, 1 for integers, 2 for floating, 3 for complex."""
    return _CATEGORY[dt.kind]


_UNSIGNED_SIGNED = {
    (D.uint8, D.int8): D.int16, (D.uint8, D.int16): D.int16,
    (D.uint8, D.int32): D.int32, (D.uint8, D.int64): D.int64,
}
_INT_ORDER = [D.int8, D.int16, D.int32, D.int64]
_FLOAT_ORDER = [D.float16, D.float32, D.float64]


def _promote(a: dtype, b: dtype) -> dtype:
    if a is b:
        return a
    ca, cb = category(a), category(b)
    if ca < cb or (ca == cb and a.itemsize < b.itemsize):
        a, b, ca, cb = b, a, cb, ca
    # now a is the "bigger" one (higher category, or same category and not narrower)
    if cb == 0:
        return a
    if ca == 1:  # both integers
        pair = _UNSIGNED_SIGNED.get((a, b)) or _UNSIGNED_SIGNED.get((b, a))
        if pair is not None:
            return pair
        return a if a.itemsize >= b.itemsize else b
    if ca == 2:
        if cb == 1:
            return a
        if {a, b} == {D.float16, D.bfloat16}:
            return D.float32
        return a
    # complex
    if cb == 3:
        return a
    if b is D.float64:
        return D.complex128
    return a


_PROMOTE_CACHE: dict[tuple[dtype, dtype], dtype] = {}


def promote_types(type1: dtype, type2: dtype) -> dtype:
    """The smallest dtype both ``type1`` and ``type2`` convert to (``torch.promote_types``).

    >>> import ember
    >>> ember.promote_types(ember.uint8, ember.int8)
    ember.int16
    """
    key = (type1, type2)
    out = _PROMOTE_CACHE.get(key)
    if out is None:
        out = _PROMOTE_CACHE[key] = _promote(type1, type2)
    return out


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    # c10's combine_categories
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.is_complex:
        return higher
    if lower.is_complex:
        return higher.to_complex() if higher.is_floating_point else lower
    if higher.is_floating_point:
        return higher
    if higher is D.bool_ or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def scalar_dtype(value: object, default_float: dtype) -> dtype:
    """The dtype a wrapped Python number takes part in promotion with."""
    if isinstance(value, bool):
        return D.bool_
    if isinstance(value, int):
        return D.int64
    if isinstance(value, float):
        return default_float
    if isinstance(value, complex):
        return D.complex128 if default_float is D.float64 else D.complex64
    raise TypeError(f"expected a number, got {type(value).__name__}")


_RESULT_CACHE: dict[tuple, dtype] = {}


def result_type(operands: tuple[tuple[dtype, int], ...]) -> dtype:
    """Result dtype for ``operands``, each ``(dtype, group)`` with group 0 for tensors with
    dimensions, 1 for zero-dim tensors, 2 for wrapped numbers (already mapped with
    :func:`scalar_dtype`)."""
    out = _RESULT_CACHE.get(operands)
    if out is not None:
        return out
    groups: list[dtype | None] = [None, None, None]
    for dt, group in operands:
        cur = groups[group]
        groups[group] = dt if cur is None else promote_types(cur, dt)
    out = _combine(groups[0], _combine(groups[1], groups[2]))
    assert out is not None
    _RESULT_CACHE[operands] = out
    return out


def can_cast(from_: dtype, to: dtype) -> bool:
    """True when casting ``from_`` to ``to`` does not lower the category
    (``torch.can_cast``)."""
    return category(from_) <= category(to)
