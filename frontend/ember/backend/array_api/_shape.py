"""Introspection, views and joining on an array-API namespace.

The standard has no notion of strides, storage or views (a conforming library may copy
where NumPy would view), so :meth:`strides`, :meth:`storage_offset`,
:meth:`shares_memory` and :meth:`as_strided` are overridable methods whose base versions
are the best standard-only answer: C-contiguous strides, offset 0, identity as the only
sharing, and no ``"as_strided"`` capability. ``reshape``, ``permute``, ``expand`` and
``getitem`` call the standard functions, which are views on NumPy and CuPy.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._base import ArrayAPICore

__all__ = ["ShapeMixin"]


class ShapeMixin(ArrayAPICore):
    # ------------------------------------------------------------------ introspection
    def shape(self, x):
        return tuple(x.shape)

    def strides(self, x):
        # Not expressible in the standard: report the C-contiguous layout.
        out, acc = [], 1
        for n in reversed(tuple(x.shape)):
            out.append(acc)
            acc *= max(n, 1)
        return tuple(reversed(out))

    def storage_offset(self, x):
        return 0  # not expressible in the standard

    def shares_memory(self, x, y):
        return x is y  # the standard cannot tell; identity is the only certain sharing

    # ------------------------------------------------------------------ views
    def reshape(self, x, shape):
        return self.xp.reshape(x, tuple(shape))

    def permute(self, x, axes):
        return self.xp.permute_dims(x, tuple(axes))

    def expand(self, x, shape):
        return self.xp.broadcast_to(x, tuple(shape))

    def getitem(self, x, key):
        return x[tuple(key)]

    def as_strided(self, x, shape, strides, offset):
        raise NotImplementedError(
            f"backend {self.name!r} has no strided views (capability 'as_strided')")

    def diagonal(self, x, offset, axis1, axis2):
        xp = self.xp
        nd = x.ndim
        rest = [i for i in range(nd) if i not in (axis1, axis2)]
        y = xp.permute_dims(x, (*rest, axis1, axis2))
        n, m = y.shape[-2], y.shape[-1]
        if offset >= 0:
            length = max(0, min(n, m - offset))
            start = offset
        else:
            length = max(0, min(n + offset, m))
            start = -offset * m
        batch = tuple(y.shape[:-2])
        # linalg.diagonal only handles the last two axes and is an extension; a take on
        # the flattened plane works everywhere (a copy: the standard has no strided view).
        flat = xp.reshape(y, (*batch, n * m))
        idx = xp.arange(length, dtype=self._i64, device=self._xp_device) * (m + 1) + start
        if length == 0:
            return xp.reshape(flat[..., :0], (*batch, 0))
        return xp.take(flat, idx, axis=nd - 2)

    # ------------------------------------------------------------------ joining
    def cat(self, xs: Sequence, axis):
        return self.xp.concat(list(xs), axis=axis)

    def flip(self, x, axes):
        if not axes:
            return self.copy(x)
        # xp.flip may return a view (NumPy, CuPy); the contract asks for a copy.
        return self.copy(self.xp.flip(x, axis=tuple(axes)))

    def pad(self, x, widths, value):
        xp = self.xp
        widths = list(widths) + [(0, 0)] * (x.ndim - len(widths))
        shape = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape, widths))
        out = xp.full(shape, self._scalar(value, x.dtype), dtype=x.dtype, device=self._xp_device)
        out[tuple(slice(lo, lo + n) for n, (lo, _) in zip(x.shape, widths))] = x
        return out
