"""The machinery the creation functions share (their public faces are in ``_creation``).

:func:`finish` applies the ``requires_grad=`` and ``out=`` arguments; ``_resolve`` checks
the dtype and finds the backend serving the device; ``_filled`` and ``_like`` build constant
tensors of a size or of another tensor's shape; ``_number`` reads a range bound.
"""

from __future__ import annotations

from typing import Any

from .._defaults import as_device, backend_for, get_default_dtype
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._common import as_shape

__all__ = ["finish"]


def finish(t: Tensor, requires_grad: bool = False, out: Tensor | None = None) -> Tensor:
    """Apply the ``requires_grad=`` and ``out=`` arguments shared by creation functions."""
    if requires_grad:
        if not (t._dtype.is_floating_point or t._dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        t._requires_grad = True
    if out is not None:
        from ._inplace import write_out

        return write_out(out, t)
    return t


def _resolve(dtype: D.dtype | None, device: Any):
    if dtype is not None and not isinstance(dtype, D.dtype):
        raise TypeError(f"dtype must be an ember.dtype, got {dtype!r}")
    return backend_for(as_device(device) if device is not None else None)


def _filled(op: str, size: tuple, value: Any, dtype, device, requires_grad, out) -> Tensor:
    shape = as_shape(size, op)
    if dtype is None:
        if out is not None:
            dtype = out.dtype
        elif isinstance(value, bool):
            dtype = D.bool_
        elif isinstance(value, int):
            dtype = D.int64 if op == "full" else get_default_dtype()
        elif isinstance(value, complex):
            dtype = D.complex64
        else:
            dtype = get_default_dtype()
    backend = _resolve(dtype, device if device is not None or out is None else out.device)
    return finish(_wrap(backend.full(shape, value, dtype), dtype, backend), requires_grad, out)


def _like(op: str, input: Tensor, value: Any, dtype, device, requires_grad) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(input).__name__}")
    dtype = dtype or input.dtype
    backend = _resolve(dtype, device if device is not None else input.device)
    arr = backend.full(tuple(input.shape), value, dtype)
    return finish(_wrap(arr, dtype, backend), requires_grad)


def _number(x: Any, name: str) -> int | float:
    if isinstance(x, Tensor):
        x = x.item()
    if hasattr(x, "item") and type(x).__module__ == "numpy":
        x = x.item()
    if not isinstance(x, int | float) or isinstance(x, complex):
        raise TypeError(f"arange(): argument '{name}' must be Number, not {type(x).__name__}")
    return x
