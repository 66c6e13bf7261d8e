"""How a Python value becomes an element of an Ember dtype.

# NOTE [ Reference element values ]
The reference backend stores every element as a plain Python object:

==============  ===========================================================================
dtype           stored as
==============  ===========================================================================
bool            ``bool``
uint8 .. int64  ``int``, always inside the type's range (two's complement wrap-around)
float64         ``float``
float32         ``float`` whose value is exactly representable as an IEEE binary32
float16         ``float`` exactly representable as an IEEE binary16
bfloat16        ``float`` exactly representable as a bfloat16 (the top 16 bits of a binary32)
complex128      ``complex``
complex64       ``complex`` with both parts exactly representable as binary32
==============  ===========================================================================

Every primitive computes its result with Python's float64 (or exact integer) arithmetic and
then passes each result through :func:`convert`, which rounds or wraps it into the dtype.
That is the single rounding step PyTorch's CPU kernels perform for float32, float16 and
bfloat16 (they compute in float32; for the correctly rounded operations +, -, *, / and
sqrt the extra float64 precision gives the same answer, because float64 has more than
twice float32's precision). Like PyTorch, conversion to float16 and bfloat16 goes through
float32 (``c10::Half`` and ``c10::BFloat16`` are built from a ``float``).

:func:`convert` is also the casting rule (``astype``, ``from_list``, scalar operands): float
to integer truncates towards zero and wraps, anything to bool is ``x != 0``, complex to real
keeps the real part.
"""

from __future__ import annotations

import math
import struct

from ember.backend import dtype as DType

__all__ = [
    "INT_BITS",
    "convert",
    "converter",
    "float_sum",
    "is_bool",
    "is_complex",
    "is_float",
    "is_integer",
    "round_bfloat16",
    "round_float16",
    "round_float32",
    "wrap_int",
]

#: Width and signedness of each integer dtype.
INT_BITS: dict[str, tuple[int, bool]] = {
    "uint8": (8, False),
    "int8": (8, True),
    "int16": (16, True),
    "int32": (32, True),
    "int64": (64, True),
}

_INF = math.inf
_NAN = math.nan


def is_bool(dtype: DType) -> bool:
    return dtype.kind == "b"


def is_integer(dtype: DType) -> bool:
    """True for the integer dtypes (bool excluded)."""
    return dtype.kind == "i"


def is_float(dtype: DType) -> bool:
    return dtype.kind == "f"


def is_complex(dtype: DType) -> bool:
    return dtype.kind == "c"


# ---------------------------------------------------------------------------- integers
def wrap_int(value: int, bits: int, signed: bool) -> int:
    """``value`` reduced modulo ``2**bits`` into the type's range (two's complement)."""
    value &= (1 << bits) - 1
    if signed and value >= 1 << (bits - 1):
        value -= 1 << bits
    return value


def _to_int(value: bool | int | float | complex, bits: int, signed: bool) -> int:
    if isinstance(value, complex):
        value = value.real
    if isinstance(value, float):
        if not math.isfinite(value):
            # Unspecified (as in PyTorch). We give what PyTorch gives on x86: the "integer
            # indefinite" of a 64-bit or 32-bit conversion (narrower types go through
            # int32), wrapped into the type.
            return wrap_int(-(1 << 63) if bits == 64 else -(1 << 31), bits, signed)
        value = math.trunc(value)
    return wrap_int(int(value), bits, signed)


# ---------------------------------------------------------------------------- floats
def round_float32(x: float) -> float:
    """``x`` rounded to the nearest binary32 (ties to even); overflow gives +-inf."""
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:  # struct refuses values that round to infinity
        return math.copysign(_INF, x)


def round_float16(x: float) -> float:
    """``x`` rounded to binary16: first to binary32, then to the nearest binary16 (ties to
    even); overflow gives +-inf. Going through binary32 is what PyTorch does (``c10::Half``
    is built from a ``float``); it differs from a direct rounding only when the float64
    value lies within float32's precision of a float16 halfway point."""
    x = round_float32(x)
    try:
        return struct.unpack("<e", struct.pack("<e", x))[0]
    except OverflowError:
        return math.copysign(_INF, x)


def round_bfloat16(x: float) -> float:
    """``x`` rounded to bfloat16: first to binary32 (as PyTorch converts), then the low 16
    bits of the binary32 pattern are rounded away, ties to even. NaN stays NaN."""
    x = round_float32(x)
    if math.isnan(x):
        return x
    bits = struct.unpack("<I", struct.pack("<f", x))[0]
    lsb = (bits >> 16) & 1
    bits = (bits + 0x7FFF + lsb) & 0xFFFF0000  # a carry into the exponent rounds up to inf
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def _to_float(value: bool | int | float | complex) -> float:
    if isinstance(value, complex):
        return value.real
    try:
        return float(value)
    except OverflowError:  # an int beyond the float64 range
        return math.copysign(_INF, value)


def _to_complex(value: bool | int | float | complex) -> complex:
    if isinstance(value, complex):
        return value
    return complex(_to_float(value), 0.0)


# ---------------------------------------------------------------------------- convert
def _make_converter(dtype: DType):
    name = dtype.name
    if name == "bool":
        return lambda v: bool(v != 0)
    if name in INT_BITS:
        bits, signed = INT_BITS[name]
        return lambda v: _to_int(v, bits, signed)
    if name == "float64":
        return _to_float
    if name == "float32":
        return lambda v: round_float32(_to_float(v))
    if name == "float16":
        return lambda v: round_float16(_to_float(v))
    if name == "bfloat16":
        return lambda v: round_bfloat16(_to_float(v))
    if name == "complex128":
        return _to_complex
    if name == "complex64":
        def to_complex64(v):
            z = _to_complex(v)
            return complex(round_float32(z.real), round_float32(z.imag))
        return to_complex64
    raise TypeError(f"the reference backend does not know the dtype {dtype!r}")


_CONVERTERS: dict[str, object] = {}


def converter(dtype: DType):
    """The function mapping any Python scalar to a stored element of ``dtype``."""
    fn = _CONVERTERS.get(dtype.name)
    if fn is None:
        fn = _CONVERTERS[dtype.name] = _make_converter(dtype)
    return fn


def convert(value: bool | int | float | complex, dtype: DType):
    """``value`` as a stored element of ``dtype`` (the casting rule; see the NOTE above)."""
    return converter(dtype)(value)


# ---------------------------------------------------------------------------- summation
def float_sum(values) -> float:
    """The sum of floats, correctly rounded to float64 (``math.fsum``).

    The reference answer is the exact sum rounded once; fast backends sum pairwise or in
    blocks and may differ in the last bits. Where ``math.fsum`` refuses (``inf + -inf``,
    an intermediate overflow) the IEEE result of a plain left-to-right sum is returned.
    """
    values = list(values)
    try:
        return math.fsum(values)
    except (ValueError, OverflowError):
        total = 0.0
        for v in values:
            total += v
        return total


def complex_sum(values) -> complex:
    """The sum of complex numbers, each part summed with :func:`float_sum`."""
    values = list(values)
    return complex(float_sum(v.real for v in values), float_sum(v.imag for v in values))
