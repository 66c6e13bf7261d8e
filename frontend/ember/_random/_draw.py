"""Turning Philox words into uniform, normal and integer values with exact primitives.

# NOTE [ Random distributions ]
Every value is computed from the generator's 32-bit words (``w``, ``w0``/``w1`` for two
consecutive words) with operations that round exactly on every backend, so a seed gives
identical bits everywhere (see NOTE [ Random streams ] and NOTE [ Portable
transcendentals ]). Element ``i`` of a tensor takes the ``i``-th word (or pair, or block)
of the draw, in row-major order.

* uniform in ``[0, 1)`` with the dtype's mantissa bits, one word per element except
  float64, which takes two:

  - float64: ``((w0 >> 5) * 2**26 + (w1 >> 6)) * 2**-53`` (53 bits);
  - float32: ``(w >> 8) * 2**-24`` (24 bits);
  - float16: ``(w >> 21) * 2**-11`` (11 bits);
  - bfloat16: ``(w >> 24) * 2**-8`` (8 bits).

  Those values are exact in their dtype, so no rounding is involved.
* ``u53``: the float64 formula above, used by every other distribution.
* standard normal (Box-Muller, one 4-word block per pair of values): ``u1 = 1 - u53(w0,
  w1)`` in ``(0, 1]`` (never ``log(0)``), ``u2 = u53(w2, w3)``, ``r = sqrt(-2 log u1)``;
  value ``2k`` is ``r cos(2 pi u2)`` and value ``2k + 1`` is ``r sin(2 pi u2)`` of block
  ``k``. Computed in float64, then cast (through float32 for float16 and bfloat16), so
  ``randn(dtype=float32)`` is ``randn(dtype=float64)`` rounded.
* 63-bit integers: ``(w0 >> 1) * 2**32 + w1`` in ``[0, 2**63)``. An integer in
  ``[low, high)`` is ``low + v % (high - low)``; the modulo bias is below
  ``(high - low) / 2**63`` (at most ``2**-31`` for any 32-bit range). A range wider than
  ``2**63 - 1`` gives ``low + v``: within bounds but covering only ``[low, low + 2**63)``.
* Other distributions use ``u53``: bernoulli is ``u53 < p``, exponential is
  ``-log(1 - u53) / lambd``, and so on (see ``_inplace``).
"""

from __future__ import annotations

from typing import Any

from .._defaults import as_device, backend_for
from .._ops._elementwise import _tname
from ..backend import _dtypes as D
from . import _portable
from ._generator import Generator, default_generator_for

__all__ = [
    "backend_and_generator", "check_generator", "words", "uniform", "u53", "standard_normal",
    "int63", "randint_values", "cast_float", "all_true", "require_float",
]

Array = Any


def check_generator(generator: Any, be: Any) -> Generator:
    """``generator`` (or the default of ``be``'s device), checked against the device."""
    if generator is None:
        return default_generator_for(be.device)
    if not isinstance(generator, Generator):
        raise TypeError(f"expected an ember.Generator as 'generator', got "
                        f"{type(generator).__name__}")
    if generator.device.type != be.device.type:
        raise RuntimeError(f"Expected a '{be.device.type}' device type for generator but "
                           f"found '{generator.device.type}'")
    return generator


def backend_and_generator(device: Any, generator: Any) -> tuple[Any, Generator]:
    """The backend for ``device`` (the default device when None) and the checked generator."""
    be = backend_for(as_device(device) if device is not None else None)
    return be, check_generator(generator, be)


def words(be: Any, gen: Generator, n: int) -> Array:
    """The next ``n`` 32-bit words of ``gen``'s stream, as a 1-d int64 array."""
    if n == 0:
        return be.full((0,), 0, D.int64)
    key, counter = gen._reserve(n)
    return be.random_bits(key, counter, n)


def _lanes(be: Any, w: Array, stride: int, n: int) -> list[Array]:
    """Split ``w`` (``stride * n`` words) into ``stride`` arrays of every ``stride``-th word."""
    return [be.getitem(w, (slice(k, stride * n, stride),)) for k in range(stride)]


def _pair53(be: Any, w0: Array, w1: Array) -> Array:
    hi = be.mul(be.right_shift(w0, 5), 1 << 26)
    return be.mul(be.astype(be.add(hi, be.right_shift(w1, 6)), D.float64), 2.0 ** -53)


def u53(be: Any, gen: Generator, n: int) -> Array:
    """``n`` float64 uniforms in ``[0, 1)`` with 53 random bits (two words each)."""
    w0, w1 = _lanes(be, words(be, gen, 2 * n), 2, n)
    return _pair53(be, w0, w1)


_SHORT = {D.float32: (8, 2.0 ** -24), D.float16: (21, 2.0 ** -11), D.bfloat16: (24, 2.0 ** -8)}


def uniform(be: Any, gen: Generator, n: int, dtype: D.dtype) -> Array:
    """``n`` uniforms in ``[0, 1)`` of the floating ``dtype``, exact in that dtype."""
    if dtype is D.float64:
        return u53(be, gen, n)
    shift, scale = _SHORT[dtype]
    v = be.astype(be.right_shift(words(be, gen, n), shift), D.float32)
    v = be.mul(v, scale)
    return v if dtype is D.float32 else be.astype(v, dtype)


def standard_normal(be: Any, gen: Generator, n: int) -> Array:
    """``n`` float64 standard normal values (Box-Muller, see the NOTE)."""
    m = (n + 1) // 2
    w0, w1, w2, w3 = _lanes(be, words(be, gen, 4 * m), 4, m)
    u1 = be.sub(1.0, _pair53(be, w0, w1))
    u2 = _pair53(be, w2, w3)
    r = be.sqrt(be.mul(_portable.log_unit(be, u1), -2.0))
    sin, cos = _portable.sincos_turns(be, u2)
    z = be.cat([be.reshape(be.mul(r, cos), (m, 1)), be.reshape(be.mul(r, sin), (m, 1))], 1)
    z = be.reshape(z, (2 * m,))
    return z if 2 * m == n else be.getitem(z, (slice(0, n, 1),))


def int63(be: Any, gen: Generator, n: int) -> Array:
    """``n`` int64 values uniform in ``[0, 2**63)`` (two words each)."""
    w0, w1 = _lanes(be, words(be, gen, 2 * n), 2, n)
    return be.add(be.left_shift(be.right_shift(w0, 1), 32), w1)


def randint_values(be: Any, gen: Generator, n: int, low: int, high: int) -> Array:
    """``n`` int64 values in ``[low, high)`` (``low < high``, both within int64)."""
    v = int63(be, gen, n)
    span = high - low
    if span <= (1 << 63) - 1:
        v = be.remainder(v, span)
    return be.add(v, low) if low else v


def all_true(be: Any, x: Array) -> bool:
    """Whether every element of the bool array ``x`` is True (a full reduction)."""
    return bool(be.to_list(be.reduce("all", x, tuple(range(len(be.shape(x)))), False)))


def cast_float(be: Any, x: Array, dtype: D.dtype) -> Array:
    """Cast a float64 array to a floating ``dtype`` (through float32 for 16-bit types, so
    every backend rounds the same two steps)."""
    if dtype is D.float64:
        return x
    if dtype is not D.float32:
        x = be.astype(x, D.float32)
    return be.astype(x, dtype)


def require_float(op: str, kernel: str, dtype: D.dtype) -> None:
    """PyTorch's error for a floating-only sampler asked for another dtype."""
    if not dtype.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_tname(dtype)}\'')
