"""IEEE-faithful scalar functions on Python floats and complex numbers.

Python's ``math`` module raises where IEEE 754 arithmetic returns a value: ``math.log(0)``
raises ``ValueError`` instead of giving ``-inf``, ``math.exp(1000)`` raises
``OverflowError`` instead of giving ``inf``, ``1.0 / 0.0`` raises ``ZeroDivisionError``.
The functions here return what C's ``<math.h>`` (and therefore PyTorch and NumPy) return.
Every function takes and returns float64 values; rounding to the array's dtype happens
afterwards (NOTE [ Reference element values ] in ``_dtypes.py``).
"""

from __future__ import annotations

import cmath
import math

__all__ = ["COMPLEX_UNARY", "REAL_UNARY", "erfinv", "float_div", "float_floor_divide",
           "float_fmod", "float_pow", "float_remainder", "complex_div", "complex_pow"]

INF = math.inf
NAN = math.nan


def _is_odd_integer(y: float) -> bool:
    return math.isfinite(y) and y == math.floor(y) and math.fmod(y, 2.0) != 0.0


# ---------------------------------------------------------------------------- unary, real
def exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def expm1(x: float) -> float:
    try:
        return math.expm1(x)
    except OverflowError:
        return INF


def _log_with_pole(fn, pole: float):
    """``fn`` extended with IEEE's ``log``-family rules: ``-inf`` at the pole, ``nan`` below."""
    def log_fn(x: float) -> float:
        if math.isnan(x):
            return x
        if x == pole:
            return -INF
        if x < pole:
            return NAN
        return fn(x)
    log_fn.__name__ = fn.__name__
    return log_fn


log = _log_with_pole(math.log, 0.0)
log2 = _log_with_pole(math.log2, 0.0)
log10 = _log_with_pole(math.log10, 0.0)
log1p = _log_with_pole(math.log1p, -1.0)


def sqrt(x: float) -> float:
    return NAN if x < 0 else math.sqrt(x)  # sqrt(-0.0) is -0.0, sqrt(nan) is nan


def _nan_outside_domain(fn):
    """``fn`` with ``ValueError`` (a domain error such as ``sin(inf)``) turned into nan."""
    def guarded(x: float) -> float:
        try:
            return fn(x)
        except ValueError:
            return NAN
    guarded.__name__ = fn.__name__
    return guarded


sin = _nan_outside_domain(math.sin)
cos = _nan_outside_domain(math.cos)
tan = _nan_outside_domain(math.tan)
asin = _nan_outside_domain(math.asin)
acos = _nan_outside_domain(math.acos)
acosh = _nan_outside_domain(math.acosh)
atan = math.atan
tanh = math.tanh
asinh = math.asinh
erf = math.erf


def sinh(x: float) -> float:
    try:
        return math.sinh(x)
    except OverflowError:
        return math.copysign(INF, x)


def cosh(x: float) -> float:
    try:
        return math.cosh(x)
    except OverflowError:
        return INF


def atanh(x: float) -> float:
    if abs(x) == 1.0:
        return math.copysign(INF, x)
    if abs(x) > 1.0:
        return NAN
    return math.atanh(x)


def erfinv(y: float) -> float:
    """The inverse of ``math.erf`` on (-1, 1); +-inf at +-1 and nan outside.

    A rational initial guess (Giles, "Approximating the erfinv function", 2010; about 1e-7
    relative) is polished with Newton steps on ``erf(x) - y``, whose derivative is
    ``2/sqrt(pi) * exp(-x*x)``. Two or three steps reach the float64 limit.
    """
    if math.isnan(y) or abs(y) > 1.0:
        return NAN
    if abs(y) == 1.0:
        return math.copysign(INF, y)
    if y == 0.0:
        return y  # keeps the sign of -0.0
    w = -math.log((1.0 - y) * (1.0 + y))
    if w < 5.0:
        w -= 2.5
        p = 2.81022636e-08
        for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                  -0.00125372503, -0.00417768164, 0.246640727, 1.50140941):
            p = c + p * w
    else:
        w = math.sqrt(w) - 3.0
        p = -0.000200214257
        for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                  -0.0076224613, 0.00943887047, 1.00167406, 2.83297682):
            p = c + p * w
    # Work on |y| so that the tail can use erfc: 1 - |y| is exact for |y| >= 0.5, whereas
    # erf(x) saturates to 1.0 long before erfinv does.
    a = abs(y)
    x = p * a
    two_over_sqrt_pi = 2.0 / math.sqrt(math.pi)
    for _ in range(4):
        slope = two_over_sqrt_pi * math.exp(-x * x)
        if slope == 0.0:  # so far in the tail that erf is flat in float64
            break
        residual = math.erf(x) - a if a <= 0.5 else (1.0 - a) - math.erfc(x)
        step = residual / slope
        x -= step
        if abs(step) <= 1e-17 * abs(x):
            break
    return math.copysign(x, y)


#: The transcendental unary primitives on real (float64) values.
REAL_UNARY = {
    "exp": exp, "expm1": expm1, "log": log, "log1p": log1p, "log2": log2, "log10": log10,
    "sqrt": sqrt, "sin": sin, "cos": cos, "tan": tan, "asin": asin, "acos": acos,
    "atan": atan, "sinh": sinh, "cosh": cosh, "tanh": tanh, "asinh": asinh, "acosh": acosh,
    "atanh": atanh, "erf": erf, "erfinv": erfinv,
}


# ---------------------------------------------------------------------------- unary, complex
def _complex_guard(fn, pole=None):
    """``fn`` from ``cmath`` with its exceptions turned into values.

    ``cmath`` raises ``ValueError`` at a pole, where C99 gives an infinity: ``pole(z)`` is
    that value (``-inf + 0j`` for the log family at 0, ``+-inf + 0j`` for ``atanh(+-1)``).
    On overflow we give ``nan + nanj``: the reference does not model every special case of
    C99 Annex G, and the conformance suite compares complex functions on finite values.
    """
    def guarded(z: complex) -> complex:
        try:
            return fn(z)
        except ValueError:
            return pole(z) if pole is not None else complex(NAN, NAN)
        except OverflowError:
            return complex(NAN, NAN)
    guarded.__name__ = fn.__name__
    return guarded


def _complex_expm1(z: complex) -> complex:
    return cmath.exp(z) - 1


def _complex_log1p(z: complex) -> complex:
    return cmath.log(1 + z)


def _complex_log2(z: complex) -> complex:
    return cmath.log(z) / math.log(2.0)


def _log_pole(z: complex) -> complex:
    return complex(-INF, 0.0)


def _atanh_pole(z: complex) -> complex:
    return complex(math.copysign(INF, z.real), 0.0)


#: The transcendental unary primitives on complex values (``erf``/``erfinv`` are real only).
COMPLEX_UNARY = {
    "exp": _complex_guard(cmath.exp), "expm1": _complex_guard(_complex_expm1),
    "log": _complex_guard(cmath.log, _log_pole),
    "log1p": _complex_guard(_complex_log1p, _log_pole),
    "log2": _complex_guard(_complex_log2, _log_pole),
    "log10": _complex_guard(cmath.log10, _log_pole),
    "sqrt": _complex_guard(cmath.sqrt), "sin": _complex_guard(cmath.sin),
    "cos": _complex_guard(cmath.cos), "tan": _complex_guard(cmath.tan),
    "asin": _complex_guard(cmath.asin), "acos": _complex_guard(cmath.acos),
    "atan": _complex_guard(cmath.atan), "sinh": _complex_guard(cmath.sinh),
    "cosh": _complex_guard(cmath.cosh), "tanh": _complex_guard(cmath.tanh),
    "asinh": _complex_guard(cmath.asinh), "acosh": _complex_guard(cmath.acosh),
    "atanh": _complex_guard(cmath.atanh, _atanh_pole),
}


# ---------------------------------------------------------------------------- binary, real
def float_div(a: float, b: float) -> float:
    """IEEE division: ``x / 0`` is ``+-inf`` (sign from both operands), ``0 / 0`` is nan."""
    if b == 0.0:
        if a == 0.0 or math.isnan(a):
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)
    return a / b


def float_floor_divide(a: float, b: float) -> float:
    """PyTorch's ``div_floor`` for floats: ``floor(a / b)`` computed from ``fmod`` so that it
    agrees with ``remainder`` (``a == b * floor_divide(a, b) + remainder(a, b)``). For
    ``b != 0`` this is exactly Python's float ``//``; ``b == 0`` gives ``a / b``."""
    if b == 0.0:
        return float_div(a, b)
    return a // b


def float_remainder(a: float, b: float) -> float:
    """``a - floor(a / b) * b`` with the sign of ``b`` (Python's float ``%``); nan for b == 0."""
    if b == 0.0 or math.isinf(a):
        return NAN
    return a % b


def float_fmod(a: float, b: float) -> float:
    """C's ``fmod``: the remainder of truncated division, with the sign of ``a``."""
    try:
        return math.fmod(a, b)
    except ValueError:  # fmod(inf, y) or fmod(x, 0)
        return NAN


def float_pow(a: float, b: float) -> float:
    """C's ``pow``: overflow gives +-inf and ``0 ** negative`` gives +-inf."""
    try:
        return math.pow(a, b)
    except OverflowError:
        negative = a < 0 and _is_odd_integer(b)
        return -INF if negative else INF
    except ValueError:
        if a == 0.0:  # a pole: pow(+-0, y<0)
            return math.copysign(INF, a) if _is_odd_integer(b) else INF
        return NAN  # a negative base with a non-integer exponent


# ---------------------------------------------------------------------------- binary, complex
def complex_div(a: complex, b: complex) -> complex:
    """Complex division; dividing by zero divides each part by zero (IEEE style)."""
    if b == 0:
        return complex(float_div(a.real, b.real), float_div(a.imag, b.real))
    return a / b


def complex_pow(a: complex, b: complex) -> complex:
    """``a ** b`` = ``exp(b * log(a))``; for ``a == 0`` that is 1 when ``b == 0``, 0 when
    ``Re(b) > 0`` and nan otherwise (Python raises instead)."""
    if a == 0:
        if b == 0:
            return 1 + 0j
        return 0j if b.real > 0 else complex(NAN, NAN)
    try:
        return a ** b
    except (ZeroDivisionError, OverflowError):
        return complex(NAN, NAN)
