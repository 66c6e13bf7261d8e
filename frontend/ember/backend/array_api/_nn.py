"""Optional fused kernels expressible in the standard: softmax, log_softmax, logsumexp."""

from __future__ import annotations

import math

from ._base import ArrayAPICore

__all__ = ["NNMixin", "NN_CAPABILITIES"]

NN_CAPABILITIES = frozenset({"softmax", "log_softmax", "logsumexp"})


class NNMixin(ArrayAPICore):
    def softmax(self, x, axis):
        xp = self.xp
        xdt = x.dtype
        x = self._up(x)  # float16/bfloat16 in float32, rounded once
        if x.shape[axis] == 0:
            return self._down(x, xdt)
        e = xp.exp(x - xp.max(x, axis=axis, keepdims=True))
        return self._down(e / xp.sum(e, axis=axis, keepdims=True), xdt)

    def log_softmax(self, x, axis):
        xp = self.xp
        xdt = x.dtype
        x = self._up(x)
        if x.shape[axis] == 0:
            return self._down(x, xdt)
        z = x - xp.max(x, axis=axis, keepdims=True)
        return self._down(z - xp.log(xp.sum(xp.exp(z), axis=axis, keepdims=True)), xdt)

    def logsumexp(self, x, axes, keepdims):
        xp = self.xp
        xdt = x.dtype
        axes = tuple(axes)
        x = self._up(x)
        if not axes:
            return self._down(self.copy(x), xdt)
        if any(x.shape[a] == 0 for a in axes):
            shape = [1 if a in axes else n for a, n in enumerate(x.shape)]
            if not keepdims:
                shape = [n for a, n in enumerate(x.shape) if a not in axes]
            return xp.full(tuple(shape), -math.inf, dtype=xdt, device=self._xp_device)
        if self._kind(x) == "c":  # shift by the largest real part (complex has no order)
            m = xp.max(xp.real(x), axis=axes, keepdims=True)
        else:
            m = xp.max(x, axis=axes, keepdims=True)
        m = xp.where(xp.isinf(m), xp.zeros_like(m), m)  # all -inf (or an inf): no shift
        if self._kind(x) == "c":
            m = xp.astype(m, x.dtype)
        r = xp.log(xp.sum(xp.exp(x - m), axis=axes, keepdims=True)) + m
        if not keepdims:
            r = xp.squeeze(r, axis=axes)
        return self._down(r, xdt)
