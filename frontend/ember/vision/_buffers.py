"""Raw bytes to tensors and back, and the lazy Pillow import.

# NOTE [ Host buffers ]
Image files and PIL images hand over raw bytes. Ember has no public ``frombuffer`` yet, and
``ember.tensor(list)`` costs microseconds per element, so these two helpers go through NumPy
(a dependency of Ember's CPU backend) when it is importable, imported lazily here and
nowhere else in ``ember.vision``; without NumPy they fall back to :mod:`array`. Either way
the result is an ordinary tensor on the default device.
"""

from __future__ import annotations

import array
import sys
from typing import Any

import ember
from ember import Tensor

__all__ = ["tensor_from_bytes", "tensor_to_bytes", "pil_image_module", "is_pil_image"]

# ember dtype -> (NumPy type string without byte order, array module typecode)
_CODES = {
    ember.uint8: ("u1", "B"),
    ember.int8: ("i1", "b"),
    ember.int16: ("i2", "h"),
    ember.int32: ("i4", "i"),
    ember.int64: ("i8", "q"),
    ember.float32: ("f4", "f"),
    ember.float64: ("f8", "d"),
}


def _codes(dtype: Any) -> tuple[str, str]:
    try:
        return _CODES[dtype]
    except KeyError:
        raise TypeError(f"no raw-buffer conversion for dtype {dtype}") from None


def tensor_from_bytes(buf: bytes | bytearray | memoryview, dtype: Any,
                      shape: tuple[int, ...], byteorder: str = "=",
                      dims: tuple[int, ...] | None = None) -> Tensor:
    """A new contiguous tensor holding the values packed in ``buf`` as an array of
    ``shape``, with its dimensions reordered by ``dims`` (as ``permute``) if given.

    ``byteorder`` is ``'='`` (native), ``'<'`` or ``'>'``; ``buf`` must hold exactly the
    number of bytes the shape needs.
    """
    np_code, typecode = _codes(dtype)
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - NumPy ships with Ember's CPU backend
        np = None
    if np is not None:
        arr = np.frombuffer(buf, dtype=np.dtype(byteorder + np_code)).reshape(shape)
        if not arr.dtype.isnative:
            arr = arr.astype(arr.dtype.newbyteorder("="))
        if dims is not None:
            arr = np.ascontiguousarray(arr.transpose(dims))
        return ember.tensor(arr)
    values = array.array(typecode, bytes(buf))  # pragma: no cover
    if byteorder != "=" and (byteorder == "<") != (sys.byteorder == "little"):  # pragma: no cover
        values.byteswap()
    out = ember.tensor(values.tolist(), dtype=dtype).reshape(shape)  # pragma: no cover
    return out.permute(dims).contiguous() if dims is not None else out  # pragma: no cover


def tensor_to_bytes(t: Tensor) -> bytes:
    """The values of ``t`` in row-major order, packed in native byte order."""
    _, typecode = _codes(t.dtype)
    if t.requires_grad:
        t = t.detach()
    if t.device.type != "cpu":
        t = t.cpu()
    try:
        return t.numpy().tobytes()  # row-major whatever the strides
    except (RuntimeError, TypeError, ImportError):  # pragma: no cover - backends without NumPy
        return array.array(typecode, t.flatten().tolist()).tobytes()


def pil_image_module() -> Any:
    """``PIL.Image``, or an ImportError saying how to install Pillow."""
    try:
        from PIL import Image
    except ImportError as err:
        raise ImportError("ember.vision needs Pillow to read and make PIL images: "
                          "pip install pillow (or the 'examples' extra: "
                          "pip install ember[examples])") from err
    return Image


def is_pil_image(img: Any) -> bool:
    """Whether ``img`` is a PIL image (without importing Pillow when nobody has)."""
    module = sys.modules.get("PIL.Image")
    return module is not None and isinstance(img, module.Image)
