"""Float64 ``log``, ``sin``/``cos`` and ``exp`` made of exactly rounded primitives only.

# NOTE [ Portable transcendentals ]
Backends compute ``log``, ``sin`` and ``exp`` with different libraries (glibc, NumPy's
SIMD loops, CUDA's libdevice), which may differ in the last bit. The random
distributions must give the same bits on every backend, so they use these versions,
built from ``+ - * /``, ``floor``, comparisons and ``where`` on float64 arrays: IEEE 754
rounds each of those exactly, so every backend computes identical results. Accuracy is a
few ulps, far below what a sampled distribution can show.

* ``log(x)`` for ``0 < x <= 1``: scale by powers of two to ``m`` in ``[sqrt(1/2),
  sqrt(2))`` with ``x = m * 2**-e``, then ``log(m) = 2 atanh(s)``, ``s = (m - 1)/(m + 1)``
  (``|s| < 0.172``), as the odd series ``2 (s + s**3/3 + ... + s**25/25)``.
* ``sincos_turns(t)``: ``sin`` and ``cos`` of ``2*pi*t`` for ``0 <= t < 1``: the quadrant is
  ``floor(4t)``; the rest ``f`` is folded to ``[0, 1/2]`` (``f -> 1 - f`` swaps sin and cos)
  so the angle ``x = f*pi/2`` is at most ``pi/4``, where Taylor series to ``x**21`` and
  ``x**22`` are exact to double precision.
* ``exp(x)``: ``k = round(x / log 2)``, ``r = x - k log 2`` (``log 2`` split in two parts,
  ``|r| <= 0.35``), Taylor series to ``r**17``, then multiplied by ``2**k`` built from
  exact powers of two.
"""

from __future__ import annotations

import math
from typing import Any

from ..backend import _dtypes as D

__all__ = ["log_unit", "sincos_turns", "exp"]

Array = Any
_F64 = D.float64
_SQRT_HALF = math.sqrt(0.5)
_LN2 = math.log(2.0)
_LN2_HI = 6.93147180369123816490e-01  # log(2) rounded to 32 significant bits
_LN2_LO = 1.90821492927058770002e-10  # log(2) - _LN2_HI


def _horner(be: Any, z: Array, coeffs: list[float]) -> Array:
    """``sum(coeffs[i] * z**i)`` evaluated from the highest power down."""
    acc = be.full(be.shape(z), coeffs[-1], _F64)
    for c in reversed(coeffs[:-1]):
        acc = be.add(be.mul(acc, z), c)
    return acc


_LOG_COEFFS = [1.0 / (2 * i + 1) for i in range(13)]
_SIN_COEFFS = [(-1.0) ** i / math.factorial(2 * i + 1) for i in range(11)]
_COS_COEFFS = [(-1.0) ** i / math.factorial(2 * i) for i in range(12)]
_EXP_COEFFS = [1.0 / math.factorial(i) for i in range(18)]


def log_unit(be: Any, x: Array) -> Array:
    """Natural log of a float64 array with values in ``(2**-63, 1]``."""
    m = x
    e = be.full(be.shape(x), 0.0, _F64)
    for s in (32, 16, 8, 4, 2, 1):
        small = be.le(m, 2.0 ** -s)
        m = be.where(small, be.mul(m, 2.0 ** s), m)
        e = be.where(small, be.add(e, float(s)), e)
    # now m is in (1/2, 1]; move it to [sqrt(1/2), sqrt(2))
    low = be.lt(m, _SQRT_HALF)
    m = be.where(low, be.mul(m, 2.0), m)
    e = be.where(low, be.add(e, 1.0), e)
    s = be.div(be.sub(m, 1.0), be.add(m, 1.0))
    series = _horner(be, be.mul(s, s), _LOG_COEFFS)
    log_m = be.mul(be.mul(s, series), 2.0)
    return be.sub(log_m, be.mul(e, _LN2))


def sincos_turns(be: Any, t: Array) -> tuple[Array, Array]:
    """``(sin(2*pi*t), cos(2*pi*t))`` for a float64 array ``t`` in ``[0, 1)``."""
    t4 = be.mul(t, 4.0)
    q = be.floor(t4)
    f = be.sub(t4, q)
    swap = be.gt(f, 0.5)
    g = be.where(swap, be.sub(1.0, f), f)
    x = be.mul(g, math.pi / 2)
    x2 = be.mul(x, x)
    sin_x = be.mul(x, _horner(be, x2, _SIN_COEFFS))
    cos_x = _horner(be, x2, _COS_COEFFS)
    s0 = be.where(swap, cos_x, sin_x)  # sin(f * pi/2)
    c0 = be.where(swap, sin_x, cos_x)  # cos(f * pi/2)
    ns0, nc0 = be.neg(s0), be.neg(c0)
    q1, q2, q3 = be.eq(q, 1.0), be.eq(q, 2.0), be.eq(q, 3.0)
    sin = be.where(q1, c0, be.where(q2, ns0, be.where(q3, nc0, s0)))
    cos = be.where(q1, ns0, be.where(q2, nc0, be.where(q3, s0, c0)))
    return sin, cos


def _pow2(be: Any, k: Array) -> Array:
    """``2.0 ** k`` for a float64 array of integers ``|k| < 1024``, exactly."""
    mag = be.astype(be.abs(k), D.int64)
    neg = be.lt(k, 0.0)
    out = be.full(be.shape(k), 1.0, _F64)
    for j in range(10):
        bit = be.ne(be.bitwise_and(mag, 1 << j), 0)
        scaled = be.where(neg, be.mul(out, 2.0 ** -(1 << j)), be.mul(out, 2.0 ** (1 << j)))
        out = be.where(bit, scaled, out)
    return out


def exp(be: Any, x: Array) -> Array:
    """``e**x`` for a float64 array (``inf`` above ~709.8, 0 below ~-745)."""
    x = be.clip(x, -746.0, 710.0)
    k = be.round(be.mul(x, 1.0 / _LN2))
    r = be.sub(be.sub(x, be.mul(k, _LN2_HI)), be.mul(k, _LN2_LO))
    er = _horner(be, r, _EXP_COEFFS)
    half = be.trunc(be.mul(k, 0.5))
    # two factors keep each power of two in range (2**1024 alone would overflow)
    return be.mul(be.mul(er, _pow2(be, half)), _pow2(be, be.sub(k, half)))
