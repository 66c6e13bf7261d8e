"""Elementwise primitives (UNARY_OPS, BINARY_OPS, COMPARISON_OPS, where, clip) on ``xp``.

Most primitives are one standard function; the tables below bind them. Where the
standard's domain is narrower than the contract's (bool operands of ``add``/``maximum``,
ordering comparisons on bool, ``sign`` of bool, integers in ``floor``, ...), the kernel
says how it bridges the gap at that line.
"""

from __future__ import annotations

from ._base import ArrayAPICore
from ._special import erf_f64, erfinv_f64

__all__ = ["ElementwiseMixin"]


class ElementwiseMixin(ArrayAPICore):
    # ------------------------------------------------------------------ unary, special cases
    def abs(self, x):
        if self._kind(x) == "c":
            return self.xp.astype(self.xp.abs(x), x.dtype)  # the modulus, kept complex
        return self.xp.abs(x)

    def sign(self, x):
        if self._kind(x) == "b":
            return self.copy(x)  # the standard's sign is numeric-only; bool is x itself
        out = self.xp.sign(x)
        if self.xp.isdtype(x.dtype, "real floating"):  # the contract's (PyTorch's) sign(nan) is 0
            out = self.xp.where(self.xp.isnan(x), self.xp.zeros_like(x), out)
        return out

    def _predicate(self, x, fn, value_for_exact: bool):
        if self._kind(x) in "bi":
            # The standard defines isnan/isinf/isfinite for numeric dtypes only; integers
            # and bool are never nan or infinite.
            return self.xp.full(tuple(x.shape), value_for_exact, dtype=self._bool,
                                device=self._xp_device)
        return fn(x)

    def isnan(self, x):
        return self._predicate(x, self.xp.isnan, False)

    def isinf(self, x):
        return self._predicate(x, self.xp.isinf, False)

    def isfinite(self, x):
        return self._predicate(x, self.xp.isfinite, True)

    def signbit(self, x):
        kind = self._kind(x)
        if kind == "b":
            return self.xp.zeros(tuple(x.shape), dtype=self._bool, device=self._xp_device)
        if kind == "i":
            return x < 0  # the standard's signbit is for real floating dtypes only
        return self.xp.signbit(x)

    def _truth(self, x):
        return x if x.dtype == self._bool else x != 0  # complex -> bool casts are not standard

    def logical_not(self, x):
        return self.xp.logical_not(self._truth(x))

    def bitwise_not(self, x):
        return self.xp.bitwise_invert(x)

    def conj(self, x):
        return self.xp.conj(x) if self._kind(x) == "c" else self.copy(x)

    def real(self, x):
        return self.xp.real(x) if self._kind(x) == "c" else self.copy(x)

    def imag(self, x):
        return self.xp.imag(x)

    def erf(self, x):
        # Not in the standard: a piecewise polynomial in float64 (ember.backend.array_api.
        # _special), rounded once to the input dtype.
        return self._via_f64(x, erf_f64)

    def erfinv(self, x):
        # Not in the standard: initial approximation + Halley steps in float64 (_special).
        return self._via_f64(x, erfinv_f64)

    def _via_f64(self, x, fn):
        if self._kind(x) != "f":
            raise TypeError(f"backend {self.name!r}: erf/erfinv need a real floating input")
        xp = self.xp
        if x.dtype == self._f64:
            return fn(xp, x)
        return xp.astype(fn(xp, xp.astype(x, self._f64)), x.dtype)

    # ------------------------------------------------------------------ where, clip
    def where(self, cond, x, y):
        x, y = self._arrays(x, y)
        return self.xp.where(cond, x, y)

    def clip(self, x, lo, hi):
        if lo is not None:
            x = self.maximum(x, lo)
        if hi is not None:
            x = self.minimum(x, hi)
        return x

    # ------------------------------------------------------------------ binary, special cases
    def fmod(self, a, b):
        xp = self.xp
        a, b = self._arrays(a, b)
        if self._kind(a) in "bi":
            # No C fmod in the standard: from remainder (sign of b), corrected to the sign
            # of a; exact for integers.
            r = xp.remainder(a, b)
            fix = (r != 0) & ((r < 0) != (a < 0))
            return xp.where(fix, r - b, r)
        dt = a.dtype
        a, b = self._up(a), self._up(b)
        # For floats remainder(|a|, |b|) is the exact fmod(|a|, |b|) (both positive: no
        # correction step, hence no rounding); copysign gives it the sign of a.
        return self._down(xp.copysign(xp.remainder(xp.abs(a), xp.abs(b)), a), dt)

    def _logical(self, fn, a, b):
        a, b = self._arrays(a, b)
        # The standard's logical_* take bool arrays; the contract tests x != 0.
        return fn(self._truth(a), self._truth(b))

    def logical_and(self, a, b):
        return self._logical(self.xp.logical_and, a, b)

    def logical_or(self, a, b):
        return self._logical(self.xp.logical_or, a, b)

    def logical_xor(self, a, b):
        return self._logical(self.xp.logical_xor, a, b)


def _unary(fname: str, mode: str):
    """A unary kernel calling ``xp.<fname>``. ``mode``: ``"exact"`` (no rounding, any
    dtype the namespace takes), ``"float"`` (float16/bfloat16 computed in float32),
    ``"round"`` (identity copy on integers and bool)."""
    if mode == "exact":
        def kernel(self, x):
            return getattr(self.xp, fname)(x)
    elif mode == "float":
        def kernel(self, x):
            if x.dtype in self._half:
                return self._down(getattr(self.xp, fname)(self._up(x)), x.dtype)
            return getattr(self.xp, fname)(x)
    else:
        def kernel(self, x):
            if self._kind(x) in "bi":
                return self.copy(x)  # rounding is the identity on integers
            return getattr(self.xp, fname)(x)
    return kernel


def _binary(fname: str, half: bool, bool_fname: str | None = None, bool_cast: bool = False):
    """A binary kernel calling ``xp.<fname>`` after converting a scalar operand.

    ``half``: float16/bfloat16 computed in float32 and rounded back. ``bool_fname``: the
    function used for bool operands (the standard's arithmetic is numeric-only, the
    contract's ``add`` on bool is ``or``). ``bool_cast``: bool operands of an ordering
    comparison are compared as uint8 (the standard orders numeric dtypes only)."""
    def kernel(self, a, b):
        xp = self.xp
        a, b = self._arrays(a, b)
        xdt = a.dtype
        if xdt == self._bool:
            if bool_fname is not None:
                return getattr(xp, bool_fname)(a, b)
            if bool_cast:
                a, b = xp.astype(a, xp.uint8), xp.astype(b, xp.uint8)
        elif half and xdt in self._half:
            return self._down(getattr(xp, fname)(self._up(a), self._up(b)), xdt)
        return getattr(xp, fname)(a, b)
    return kernel


_UNARY = {
    "neg": ("negative", "exact"),
    "exp": ("exp", "float"), "expm1": ("expm1", "float"), "log": ("log", "float"),
    "log1p": ("log1p", "float"), "log2": ("log2", "float"), "log10": ("log10", "float"),
    "sqrt": ("sqrt", "float"), "sin": ("sin", "float"), "cos": ("cos", "float"),
    "tan": ("tan", "float"), "asin": ("asin", "float"), "acos": ("acos", "float"),
    "atan": ("atan", "float"), "sinh": ("sinh", "float"), "cosh": ("cosh", "float"),
    "tanh": ("tanh", "float"), "asinh": ("asinh", "float"), "acosh": ("acosh", "float"),
    "atanh": ("atanh", "float"),
    "floor": ("floor", "round"), "ceil": ("ceil", "round"), "round": ("round", "round"),
    "trunc": ("trunc", "round"),
}

_BINARY = {
    "add": ("add", True, "logical_or"),
    "sub": ("subtract", True),
    "mul": ("multiply", True, "logical_and"),
    "div": ("divide", True),
    "floor_divide": ("floor_divide", True),
    "remainder": ("remainder", True),
    "pow": ("pow", True),
    "maximum": ("maximum", False, "logical_or"),
    "minimum": ("minimum", False, "logical_and"),
    "atan2": ("atan2", True),
    "bitwise_and": ("bitwise_and", False),
    "bitwise_or": ("bitwise_or", False),
    "bitwise_xor": ("bitwise_xor", False),
    "left_shift": ("bitwise_left_shift", False),
    "right_shift": ("bitwise_right_shift", False),
    "eq": ("equal", False),
    "ne": ("not_equal", False),
}

for _name, (_fname, _mode) in _UNARY.items():
    _k = _unary(_fname, _mode)
    _k.__name__ = _k.__qualname__ = _name
    setattr(ElementwiseMixin, _name, _k)
for _name, _spec in _BINARY.items():
    _k = _binary(*_spec)
    _k.__name__ = _k.__qualname__ = _name
    setattr(ElementwiseMixin, _name, _k)
for _name, _fname in {"lt": "less", "le": "less_equal", "gt": "greater",
                      "ge": "greater_equal"}.items():
    _k = _binary(_fname, False, bool_cast=True)
    _k.__name__ = _k.__qualname__ = _name
    setattr(ElementwiseMixin, _name, _k)
