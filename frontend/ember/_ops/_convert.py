"""Turning Python data (nested sequences, numbers, NumPy arrays, tensors) into arrays."""

from __future__ import annotations

from typing import Any

from .._defaults import get_default_dtype
from .._promotion import promote_types
from .._tensor import Tensor
from ..backend import _dtypes as D
from ..backend._protocol import Backend

__all__ = ["infer", "numpy_dtype_to_ember", "array_from_data"]

_NUMPY_SUPPORTED = ("float64, float32, float16, complex64, complex128, int64, int32, int16, "
                    "int8, uint8, and bool")


def _is_numpy_array(x: Any) -> bool:
    return type(x).__module__ == "numpy" and hasattr(x, "dtype") and hasattr(x, "shape")


def numpy_dtype_to_ember(np_dtype: Any) -> D.dtype:
    """The ember dtype of a NumPy dtype, or TypeError listing the supported ones."""
    name = getattr(np_dtype, "name", str(np_dtype))
    try:
        return D.by_name(name)
    except TypeError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{name}. The only supported types are: "
            f"{_NUMPY_SUPPORTED}."
        ) from None


def _scalar_kind(x: Any) -> D.dtype:
    if isinstance(x, bool):
        return D.bool_
    if isinstance(x, int):
        return D.int64
    if isinstance(x, float):
        return get_default_dtype()
    if isinstance(x, complex):
        return D.complex128 if get_default_dtype() is D.float64 else D.complex64
    raise TypeError(f"new(): invalid data type '{type(x).__name__}'")


def infer(data: Any) -> tuple[Any, tuple[int, ...], D.dtype | None]:
    """``(nested lists of Python scalars, shape, inferred dtype)`` for ``data``.

    Rectangularity is checked as PyTorch does ("expected sequence of length 2 at dim 1
    (got 3)"). The inferred dtype follows ``torch.tensor``: bool, int64, the default float
    dtype or complex; NumPy arrays and tensors contribute their own dtype.
    """
    if isinstance(data, Tensor):
        return data.tolist(), tuple(data.shape), data.dtype
    if _is_numpy_array(data):
        return data.tolist(), tuple(data.shape), numpy_dtype_to_ember(data.dtype)
    if type(data).__module__ == "numpy" and hasattr(data, "item"):  # NumPy scalar
        return data.item(), (), numpy_dtype_to_ember(data.dtype)
    if isinstance(data, bool | int | float | complex):
        return data, (), _scalar_kind(data)
    if isinstance(data, str | bytes) or not hasattr(data, "__len__"):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    kinds: list[D.dtype | None] = [None]
    values, shape = _walk(data, 0, kinds)
    return values, shape, kinds[0]


def _walk(seq: Any, depth: int, kinds: list) -> tuple[Any, tuple[int, ...]]:
    items = list(seq)
    if not items:
        return [], (0,)
    t0 = type(items[0])
    if (t0 is int or t0 is float) and all(type(v) is t0 for v in items):
        dt = D.int64 if t0 is int else get_default_dtype()  # a flat run of one Python type
        kinds[0] = dt if kinds[0] is None else _combine_py(kinds[0], dt)
        return items, (len(items),)
    out: list[Any] = []
    inner: tuple[int, ...] | None = None
    for item in items:
        if isinstance(item, Tensor) or _is_numpy_array(item) or (
            type(item).__module__ == "numpy" and hasattr(item, "item")
        ):
            vals, shp, dt = infer(item)
            kinds[0] = dt if kinds[0] is None else promote_types(kinds[0], dt)
        elif isinstance(item, bool | int | float | complex):
            vals, shp = item, ()
            dt = _scalar_kind(item)
            kinds[0] = dt if kinds[0] is None else _combine_py(kinds[0], dt)
        elif isinstance(item, str | bytes) or not hasattr(item, "__len__"):
            raise TypeError(f"new(): invalid data type '{type(item).__name__}'")
        else:
            vals, shp = _walk(item, depth + 1, kinds)
        if inner is None:
            inner = shp
        elif shp != inner:
            got = shp[0] if shp else type(item).__name__
            exp = inner[0] if inner else "a scalar"
            raise ValueError(f"expected sequence of length {exp} at dim {depth + 1} (got {got})")
        out.append(vals)
    return out, (len(items),) + (inner or ())


def _combine_py(a: D.dtype, b: D.dtype) -> D.dtype:
    # torch.tensor([1, 2.5]) is float32 (the default), [True, 2] is int64.
    return promote_types(a, b)


def array_from_data(backend: Backend, data: Any, dtype: D.dtype | None) -> tuple[Any, D.dtype]:
    """A new backend array (always a copy) holding ``data``; returns ``(array, dtype)``."""
    if _is_numpy_array(data) and "numpy" in backend.capabilities:
        src = numpy_dtype_to_ember(data.dtype)
        arr = backend.copy(backend.from_numpy(data))
        dt = dtype or src
        return (arr if dt is src else backend.astype(arr, dt)), dt
    if isinstance(data, Tensor):
        src_arr = data._data if data._backend is backend else None
        if src_arr is not None:
            dt = dtype or data._dtype
            out = backend.copy(src_arr) if dt is data._dtype else backend.astype(src_arr, dt)
            return out, dt
    values, shape, inferred = infer(data)
    dt = dtype or inferred or get_default_dtype()
    # from_list converts each Python value with PyTorch's casting rules (2.7 -> 2 for int).
    return backend.from_list(values, shape, dt), dt
