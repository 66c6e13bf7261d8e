"""NumPy views: real strides, storage offsets and strided views (overrides of
array_api/_shape.py, whose standard-only versions cannot see memory).

# NOTE [ NumPy storage ]
An ember storage is the NumPy array that owns the memory, found by following ``.base``
(through the ``DummyArray`` that ``as_strided`` leaves in the chain). Offsets and
``as_strided`` are counted in elements from that owner's first byte, so
``as_strided(x, ...)`` sees the same storage however ``x`` was viewed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.lib.stride_tricks import as_strided as _np_as_strided

__all__ = ["ShapeMixin", "storage_root"]


def storage_root(x: np.ndarray) -> np.ndarray:
    """The array owning ``x``'s memory (see NOTE [ NumPy storage ])."""
    while True:
        b = x.base
        if isinstance(b, np.ndarray):
            x = b
            continue
        inner = getattr(b, "base", None)  # numpy.lib.stride_tricks.DummyArray
        if isinstance(inner, np.ndarray):
            x = inner
            continue
        return x


def _address(x: np.ndarray) -> int:
    return x.__array_interface__["data"][0]


class ShapeMixin:
    def shape(self, x):
        return x.shape

    def strides(self, x):
        size = x.itemsize
        return tuple(s // size for s in x.strides)

    def storage_offset(self, x):
        return (_address(x) - _address(storage_root(x))) // x.itemsize

    def shares_memory(self, x, y):
        if not isinstance(y, np.ndarray):
            return False
        rx, ry = storage_root(x), storage_root(y)
        return rx is ry or np.may_share_memory(rx, ry)

    def reshape(self, x, shape):
        return np.reshape(x, shape)  # a view when the strides allow one, else a copy

    def permute(self, x, axes):
        return np.transpose(x, axes)

    def expand(self, x, shape):
        # np.broadcast_to returns a read-only view; PyTorch's expand is writable.
        lead = len(shape) - x.ndim
        strides = [0] * lead + [0 if n == 1 and m != 1 else s
                                for n, m, s in zip(x.shape, shape[lead:], x.strides)]
        return _np_as_strided(x, tuple(shape), tuple(strides), writeable=x.flags.writeable)

    def getitem(self, x, key):
        # The trailing Ellipsis keeps an all-integer key a 0-d view, not a NumPy scalar.
        return x[(*key, ...)]

    def view_as_real(self, x):
        re = x.real  # a view; its strides step over whole complex elements
        return np.lib.stride_tricks.as_strided(re, (*x.shape, 2), (*re.strides, re.itemsize))

    def view_as_complex(self, x):
        cdt = np.result_type(x.dtype, np.complex64)
        return x.view(cdt)[..., 0]  # the last axis (2 contiguous reals) becomes one element

    def as_strided(self, x, shape, strides, offset):
        root = storage_root(x)
        if not (root.flags.c_contiguous or root.flags.f_contiguous):
            raise ValueError("as_strided: the storage of this array is not contiguous")
        buf = root.reshape(-1, order="A").view(np.uint8)  # the storage's bytes, as a view
        size = x.itemsize
        return np.ndarray(tuple(shape), dtype=x.dtype, buffer=buf, offset=offset * size,
                          strides=tuple(s * size for s in strides))

    def diagonal(self, x, offset, axis1, axis2):
        # np.diagonal is read-only; a strided view of the first diagonal element is not.
        n1, n2 = x.shape[axis1], x.shape[axis2]
        key = [slice(None)] * x.ndim
        if offset >= 0:
            length = max(0, min(n1, n2 - offset))
            key[axis2] = slice(min(offset, n2), None)
        else:
            length = max(0, min(n1 + offset, n2))
            key[axis1] = slice(min(-offset, n1), None)
        start = x[tuple(key)]
        rest = [d for d in range(x.ndim) if d not in (axis1, axis2)]
        shape = tuple(x.shape[d] for d in rest) + (length,)
        strides = tuple(x.strides[d] for d in rest) + (x.strides[axis1] + x.strides[axis2],)
        return _np_as_strided(start, shape, strides, writeable=x.flags.writeable)

    def cat(self, xs: Sequence, axis):
        return np.concatenate(xs, axis=axis)

    def flip(self, x, axes):
        return np.flip(x, tuple(axes)).copy()  # np.flip is a view; the contract's is a copy
