"""The view-making core: wrapping backend views, stride arithmetic and size parsing.

Everything an op that returns a view needs (see NOTE [ Views ] in ``_shape``):
:func:`make_view` wraps a backend view so that it shares its base's version counter;
:func:`compute_stride` and :func:`infer_size` are PyTorch's view-geometry rules;
:func:`size_args` parses the ``f(2, 3)`` / ``f((2, 3))`` size spellings; ``is_contiguous``
and ``contiguous`` are the Tensor methods built on them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .._tensor import Tensor, TensorMeta, _wrap
from ..backend import _dtypes as D
from ._common import norm_dim as _norm_dim
from ._common import norm_dims as _norm_dims
from ._common import shape_of
from ._registry import method

__all__ = ["make_view", "norm_dim", "norm_dims", "size_args", "infer_size", "compute_stride",
           "is_contiguous", "contiguous", "contiguous_strides"]


def make_view(base: Tensor, data: Any, dtype: D.dtype | None = None) -> Tensor:
    """Wrap ``data`` (a backend view of ``base``'s array) as a view of ``base``: it shares
    the version counter and records the root base (see NOTE [ Views ] in ``_shape``)."""
    out = _wrap(data, base._dtype if dtype is None else dtype, base._backend)
    bmeta = base._ensure_meta()
    if bmeta.version is None:
        bmeta.version = [0]
    meta = out._meta = TensorMeta()
    meta.version = bmeta.version
    meta.base = bmeta.base if bmeta.base is not None else base
    meta.is_view = True
    return out


def norm_dim(dim: int, ndim: int, op: str = "") -> int:
    """``dim`` made non-negative; a 0-d tensor takes -1 and 0 as its one pseudo-axis 0."""
    return _norm_dim(dim, ndim or 1, op)


def norm_dims(dims: Any, ndim: int, op: str = "") -> tuple[int, ...]:
    """``dims`` as sorted non-negative axes (duplicates rejected, also on 0-d tensors)."""
    out = _norm_dims(dims, ndim or 1, op)
    return out if ndim else ()


def _strides(t: Tensor) -> tuple[int, ...]:
    return tuple(t._backend.strides(t._data))


def _restrided(t: Tensor, shape: tuple[int, ...], strides: tuple[int, ...],
               native: Callable[[], Any], exact: bool = False) -> Tensor:
    """A view of ``t`` with PyTorch's ``shape`` and ``strides``: the backend's native view
    (``native()``), re-strided with ``as_strided`` when its layout differs. ``exact`` skips
    the native view (used where the native op might copy)."""
    be = t._backend
    can = "as_strided" in be.capabilities
    if exact and can:
        try:
            return make_view(t, be.as_strided(t._data, shape, strides, be.storage_offset(t._data)))
        except (ValueError, NotImplementedError):
            pass  # e.g. a NumPy storage that is itself strided: use the native view
    data = native()
    if can and tuple(be.strides(data)) != strides:
        try:
            data = be.as_strided(t._data, shape, strides, be.storage_offset(data))
        except (ValueError, NotImplementedError):
            pass
    return make_view(t, data)


def contiguous_strides(shape: Sequence[int]) -> tuple[int, ...]:
    """PyTorch's row-major strides (a size-0 axis counts as 1)."""
    out, acc = [], 1
    for n in reversed(shape):
        out.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(out))


def _numel(shape: Sequence[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def size_args(args: tuple, op: str) -> tuple[int, ...]:
    """Sizes given as ``f(2, -1)``, ``f((2, -1))``, ``f([2, -1])`` or a Size (``-1`` kept)."""
    if not args:
        raise TypeError(f"{op}() missing 1 required positional arguments: \"size\"")
    if len(args) == 1 and not isinstance(args[0], int) and not (
            isinstance(args[0], Tensor) and args[0].dim() == 0):
        args = args[0]
    if all(type(s) is int for s in args):
        return tuple(args)
    out = []
    for i, s in enumerate(args):
        if isinstance(s, bool) or not hasattr(s, "__index__"):
            raise TypeError(f"{op}(): argument 'size' (position 1) must be tuple of ints, but "
                            f"found element of type {type(s).__name__} at pos {i}")
        out.append(s.__index__())
    return tuple(out)


def infer_size(shape: Sequence[int], numel: int) -> tuple[int, ...]:
    """``shape`` with its ``-1`` entry inferred from ``numel`` (PyTorch's ``infer_size``)."""
    newsize, infer = 1, None
    for i, s in enumerate(shape):
        if s == -1:
            if infer is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif s >= 0:
            newsize *= s
        else:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {list(shape)}")
    if numel == newsize or (infer is not None and newsize > 0 and numel % newsize == 0):
        if infer is None:
            return tuple(shape)
        out = list(shape)
        out[infer] = numel // newsize
        return tuple(out)
    if infer is not None and newsize == 0:
        raise RuntimeError(f"cannot reshape tensor of 0 elements into shape {list(shape)} "
                           f"because the unspecified dimension size -1 can be any value and "
                           f"is ambiguous")
    raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")


def compute_stride(old_shape: Sequence[int], old_strides: Sequence[int],
                   new_shape: Sequence[int]) -> tuple[int, ...] | None:
    """Strides that view a tensor of ``old_shape``/``old_strides`` with ``new_shape``, or
    None when no view exists (PyTorch's ``computeStride``).

    Walking the old axes from the innermost, axes that step exactly over the next one form a
    contiguous *chunk*; the new axes must tile each chunk exactly, taken right to left. Size-1
    axes on either side fit anywhere.
    """
    nd = len(new_shape)
    if not old_shape:
        return (1,) * nd
    numel = _numel(old_shape)
    if numel == 0 and tuple(old_shape) == tuple(new_shape):
        return tuple(old_strides)
    if numel == 0:
        return contiguous_strides(new_shape)
    new_strides = [0] * nd
    view_d = nd - 1
    base_stride = old_strides[-1]
    tensor_numel = view_numel = 1
    for d in range(len(old_shape) - 1, -1, -1):
        tensor_numel *= old_shape[d]
        if d == 0 or (old_shape[d - 1] != 1
                      and old_strides[d - 1] != tensor_numel * base_stride):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_strides[view_d] = view_numel * base_stride
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                base_stride = old_strides[d - 1]
                tensor_numel = view_numel = 1
    return tuple(new_strides) if view_d == -1 else None


def is_contiguous(self: Tensor, memory_format: Any = None) -> bool:
    """True when the elements are laid out row-major without gaps (size-1 axes ignored)."""
    return _contiguous(shape_of(self), self._backend.strides(self._data))


def _contiguous(shape: Sequence[int], strides: Sequence[int]) -> bool:
    if _numel(shape) == 0:
        return True
    expected = 1
    for n, s in zip(reversed(shape), reversed(tuple(strides))):
        if n != 1:
            if s != expected:
                return False
            expected *= n
    return True


def contiguous(self: Tensor, memory_format: Any = None) -> Tensor:
    """``self`` when contiguous, else a contiguous copy."""
    if is_contiguous(self):
        return self
    from .._tensor_methods import clone

    return clone(self)


method("is_contiguous", is_contiguous)
method("contiguous", contiguous)
