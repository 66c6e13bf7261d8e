"""Elementwise primitives: unary, binary, comparisons, ``where``, ``clip``, casts and copies.

Each primitive is a *scalar kernel* chosen by the operands' dtype kind (bool, integer,
floating, complex) and applied to every element; the kernel computes with Python's exact
integers or float64 and :func:`ember_reference._dtypes.converter` rounds or wraps each
result into the output dtype (NOTE [ Reference element values ]). A kernel that is not
defined for a kind (``sub`` on bool, ``floor`` on complex, ...) raises ``TypeError``; the
frontend never sends such a call.
"""

from __future__ import annotations

import math
import operator

from ember.backend import bool_
from ember.backend import dtype as DType

from . import _scalar_math as sm
from ._array import RefArray, broadcast_shapes, broadcast_to, from_values, values, write_values
from ._dtypes import INT_BITS, convert, converter

__all__ = ["as_operands", "astype", "binary", "clip", "copy", "copy_into", "scalar_op", "unary",
           "where"]

_KINDS = {"b": "bool", "i": "integer", "f": "floating", "c": "complex"}


def _undefined(op: str, dtype: DType):
    return TypeError(f"{op} is not defined for {_KINDS[dtype.kind]} dtype {dtype}")


# ---------------------------------------------------------------------------- unary kernels
def _identity(x):
    return x


def _integral_float(fn):
    """``fn`` (floor, ceil, round, trunc returning an int) as a float function that keeps
    infinities, nan and the sign of zero: the result has ``x``'s sign, so ``ceil(-0.5)``
    is ``-0.0`` as in C."""
    def rounded(x: float) -> float:
        if not math.isfinite(x):
            return x
        return math.copysign(float(fn(x)), x)
    return rounded


def _float_sign(x: float) -> float:
    return float((x > 0) - (x < 0))  # the contract (and PyTorch): sign(nan) is 0


def _complex_sign(z: complex) -> complex:
    """``z / |z|`` (PyTorch's ``sgn``), 0 for 0."""
    return 0j if z == 0 else z / abs(z)


def _complex_abs(z: complex) -> complex:
    try:
        return complex(abs(z), 0.0)
    except OverflowError:  # the modulus exceeds the float64 range
        return complex(math.inf, 0.0)


def _signbit(x: float) -> bool:
    return math.copysign(1.0, x) < 0


# Per op: kind -> scalar kernel. A missing kind is undefined for that op.
_UNARY: dict[str, dict[str, object]] = {
    "neg": {"i": operator.neg, "f": operator.neg, "c": operator.neg},
    "abs": {"b": _identity, "i": abs, "f": abs, "c": _complex_abs},
    "floor": {"b": _identity, "i": _identity, "f": _integral_float(math.floor)},
    "ceil": {"b": _identity, "i": _identity, "f": _integral_float(math.ceil)},
    "round": {"b": _identity, "i": _identity, "f": _integral_float(round)},  # half to even
    "trunc": {"b": _identity, "i": _identity, "f": _integral_float(math.trunc)},
    "sign": {"b": _identity, "i": lambda x: (x > 0) - (x < 0), "f": _float_sign,
             "c": _complex_sign},
    "bitwise_not": {"b": operator.not_, "i": operator.invert},
    "conj": {"b": _identity, "i": _identity, "f": _identity, "c": complex.conjugate},
}

# Predicates: kind -> kernel, result bool.
_PREDICATES: dict[str, dict[str, object]] = {
    "isnan": {"b": lambda x: False, "i": lambda x: False, "f": math.isnan,
              "c": lambda z: math.isnan(z.real) or math.isnan(z.imag)},
    "isinf": {"b": lambda x: False, "i": lambda x: False, "f": math.isinf,
              "c": lambda z: math.isinf(z.real) or math.isinf(z.imag)},
    "isfinite": {"b": lambda x: True, "i": lambda x: True, "f": math.isfinite,
                 "c": lambda z: math.isfinite(z.real) and math.isfinite(z.imag)},
    "signbit": {"b": lambda x: False, "i": lambda x: x < 0, "f": _signbit},
    "logical_not": {k: (lambda x: x == 0) for k in "bifc"},
}


def _unary_kernel(op: str, dtype: DType):
    """``(scalar kernel, result dtype)`` for the unary primitive ``op`` on ``dtype``."""
    kind = dtype.kind
    if op in sm.REAL_UNARY:  # transcendental: the frontend casts integers to float first
        if kind == "f":
            return sm.REAL_UNARY[op], dtype
        if kind == "c" and op in sm.COMPLEX_UNARY:
            return sm.COMPLEX_UNARY[op], dtype
        raise _undefined(op, dtype)
    if op in _PREDICATES:
        table, out = _PREDICATES[op], bool_
    elif op == "real":
        return (lambda z: z.real, dtype.to_real()) if kind == "c" else (_identity, dtype)
    elif op == "imag":
        if kind != "c":
            raise _undefined(op, dtype)
        return (lambda z: z.imag), dtype.to_real()
    elif op in _UNARY:
        table, out = _UNARY[op], dtype
    else:
        raise ValueError(f"unknown unary primitive {op!r}")
    if kind not in table:
        raise _undefined(op, dtype)
    return table[kind], out


def unary(op: str, x: RefArray) -> RefArray:
    """Apply the unary primitive ``op`` to every element of ``x`` (a new array)."""
    kernel, out_dtype = _unary_kernel(op, x.dtype)
    to_out = converter(out_dtype)
    return from_values([to_out(kernel(v)) for v in values(x)], x.shape, out_dtype)


# ---------------------------------------------------------------------------- binary kernels
def _float_maximum(a: float, b: float) -> float:
    if math.isnan(a) or math.isnan(b):
        return a if math.isnan(a) else b  # nan wins
    return a if a >= b else b


def _float_minimum(a: float, b: float) -> float:
    if math.isnan(a) or math.isnan(b):
        return a if math.isnan(a) else b
    return a if a <= b else b


def _int_fmod(a: int, b: int) -> int:
    """Truncated-division remainder (C's ``%``): the sign follows ``a``."""
    r = abs(a) % abs(b)
    return r if a >= 0 else -r


def _int_pow(bits: int):
    def int_pow(a: int, b: int) -> int:
        if b < 0:
            raise ValueError("integers to negative integer powers are not allowed")
        return pow(a, b, 1 << bits)  # exact modulo 2**bits; converter wraps into range
    return int_pow


def _shift(bits: int, left: bool):
    """Shifts as PyTorch defines them for out-of-range amounts: a left shift by a negative
    amount or by ``bits`` or more gives 0; such a right shift gives the sign fill."""
    def shift(a: int, b: int) -> int:
        if 0 <= b < bits:
            return a << b if left else a >> b
        return 0 if left or a >= 0 else -1
    return shift


def _truth(x) -> bool:
    return x != 0


def _binary_table(op: str, dtype: DType) -> dict[str, object]:
    """kind -> scalar kernel for the arithmetic and bitwise primitive ``op``."""
    bits = INT_BITS.get(dtype.name, (64, True))[0]
    tables: dict[str, dict[str, object]] = {
        "add": {"b": operator.or_, "i": operator.add, "f": operator.add, "c": operator.add},
        "sub": {"i": operator.sub, "f": operator.sub, "c": operator.sub},
        "mul": {"b": operator.and_, "i": operator.mul, "f": operator.mul, "c": operator.mul},
        "div": {"f": sm.float_div, "c": sm.complex_div},
        "floor_divide": {"i": operator.floordiv, "f": sm.float_floor_divide},
        "remainder": {"i": operator.mod, "f": sm.float_remainder},
        "fmod": {"i": _int_fmod, "f": sm.float_fmod},
        "pow": {"i": _int_pow(bits), "f": sm.float_pow, "c": sm.complex_pow},
        "maximum": {"b": operator.or_, "i": max, "f": _float_maximum},
        "minimum": {"b": operator.and_, "i": min, "f": _float_minimum},
        "atan2": {"f": math.atan2},
        "bitwise_and": {"b": operator.and_, "i": operator.and_},
        "bitwise_or": {"b": operator.or_, "i": operator.or_},
        "bitwise_xor": {"b": operator.xor, "i": operator.xor},
        "left_shift": {"i": _shift(bits, left=True)},
        "right_shift": {"i": _shift(bits, left=False)},
    }
    if op not in tables:
        raise ValueError(f"unknown binary primitive {op!r}")
    return tables[op]


_COMPARISONS = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
                "gt": operator.gt, "ge": operator.ge}
_LOGICAL = {
    "logical_and": lambda a, b: _truth(a) and _truth(b),
    "logical_or": lambda a, b: _truth(a) or _truth(b),
    "logical_xor": lambda a, b: _truth(a) != _truth(b),
}


def _binary_kernel(op: str, dtype: DType):
    """``(scalar kernel, result dtype)`` for the binary primitive ``op`` on ``dtype``."""
    if op in _COMPARISONS:
        if dtype.kind == "c" and op not in ("eq", "ne"):
            raise _undefined(op, dtype)
        return _COMPARISONS[op], bool_
    if op in _LOGICAL:
        return _LOGICAL[op], bool_
    table = _binary_table(op, dtype)
    if dtype.kind not in table:
        raise _undefined(op, dtype)
    return table[dtype.kind], dtype


def scalar_op(op: str, dtype: DType):
    """The binary primitive ``op`` on two stored elements of ``dtype``, giving a stored
    element of the result dtype (used by ``index_put`` and ``scatter`` to combine values)."""
    kernel, out_dtype = _binary_kernel(op, dtype)
    to_out = converter(out_dtype)
    return lambda u, v: to_out(kernel(u, v))


def as_operands(*operands) -> list[RefArray]:
    """Turn Python scalars among ``operands`` into 0-d arrays of the arrays' dtype.

    The array operands must share one dtype (the frontend promoted them); a scalar takes
    that dtype with the casting rule, as the contract says.
    """
    arrays = [x for x in operands if isinstance(x, RefArray)]
    if not arrays:
        raise TypeError("at least one operand must be an array (got only Python scalars)")
    dtype = arrays[0].dtype
    for x in arrays[1:]:
        if x.dtype != dtype:
            raise TypeError(f"operands have different dtypes {dtype} and {x.dtype}; "
                            "the frontend promotes them before calling a backend")
    return [x if isinstance(x, RefArray) else from_values([convert(x, dtype)], (), dtype)
            for x in operands]


def binary(op: str, a: RefArray | object, b: RefArray | object) -> RefArray:
    """Apply the binary primitive ``op`` (arithmetic, bitwise, logical or comparison) to
    ``a`` and ``b`` broadcast together (a new array)."""
    a, b = as_operands(a, b)
    kernel, out_dtype = _binary_kernel(op, a.dtype)
    shape = broadcast_shapes(a.shape, b.shape)
    to_out = converter(out_dtype)
    result = [to_out(kernel(u, v))
              for u, v in zip(values(broadcast_to(a, shape)), values(broadcast_to(b, shape)))]
    return from_values(result, shape, out_dtype)


# ---------------------------------------------------------------------------- selection
def where(cond: RefArray, x, y) -> RefArray:
    """``x`` where ``cond`` else ``y``, all three broadcast together."""
    if cond.dtype != bool_:
        raise TypeError(f"where: the condition must be bool, got {cond.dtype}")
    x, y = as_operands(x, y)
    shape = broadcast_shapes(cond.shape, x.shape, y.shape)
    picked = [u if c else v for c, u, v in zip(values(broadcast_to(cond, shape)),
                                               values(broadcast_to(x, shape)),
                                               values(broadcast_to(y, shape)))]
    return from_values(picked, shape, x.dtype)


def clip(x: RefArray, lo, hi) -> RefArray:
    """``minimum(maximum(x, lo), hi)`` with nan propagating; a missing bound is skipped."""
    result = copy(x)
    if lo is not None:
        result = binary("maximum", result, lo)
    if hi is not None:
        result = binary("minimum", result, hi)
    return result


# ---------------------------------------------------------------------------- casts, copies
def astype(x: RefArray, dtype: DType) -> RefArray:
    """A new array of ``x``'s values converted to ``dtype`` with the casting rule."""
    to_out = converter(dtype)
    return from_values([to_out(v) for v in values(x)], x.shape, dtype)


def copy(x: RefArray) -> RefArray:
    """A new contiguous array with ``x``'s values."""
    return from_values(values(x), x.shape, x.dtype)


def copy_into(dst: RefArray, src) -> None:
    """Write ``src`` broadcast to ``dst``'s shape into ``dst`` (which may be a view).

    ``src`` is read completely before anything is written, so an overlapping ``src`` behaves
    as if it had been copied first.
    """
    if isinstance(src, RefArray):
        to_dst = converter(dst.dtype)
        new = [to_dst(v) for v in values(broadcast_to(src, dst.shape))]
    else:
        new = [convert(src, dst.dtype)] * dst.size
    write_values(dst, new)
