"""NumPy fast paths for the elementwise primitives (overrides of array_api/_elementwise.py).

Each kernel is one ufunc call, because per-op overhead decides small-model speed:

* ``out=...`` makes a ufunc return a 0-d array instead of a NumPy scalar for 0-d
  operands (the frontend writes into 0-d results in place);
* two ndarrays go straight to the ufunc; with a Python scalar, NumPy 2 (NEP 50) gives it
  the array's dtype, as the contract asks (``float32_array * 2.5`` stays float32), but
  raises OverflowError for a Python int out of an integer dtype's range: then the scalar
  is wrapped around first, as PyTorch does (``_with_scalar``);
* float16 ufunc loops compute in float32 and round once, and ml_dtypes' bfloat16 loops do
  the same, so halves need no conversion here.
"""

from __future__ import annotations

import ml_dtypes
import numpy as np

from ._quiet import QUIET
from ._quiet import quiet as _set
from ._quiet import restore as _reset
from ._select import select
from ._special import erf_f64

__all__ = ["ElementwiseMixin"]

_ELLIPSIS = ...
_ND = np.ndarray
_SCALARS = (bool, int, float, complex)
_BF16 = np.dtype(ml_dtypes.bfloat16)
_F64 = np.dtype(np.float64)


def _binary(ufunc):
    def kernel(self, a, b):
        token = _set(QUIET)  # NOTE [ Quiet kernels ]
        try:
            if type(a) is _ND and (type(b) is _ND or a.dtype is not _BF16):
                try:
                    return ufunc(a, b, out=_ELLIPSIS)
                except OverflowError:  # a Python int outside an integer dtype
                    pass
            return self._with_scalar(ufunc, a, b)
        finally:
            _reset(token)
    return kernel


def _comparison(ufunc):
    def kernel(self, a, b):
        if type(a) is _ND and type(b) is _ND:
            return ufunc(a, b, out=_ELLIPSIS)
        # NumPy compares an out-of-range Python int exactly (int8 100 < 300); the contract
        # and PyTorch first give it the array's dtype (300 -> 44 in int8).
        return ufunc(*self._np_operands(a, b), out=_ELLIPSIS)
    return kernel


def _unary(ufunc):
    def kernel(self, x):
        token = _set(QUIET)  # NOTE [ Quiet kernels ]
        try:
            return ufunc(x, out=_ELLIPSIS)
        finally:
            _reset(token)
    return kernel


def _rounding(ufunc):
    def kernel(self, x):
        if x.dtype.kind in "biu":
            return x.copy()  # rounding is the identity on integers and bool
        return ufunc(x, out=_ELLIPSIS)
    return kernel


class ElementwiseMixin:
    floor = _rounding(np.floor)
    ceil = _rounding(np.ceil)
    round = _rounding(np.rint)  # rint: half to even, like the contract's round
    trunc = _rounding(np.trunc)

    def abs(self, x):
        if x.dtype.kind == "c":
            return np.absolute(x, out=_ELLIPSIS).astype(x.dtype)  # the modulus, kept complex
        return np.absolute(x, out=_ELLIPSIS)

    def sign(self, x):
        if x.dtype.kind == "b":
            return x.copy()  # NumPy has no bool sign; the contract's is x itself
        out = np.sign(x, out=_ELLIPSIS)
        if x.dtype.kind not in "iuc":
            nan = np.isnan(x)
            if nan.any():  # NumPy's sign(nan) is nan; the contract's (PyTorch's) is 0
                out = np.where(nan, np.zeros((), x.dtype), out)
        return out

    def conj(self, x):
        return np.conjugate(x, out=_ELLIPSIS) if x.dtype.kind == "c" else x.copy()

    def real(self, x):
        return np.real(x).copy()  # np.real is a view; the contract's real is not

    def imag(self, x):
        return np.imag(x).copy()

    def _with_scalar(self, ufunc, a, b):
        """A binary ufunc with a Python scalar operand (see the module docstring)."""
        array = b if isinstance(a, _SCALARS) else a
        if array.dtype != _BF16:
            try:
                return ufunc(a, b, out=_ELLIPSIS)
            except OverflowError:  # a Python int outside an integer dtype: wrap it around
                pass
        # ml_dtypes' bfloat16 does not take part in NEP 50 (bfloat16 + 2.5 would give
        # float32), so the scalar becomes a 0-d array of the array's dtype first.
        return ufunc(*self._np_operands(a, b), out=_ELLIPSIS)

    def _np_operands(self, a, b):
        if isinstance(a, _SCALARS):
            return np.asarray(self._scalar(a, b.dtype), dtype=b.dtype), b
        if isinstance(b, _SCALARS):
            return a, np.asarray(self._scalar(b, a.dtype), dtype=a.dtype)
        return a, b

    def erf(self, x):
        if x.dtype.kind != "f" and x.dtype != _BF16:
            raise TypeError(f"backend {self.name!r}: erf needs a real floating input")
        if x.dtype == _F64:
            return erf_f64(x)
        return erf_f64(x.astype(_F64)).astype(x.dtype)

    def binary_into(self, op, out, a, b):
        ufunc = _INTO[op]
        if type(b) is not _ND and (out.dtype is _BF16 or type(b) is int):
            b = np.asarray(self._scalar(b, out.dtype), dtype=out.dtype)
        if type(a) is not _ND and (out.dtype is _BF16 or type(a) is int):
            a = np.asarray(self._scalar(a, out.dtype), dtype=out.dtype)
        token = _set(QUIET)  # NOTE [ Quiet kernels ]
        try:
            ufunc(a, b, out=out)  # NumPy buffers overlapping operands itself
        finally:
            _reset(token)

    def unary_into(self, op, out, x):
        ufunc = _UNARY_INTO[op]
        token = _set(QUIET)  # NOTE [ Quiet kernels ]
        try:
            ufunc(x, out=out)
        finally:
            _reset(token)

    def where(self, cond, x, y):
        return select(cond, *self._np_operands(x, y))


_UNARY = {
    "neg": np.negative, "exp": np.exp, "expm1": np.expm1, "log": np.log, "log1p": np.log1p,
    "log2": np.log2, "log10": np.log10, "sqrt": np.sqrt, "sin": np.sin, "cos": np.cos,
    "tan": np.tan, "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan, "sinh": np.sinh,
    "cosh": np.cosh, "tanh": np.tanh, "asinh": np.arcsinh, "acosh": np.arccosh,
    "atanh": np.arctanh, "isnan": np.isnan, "isinf": np.isinf, "isfinite": np.isfinite,
    "signbit": np.signbit, "logical_not": np.logical_not, "bitwise_not": np.invert,
}

_INTO = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide}
_UNARY_INTO = {k: v for k, v in _UNARY.items() if k not in (
    "isnan", "isinf", "isfinite", "signbit", "logical_not", "bitwise_not")}

_BINARY = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide,
    "floor_divide": np.floor_divide, "remainder": np.remainder, "fmod": np.fmod,
    "pow": np.power, "maximum": np.maximum, "minimum": np.minimum, "atan2": np.arctan2,
    "logical_and": np.logical_and, "logical_or": np.logical_or,
    "logical_xor": np.logical_xor, "bitwise_and": np.bitwise_and,
    "bitwise_or": np.bitwise_or, "bitwise_xor": np.bitwise_xor, "left_shift": np.left_shift,
    "right_shift": np.right_shift,
}

_COMPARISON = {
    "eq": np.equal, "ne": np.not_equal, "lt": np.less, "le": np.less_equal, "gt": np.greater,
    "ge": np.greater_equal,
}

for _name, _ufunc in _UNARY.items():
    _k = _unary(_ufunc)
    _k.__name__ = _k.__qualname__ = _name
    setattr(ElementwiseMixin, _name, _k)
for _name, _ufunc in _BINARY.items():
    _k = _binary(_ufunc)
    _k.__name__ = _k.__qualname__ = _name
    setattr(ElementwiseMixin, _name, _k)
for _name, _ufunc in _COMPARISON.items():
    _k = _comparison(_ufunc)
    _k.__name__ = _k.__qualname__ = _name
    setattr(ElementwiseMixin, _name, _k)
