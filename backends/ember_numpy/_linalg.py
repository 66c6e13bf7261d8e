"""NumPy matmul (override of array_api/_linalg.py): one call, 0-d results kept arrays.

float16 and bfloat16 are multiplied in float32 and rounded once, as the contract asks
(NumPy's float16 matmul accumulates in float16, ml_dtypes' returns float32).
"""

from __future__ import annotations

import numpy as np

__all__ = ["LinalgMixin"]

_F32 = np.dtype(np.float32)


class LinalgMixin:
    def matmul(self, a, b):
        xdt = a.dtype
        if xdt in self._half:
            return np.matmul(a.astype(_F32), b.astype(_F32), out=...).astype(xdt)
        return np.matmul(a, b, out=...)
