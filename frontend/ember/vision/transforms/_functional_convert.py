"""Conversions between PIL images, NumPy arrays and tensor images, and ``normalize``."""

from __future__ import annotations

import functools
from typing import Any

import ember
from ember import Tensor

from .._buffers import is_pil_image
from . import _functional_pil as F_pil

__all__ = ["to_tensor", "pil_to_tensor", "to_pil_image", "normalize"]

_PIL_MODE_OF = {ember.uint8: "L", ember.int16: "I;16", ember.int32: "I", ember.float32: "F"}


def _is_numpy(pic: Any) -> bool:
    return type(pic).__module__ == "numpy" and hasattr(pic, "ndim")


def to_tensor(pic: Any) -> Tensor:
    """Converts a PIL image or an ``(H, W, C)`` NumPy array to a ``(C, H, W)`` tensor.

    ``uint8`` data (and PIL modes L, LA, P, RGB, YCbCr, RGBA, CMYK, 1) is scaled to
    ``[0, 1]`` in the default float dtype; other dtypes (PIL modes I, I;16, F) keep their
    values and dtype.

    Example:
        >>> import numpy as np
        >>> from ember.vision.transforms.functional import to_tensor
        >>> to_tensor(np.full((1, 2, 3), 255, dtype=np.uint8)).shape
        ember.Size([3, 1, 2])
    """
    if not (is_pil_image(pic) or _is_numpy(pic)):
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    if _is_numpy(pic):
        if pic.ndim not in {2, 3}:
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        if pic.ndim == 2:
            pic = pic[:, :, None]
        img = ember.tensor(pic.transpose((2, 0, 1)).copy())
    else:
        img = F_pil.to_hwc_tensor(pic, chw=True)
    if img.dtype is ember.uint8:
        return img.div(255)  # true division of integers gives the default float dtype
    return img


def pil_to_tensor(pic: Any) -> Tensor:
    """Converts a PIL image to a ``(C, H, W)`` tensor of its own dtype, without scaling.

    Example:
        >>> from PIL import Image
        >>> from ember.vision.transforms.functional import pil_to_tensor
        >>> pil_to_tensor(Image.new("RGB", (4, 2), (9, 8, 7)))[:, 0, 0]
        tensor([9, 8, 7], dtype=ember.uint8)
    """
    if not is_pil_image(pic):
        raise TypeError(f"pic should be PIL Image. Got {type(pic)}")
    img = F_pil.to_hwc_tensor(pic).permute((2, 0, 1))
    return img.bool() if pic.mode == "1" else img


def to_pil_image(pic: Any, mode: str | None = None) -> Any:
    """Converts a ``(C, H, W)`` tensor or an ``(H, W, C)`` NumPy array to a PIL image.

    Float data (unless ``mode='F'``) is multiplied by 255 and truncated to bytes. Without
    ``mode`` it is inferred: 1 channel L (or I;16, I, F by dtype), 2 LA, 3 RGB, 4 RGBA.

    Example:
        >>> import ember
        >>> from ember.vision.transforms.functional import to_pil_image
        >>> to_pil_image(ember.zeros(3, 2, 5)).size
        (5, 2)
    """
    if isinstance(pic, Tensor):
        if pic.ndim not in {2, 3}:
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        if pic.ndim == 2:
            pic = pic.unsqueeze(0)
        if pic.shape[-3] > 4:
            raise ValueError(f"pic should not have > 4 channels. Got {pic.shape[-3]} channels.")
        hwc = pic.detach().permute(1, 2, 0)
    elif _is_numpy(pic):
        if pic.ndim not in {2, 3}:
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        if pic.ndim == 2:
            pic = pic[:, :, None]
        if pic.shape[-1] > 4:
            raise ValueError(f"pic should not have > 4 channels. Got {pic.shape[-1]} channels.")
        hwc = ember.tensor(pic.copy())
    else:
        raise TypeError(f"pic should be Tensor or ndarray. Got {type(pic)}.")
    if hwc.is_floating_point() and mode != "F":
        hwc = hwc.mul(255).to(ember.uint8)
    channels = hwc.shape[2]
    if channels == 1:
        expected_mode = _PIL_MODE_OF.get(hwc.dtype)
        if mode is not None and mode != expected_mode:
            raise ValueError(f"Incorrect mode ({mode}) supplied for input type {hwc.dtype}. "
                             f"Should be {expected_mode}")
        mode = expected_mode
    else:
        permitted = {2: ["LA"], 3: ["RGB", "YCbCr", "HSV"], 4: ["RGBA", "CMYK", "RGBX"]}
        if mode is not None and mode not in permitted[channels]:
            raise ValueError(f"Only modes {permitted[channels]} are supported for "
                             f"{channels}D inputs")
        if mode is None and hwc.dtype is ember.uint8:
            mode = permitted[channels][0]
    if mode is None:
        raise TypeError(f"Input type {hwc.dtype} is not supported")
    return F_pil.from_hwc_tensor(hwc.contiguous(), mode)


def normalize(tensor: Tensor, mean: Any, std: Any, inplace: bool = False) -> Tensor:
    """``(tensor - mean) / std`` per channel of a float ``(..., C, H, W)`` tensor.

    Example:
        >>> import ember
        >>> from ember.vision.transforms.functional import normalize
        >>> normalize(ember.ones(2, 1, 1), [0.5, 0.0], [0.5, 2.0]).flatten()
        tensor([1.0000, 0.5000])
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
    if not tensor.is_floating_point():
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError(f"Expected tensor to be a tensor image of size (..., C, H, W). Got "
                         f"tensor.size() = {tensor.size()}")
    mean_t, _ = _per_channel(mean, tensor.dtype, tensor.device)
    std_t, has_zero = _per_channel(std, tensor.dtype, tensor.device)
    if has_zero:
        raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, leading to "
                         f"division by zero.")
    out = tensor.sub_(mean_t) if inplace else tensor.sub(mean_t)
    return out.div_(std_t)


def _per_channel(values: Any, dtype: Any, device: Any) -> tuple[Tensor, bool]:
    """``values`` as a tensor shaped to broadcast over ``(C, H, W)`` (a 1-D sequence becomes
    ``(C, 1, 1)``), and whether any element is zero. Sequences of numbers are cached: a
    pipeline normalizes every sample with the same few values."""
    if isinstance(values, (list, tuple)) and all(isinstance(v, (int, float)) for v in values):
        return _cached_per_channel(tuple(float(v) for v in values), dtype, device)
    t = ember.as_tensor(values, dtype=dtype, device=device)
    if t.ndim == 1:
        t = t.view(-1, 1, 1)
    return t, 0 in t.flatten().tolist()


@functools.lru_cache(maxsize=64)
def _cached_per_channel(values: tuple[float, ...], dtype: Any,
                        device: Any) -> tuple[Tensor, bool]:
    t = ember.tensor([[[v]] for v in values], dtype=dtype, device=device)
    return t, 0 in t.flatten().tolist()
