"""NumPy's fused kernels (array_api/_nn.py provides softmax, log_softmax, logsumexp)."""

from __future__ import annotations

import numpy as np

__all__ = ["NNMixin"]

_F32 = np.dtype(np.float32)


class NNMixin:
    def einsum(self, equation, *arrays):
        xdt = arrays[0].dtype
        if xdt in self._half:
            # float16/bfloat16 contracted in float32 and rounded once.
            r = np.einsum(equation, *(a.astype(_F32) for a in arrays))
            return np.asarray(r).astype(xdt)
        return np.asarray(np.einsum(equation, *arrays))
