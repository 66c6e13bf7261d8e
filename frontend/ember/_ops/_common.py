"""Helpers shared by the op modules: argument normalisation and PyTorch-style errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._defaults import backend_for, get_default_dtype
from .._promotion import category, result_type, scalar_dtype
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D

__all__ = [
    "Tensor",
    "_wrap",
    "norm_dim",
    "norm_dims",
    "shape_of",
    "as_shape",
    "check_device",
    "broadcast_shapes",
    "broadcast_error",
    "promote",
    "to_dtype",
    "scalar_to_tensor",
    "is_scalar",
]

Number = bool | int | float | complex
_NUMBER_TYPES = (bool, int, float, complex)


def is_scalar(x: object) -> bool:
    """True for Python numbers (and NumPy scalars, which behave like them)."""
    return isinstance(x, _NUMBER_TYPES) or (
        type(x).__module__ == "numpy" and hasattr(x, "item") and getattr(x, "ndim", 1) == 0
    )


def norm_dim(dim: int, ndim: int, op: str = "") -> int:
    """``dim`` made non-negative; IndexError as PyTorch words it when out of range."""
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not isinstance(dim, int) or isinstance(dim, bool):
        if hasattr(dim, "__index__"):
            dim = dim.__index__()
        else:
            raise TypeError(f"{op}(): argument 'dim' must be int, not {type(dim).__name__}")
    if dim < lo or dim > hi:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})"
        )
    return dim + ndim if dim < 0 else dim if ndim else 0


def norm_dims(dims: int | Sequence[int] | None, ndim: int, op: str = "") -> tuple[int, ...]:
    """``dims`` (int, sequence or None for all) as a sorted tuple of non-negative axes."""
    if dims is None:
        return tuple(range(ndim))
    if isinstance(dims, int) and not isinstance(dims, bool):
        return (norm_dim(dims, ndim, op),) if ndim else ()
    out = []
    for d in dims:
        nd = norm_dim(d, ndim, op)
        if nd in out and ndim:
            raise RuntimeError(f"{op}(): dim {nd} appears multiple times in the list of dims")
        out.append(nd)
    if not ndim:
        return ()
    return tuple(sorted(out))


def shape_of(t: Tensor) -> tuple[int, ...]:
    """The plain-tuple shape of ``t``."""
    return t._backend.shape(t._data)


def as_shape(size: Any, op: str = "") -> tuple[int, ...]:
    """Sizes given as ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` or ``f(Size)`` as a tuple."""
    if len(size) == 1 and not isinstance(size[0], int):
        size = size[0]
    try:
        out = tuple(s.__index__() for s in size)
    except (AttributeError, TypeError):
        raise TypeError(
            f"{op}(): argument 'size' must be a tuple of ints, but found element of type "
            f"{next((type(s).__name__ for s in size if not hasattr(s, '__index__')), '?')}"
        ) from None
    for s in out:
        if s < 0:
            raise RuntimeError(f"{op}(): trying to create tensor with negative dimension {s}: "
                               f"{list(out)}")
    return out


def check_device(op: str, a: Tensor, b: Tensor) -> None:
    """Raise PyTorch's error for operands on different devices."""
    if a._backend is b._backend:
        return
    da, db = a._backend.device, b._backend.device
    raise RuntimeError(
        f"Expected all tensors to be on the same device, but found at least two devices, "
        f"{da} and {db}! (when checking argument for {op})"
    )


def broadcast_shapes(*shapes: Sequence[int]) -> tuple[int, ...]:
    """The broadcast of ``shapes``; RuntimeError as PyTorch words it when incompatible."""
    ndim = max((len(s) for s in shapes), default=0)
    out = [1] * ndim
    for s in shapes:
        for i, d in enumerate(s):
            j = ndim - len(s) + i
            if d == out[j] or d == 1:
                continue
            if out[j] == 1:
                out[j] = d
            else:
                raise RuntimeError(
                    f"The size of tensor a ({out[j]}) must match the size of tensor b ({d}) at "
                    f"non-singleton dimension {i}"
                )
    return tuple(out)


def broadcast_error(op: str, shapes: Sequence[Sequence[int]], exc: BaseException) -> Exception:
    """The error to raise when a kernel failed: PyTorch's broadcast message when the shapes
    are incompatible, else a RuntimeError naming the op and the backend's message."""
    try:
        broadcast_shapes(*shapes)
    except RuntimeError as bad:
        a, b = shapes[0], shapes[1] if len(shapes) > 1 else ()
        nd = max(len(a), len(b))
        for k in range(1, nd + 1):
            da = a[-k] if k <= len(a) else 1
            db = b[-k] if k <= len(b) else 1
            if da != db and da != 1 and db != 1:
                return RuntimeError(
                    f"{op}(): The size of tensor a ({da}) must match the size of tensor b ({db}) "
                    f"at non-singleton dimension {nd - k}"
                )
        return RuntimeError(f"{op}(): {bad}")
    if isinstance(exc, (RuntimeError, TypeError, ValueError, IndexError, ZeroDivisionError)):
        return type(exc)(f"{op}(): {exc}") if not str(exc).startswith(op) else exc
    return RuntimeError(f"{op}(): {type(exc).__name__}: {exc}")


def to_dtype(t: Tensor, dt: D.dtype) -> Any:
    """``t``'s array in dtype ``dt`` (no copy when it already is)."""
    if t._dtype is dt:
        return t._data
    return t._backend.astype(t._data, dt)


def promote(a: Tensor, b: Any) -> D.dtype:
    """The promoted dtype of tensor ``a`` and tensor-or-number ``b`` (PyTorch's rules)."""
    da = a._dtype
    if isinstance(b, Tensor):
        db = b._dtype
        if da is db:
            return da
        ga = 0 if a._backend.shape(a._data) else 1
        gb = 0 if b._backend.shape(b._data) else 1
        return result_type(((da, ga), (db, gb)))
    tb = type(b)
    if (tb is float and da.kind in "fc") or (tb is int and da.kind in "iufc"):
        return da  # a Python number never widens a tensor of its category or higher
    ds = scalar_dtype(b, get_default_dtype())
    if category(ds) <= category(da):
        return da
    ga = 0 if a._backend.shape(a._data) else 1
    return result_type(((da, ga), (ds, 2)))


def scalar_to_tensor(value: Number, ref: Tensor | None = None, dtype: D.dtype | None = None
                     ) -> Tensor:
    """A 0-d tensor holding ``value`` on ``ref``'s device (default device otherwise)."""
    dt = dtype or scalar_dtype(value, get_default_dtype())
    be = ref._backend if ref is not None else backend_for(None)
    return _wrap(be.full((), value, dt), dt, be)
