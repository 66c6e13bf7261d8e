"""The reference array: a flat storage plus shape, strides and offset.

# NOTE [ Strided arrays ]
A :class:`Storage` is a flat Python list of elements (see NOTE [ Reference element values ]
in ``_dtypes.py``) and the dtype they belong to. A :class:`RefArray` is a window onto a
storage: element ``(i0, i1, ..., ik)`` of the array lives at storage position

    offset + i0 * strides[0] + i1 * strides[1] + ... + ik * strides[k]

with strides and offset counted in elements, exactly as PyTorch's ``Tensor.stride()`` and
``Tensor.storage_offset()``. Views (reshape, permute, expand, slicing, diagonal,
as_strided) are new ``RefArray`` objects on the same ``Storage``; writes through a view are
seen by every array on that storage. A stride may be 0 (an expanded axis).

Everything else in the backend reads an array with :func:`values` (its elements in
row-major order) and builds results with :func:`from_values` (a new contiguous array).
"""

from __future__ import annotations

import math

from ember.backend import dtype as DType

from ._dtypes import convert

__all__ = [
    "RefArray",
    "Storage",
    "broadcast_shapes",
    "broadcast_to",
    "contiguous_strides",
    "element_offsets",
    "from_values",
    "full",
    "numel",
    "permute",
    "values",
    "write_values",
]


class Storage:
    """A flat list of elements of one dtype, shared by every view of it.

    ``reinterpreted`` is the same memory seen in the other dtype of a complex/real pair
    (NOTE [ Reinterpreted storage ] in ``_complex_views.py``), made once and kept, so every
    ``view_as_real`` of a storage shares one storage object.
    """

    __slots__ = ("data", "dtype", "reinterpreted")

    def __init__(self, data: list, dtype: DType):
        self.data = data
        self.dtype = dtype
        self.reinterpreted: Storage | None = None

    def __repr__(self) -> str:
        return f"Storage({self.data!r}, {self.dtype})"


class RefArray:
    """A strided view of a :class:`Storage` (see NOTE [ Strided arrays ])."""

    __slots__ = ("storage", "shape", "strides", "offset")

    def __init__(self, storage: Storage, shape: tuple[int, ...], strides: tuple[int, ...],
                 offset: int = 0):
        if len(shape) != len(strides):
            raise ValueError(f"shape {shape} and strides {strides} differ in length")
        self.storage = storage
        self.shape = tuple(shape)
        self.strides = tuple(strides)
        self.offset = offset

    @property
    def dtype(self) -> DType:
        return self.storage.dtype

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return numel(self.shape)

    def __repr__(self) -> str:
        return (f"RefArray({values(self)!r}, shape={self.shape}, dtype={self.dtype}, "
                f"strides={self.strides}, offset={self.offset})")


# ---------------------------------------------------------------------------- layout helpers
def numel(shape: tuple[int, ...]) -> int:
    """The number of elements of an array of ``shape`` (1 for ``()``)."""
    return math.prod(shape)


def contiguous_strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Row-major (C-contiguous) strides for ``shape``: the last axis has stride 1."""
    strides = []
    step = 1
    for n in reversed(shape):
        strides.append(step)
        step *= max(n, 1)
    return tuple(reversed(strides))


def element_offsets(shape: tuple[int, ...], strides: tuple[int, ...], offset: int) -> list[int]:
    """Storage positions of every element of a strided layout, in row-major order."""
    positions = [offset]
    for n, stride in zip(shape, strides):
        positions = [p + i * stride for p in positions for i in range(n)]
    return positions


def values(x: RefArray) -> list:
    """The elements of ``x`` in row-major order (a new list)."""
    data = x.storage.data
    return [data[p] for p in element_offsets(x.shape, x.strides, x.offset)]


def write_values(x: RefArray, new_values: list) -> None:
    """Store ``new_values`` (row-major, already of ``x``'s dtype) into ``x`` in place.

    Where ``x`` has a zero stride several positions name one storage slot; the last write
    wins, as in a sequential loop.
    """
    data = x.storage.data
    for p, v in zip(element_offsets(x.shape, x.strides, x.offset), new_values, strict=True):
        data[p] = v


def from_values(vals: list, shape: tuple[int, ...], dtype: DType) -> RefArray:
    """A new contiguous array of ``shape`` holding ``vals`` (already of ``dtype``)."""
    if len(vals) != numel(shape):
        raise ValueError(f"{len(vals)} values cannot fill an array of shape {shape}")
    return RefArray(Storage(list(vals), dtype), shape, contiguous_strides(shape), 0)


def full(shape: tuple[int, ...], value, dtype: DType) -> RefArray:
    """A new contiguous array of ``shape`` filled with ``value`` converted to ``dtype``."""
    shape = tuple(int(n) for n in shape)
    if any(n < 0 for n in shape):
        raise ValueError(f"negative dimension in shape {shape}")
    return from_values([convert(value, dtype)] * numel(shape), shape, dtype)


def permute(x: RefArray, axes: tuple[int, ...]) -> RefArray:
    """A view with the axes reordered: result axis ``i`` is input axis ``axes[i]``."""
    axes = tuple(axes)
    if sorted(axes) != list(range(x.ndim)):
        raise ValueError(f"permute: {axes} is not a permutation of the axes of shape {x.shape}")
    return RefArray(x.storage, tuple(x.shape[a] for a in axes),
                    tuple(x.strides[a] for a in axes), x.offset)


# ---------------------------------------------------------------------------- broadcasting
def broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """NumPy's broadcasting: align shapes on the right; each axis must agree or be 1."""
    ndim = max((len(s) for s in shapes), default=0)
    result = []
    for axis in range(-ndim, 0):
        size = 1
        for s in shapes:
            n = s[axis] if -axis <= len(s) else 1
            if n == 1:
                continue
            if size not in (1, n):
                raise ValueError(
                    "shapes " + ", ".join(str(tuple(s)) for s in shapes)
                    + " cannot be broadcast together"
                )
            size = n
        result.append(size)
    return tuple(result)


def broadcast_to(x: RefArray, shape: tuple[int, ...]) -> RefArray:
    """A view of ``x`` with ``shape``: new leading axes and size-1 axes get stride 0."""
    shape = tuple(shape)
    extra = len(shape) - x.ndim
    if extra < 0:
        raise ValueError(f"cannot broadcast an array of shape {x.shape} to {shape}")
    strides = [0] * extra
    for axis, (n, stride) in enumerate(zip(x.shape, x.strides)):
        target = shape[extra + axis]
        if n == target:
            strides.append(stride)
        elif n == 1:
            strides.append(0)
        else:
            raise ValueError(f"cannot broadcast an array of shape {x.shape} to {shape}")
    return RefArray(x.storage, shape, tuple(strides), x.offset)
