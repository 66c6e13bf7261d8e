"""NumPy creation, conversion and copies (overrides of array_api/_creation.py), plus the
``"numpy"`` and ``"dlpack"`` capabilities."""

from __future__ import annotations

import numpy as np

__all__ = ["CreationMixin"]

_SCALARS = (bool, int, float, complex)


class CreationMixin:
    def full(self, shape, value, dtype):
        xdt = self._xp_of[dtype]
        return np.full(shape, self._scalar(value, xdt), dtype=xdt)

    def from_list(self, data, shape, dtype):
        xdt = self._xp_of[dtype]
        try:
            arr = np.asarray(data, dtype=xdt)
        except (OverflowError, TypeError, ValueError):
            # Out-of-range ints, complex into a real dtype, ...: the base converts each
            # value in Python with PyTorch's casting rules.
            return super().from_list(data, shape, dtype)
        if dtype.kind == "i" and arr.size and np.asarray(data).dtype.kind not in "biu":
            # NumPy truncates floats into integers like PyTorch, but warns and is undefined
            # for nan/inf; the base's per-value conversion is total. (NumPy's own inference,
            # at C speed, says whether every value is an integer or bool.)
            return super().from_list(data, shape, dtype)
        return arr.reshape(shape)

    def to_list(self, x):
        if x.dtype in self._half:
            x = x.astype(np.float32)  # bfloat16.tolist() would give ml_dtypes scalars
        return x.tolist()

    def astype(self, x, dtype):
        xdt = self._xp_of[dtype]
        if x.dtype.kind == "c" and dtype.kind not in "cb":
            x = x.real  # PyTorch drops the imaginary part (NumPy would warn)
        return x.astype(xdt)

    def copy(self, x):
        return x.copy()  # ndarray.copy is C-contiguous (np.copy keeps F order)

    def copy_into(self, dst, src) -> None:
        if isinstance(src, _SCALARS):
            src = self._scalar(src, dst.dtype)
        dst[...] = src  # NumPy copies an overlapping source first

    # ------------------------------------------------------------------ capabilities
    def from_numpy(self, a):
        """An ember array sharing memory with the NumPy array ``a``."""
        return a if type(a) is np.ndarray else np.asarray(a)

    def to_numpy(self, x):
        """The NumPy array itself (shares memory)."""
        return x

    def from_dlpack(self, obj):
        """Import any DLPack-exporting CPU array (shares memory)."""
        return np.from_dlpack(obj)

    def to_dlpack(self, x):
        """A DLPack capsule of ``x`` (shares memory)."""
        return x.__dlpack__()
