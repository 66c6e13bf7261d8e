"""NumPy reductions and scans (overrides of array_api/_reduction.py).

Direct ufunc reductions skip the array-api-compat wrappers; float16/bfloat16 accumulate in
float32 (NumPy would sum float16 in float16 with pairwise rounding). ``np.asarray`` keeps
0-d results arrays rather than NumPy scalars.
"""

from __future__ import annotations

import numpy as np

from ._quiet import QUIET
from ._quiet import quiet as _set
from ._quiet import restore as _reset

__all__ = ["ReductionMixin"]

_F32 = np.dtype(np.float32)


class ReductionMixin:
    def _np_reduce(self, ufunc, x, axes, keepdims):
        if not axes:
            return x.copy()
        xdt = x.dtype
        token = _set(QUIET)  # NOTE [ Quiet kernels ]: a sum may overflow to inf
        try:
            if xdt in self._half:
                r = ufunc.reduce(x, axis=tuple(axes), dtype=_F32, keepdims=keepdims)
                return np.asarray(r).astype(xdt)
            return np.asarray(ufunc.reduce(x, axis=tuple(axes), dtype=xdt,
                                           keepdims=keepdims))
        finally:
            _reset(token)

    def sum(self, x, axes, keepdims):
        return self._np_reduce(np.add, x, axes, keepdims)

    def prod(self, x, axes, keepdims):
        return self._np_reduce(np.multiply, x, axes, keepdims)

    def max(self, x, axes, keepdims):
        if not axes:
            return x.copy()
        return np.asarray(np.max(x, axis=tuple(axes), keepdims=keepdims))  # nan propagates

    def min(self, x, axes, keepdims):
        if not axes:
            return x.copy()
        return np.asarray(np.min(x, axis=tuple(axes), keepdims=keepdims))

    def any(self, x, axes, keepdims):
        if not axes:
            return x.astype(np.bool_)
        return np.asarray(np.any(x, axis=tuple(axes), keepdims=keepdims))

    def all(self, x, axes, keepdims):
        if not axes:
            return x.astype(np.bool_)
        return np.asarray(np.all(x, axis=tuple(axes), keepdims=keepdims))

    def argmax(self, x, axis, keepdims):
        # NumPy returns the first nan, as the contract asks; halves are compared in
        # float32 because ml_dtypes' bfloat16 argmax does not order nan.
        if x.dtype in self._half:
            x = x.astype(_F32)
        return np.asarray(np.argmax(x, axis=axis, keepdims=keepdims), dtype=np.int64)

    def argmin(self, x, axis, keepdims):
        if x.dtype in self._half:
            x = x.astype(_F32)
        return np.asarray(np.argmin(x, axis=axis, keepdims=keepdims), dtype=np.int64)

    def _np_scan(self, fn, x, axis):
        if x.ndim == 0:
            return x.copy()
        xdt = x.dtype
        acc = _F32 if xdt in self._half else (np.int64 if xdt.kind == "b" else xdt)
        token = _set(QUIET)  # NOTE [ Quiet kernels ]: inf * 0 in a product scan
        try:
            r = fn(x, axis=axis, dtype=acc)
        finally:
            _reset(token)
        return r if r.dtype == xdt else r.astype(xdt)

    def cumsum(self, x, axis):
        return self._np_scan(np.cumsum, x, axis)

    def cumprod(self, x, axis):
        return self._np_scan(np.cumprod, x, axis)

    def _argsort(self, x, axis, descending):
        if x.dtype in self._half:
            x = x.astype(_F32)
        if not descending:
            return np.argsort(x, axis=axis, kind="stable")
        # Stable descending with nan first: stable ascending on the reversed axis (nan
        # last), reversed back, indices mapped through the reversal (as in the base).
        n = x.shape[axis]
        idx = np.argsort(np.flip(x, axis), axis=axis, kind="stable")
        return (n - 1) - np.flip(idx, axis)

    def _take_along_axis(self, x, idx, axis):
        return np.take_along_axis(x, idx, axis=axis)

    def unique(self, x):
        # equal_nan=False: every nan is its own value, as in the base (the standard's rule).
        values, inverse, counts = np.unique(x.reshape(-1), return_inverse=True,
                                            return_counts=True, equal_nan=False)
        return values, inverse.reshape(x.shape).astype(np.int64), counts.astype(np.int64)
