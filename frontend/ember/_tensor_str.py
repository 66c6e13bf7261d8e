"""Glue between Tensor and the printer in ``_printing``: summarising large tensors."""

from __future__ import annotations

from typing import Any

from . import _printing
from ._defaults import get_default_dtype

__all__ = ["tensor_repr"]


def _edges(t: Any) -> tuple[Any, bool]:
    be = t._backend
    data = t._data
    shape = be.shape(data)
    if not _printing.needs_summary(shape):
        return be.to_list(data), False
    edge = _printing.edgeitems()
    ndim = len(shape)
    for ax, n in enumerate(shape):
        if n > 2 * edge:
            tail = tuple(slice(n - edge, n, 1) if i == ax else slice(0, be.shape(data)[i], 1)
                         for i in range(ndim))
            head = tuple(slice(0, edge, 1) if i == ax else slice(0, be.shape(data)[i], 1)
                         for i in range(ndim))
            data = be.cat([be.getitem(data, head), be.getitem(data, tail)], ax)
    return be.to_list(data), True


def tensor_repr(t: Any) -> str:
    """``repr(t)`` exactly as PyTorch prints it (with ``ember.`` for dtypes)."""
    values, summarized = _edges(t)
    dev = t._backend.device
    grad_fn = t._grad_fn
    return _printing.format_tensor(
        values, tuple(t._backend.shape(t._data)), t._dtype,
        device_str=None if dev.type == "cpu" else str(dev),
        requires_grad=t._requires_grad and grad_fn is None,
        grad_fn_name=None if grad_fn is None else grad_fn.name().rpartition('::')[2],
        default_float_dtype_name=get_default_dtype().name,
        summarized=summarized,
    )
