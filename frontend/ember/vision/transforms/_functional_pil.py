"""The PIL-image side of ``functional``: each function takes and returns a PIL image.

Geometry and colour follow ``torchvision.transforms._functional_pil``; the non-constant
padding modes and the PIL to tensor conversion go through Ember tensors (NOTE [ Host
buffers ] in ``ember.vision._buffers``) instead of NumPy arrays.
"""

from __future__ import annotations

from typing import Any

import ember
from ember import Tensor

from .._buffers import is_pil_image, pil_image_module, tensor_from_bytes, tensor_to_bytes
from ._functional_tensor import edge_index

__all__ = ["get_dimensions", "to_hwc_tensor", "from_hwc_tensor", "parse_fill", "hflip", "vflip",
           "crop", "pad", "resize", "rotate", "affine", "to_grayscale", "adjust_brightness",
           "adjust_contrast", "adjust_saturation", "adjust_hue"]

# PIL modes whose pixels are not bytes, and the dtype each one's raw data has.
_MODE_DTYPE = {"I": ember.int32, "I;16": ember.int16, "F": ember.float32}


def _check(img: Any) -> None:
    if not is_pil_image(img):
        raise TypeError(f"img should be PIL Image. Got {type(img)}")


def get_dimensions(img: Any) -> list[int]:
    """``[channels, height, width]`` of a PIL image."""
    _check(img)
    width, height = img.size
    return [len(img.getbands()), height, width]


def to_hwc_tensor(img: Any, chw: bool = False) -> Tensor:
    """The pixels of ``img`` as an ``(H, W, C)`` tensor, or a contiguous ``(C, H, W)`` one
    with ``chw=True`` (mode ``'1'`` as 0/255 bytes)."""
    _check(img)
    if img.mode == "1":
        img = img.convert("L")
    dtype = _MODE_DTYPE.get(img.mode, ember.uint8)
    width, height = img.size
    return tensor_from_bytes(img.tobytes(), dtype, (height, width, len(img.getbands())),
                             dims=(2, 0, 1) if chw else None)


def from_hwc_tensor(hwc: Tensor, mode: str) -> Any:
    """A PIL image of ``mode`` from an ``(H, W, C)`` tensor of that mode's dtype."""
    Image = pil_image_module()
    height, width = hwc.shape[0], hwc.shape[1]
    if mode == "F":
        return Image.frombytes("F", (width, height), tensor_to_bytes(hwc), "raw", "F;32NF")
    if mode == "I":
        return Image.frombytes("I", (width, height), tensor_to_bytes(hwc), "raw", "I;32N")
    if mode == "I;16":
        return Image.frombytes("I;16", (width, height), tensor_to_bytes(hwc), "raw", "I;16N")
    return Image.frombytes(mode, (width, height), tensor_to_bytes(hwc))


def parse_fill(fill: Any, img: Any, name: str = "fillcolor") -> dict[str, Any]:
    """The ``fill`` argument as Pillow wants it: one value per band, ints unless mode F."""
    num_channels = get_dimensions(img)[0]
    if fill is None:
        fill = 0
    if isinstance(fill, (int, float)) and num_channels > 1:
        fill = tuple([fill] * num_channels)
    if isinstance(fill, (list, tuple)):
        if len(fill) == 1:
            fill = tuple(fill) * num_channels
        elif len(fill) != num_channels:
            raise ValueError("The number of elements in 'fill' does not match the number of "
                             f"channels of the image ({len(fill)} != {num_channels})")
        fill = tuple(fill)
    if img.mode != "F":
        fill = tuple(int(x) for x in fill) if isinstance(fill, tuple) else int(fill)
    return {name: fill}


def hflip(img: Any) -> Any:
    _check(img)
    return img.transpose(pil_image_module().Transpose.FLIP_LEFT_RIGHT)


def vflip(img: Any) -> Any:
    _check(img)
    return img.transpose(pil_image_module().Transpose.FLIP_TOP_BOTTOM)


def crop(img: Any, top: int, left: int, height: int, width: int) -> Any:
    _check(img)
    return img.crop((left, top, left + width, top + height))


def pad(img: Any, padding: list[int], fill: Any = 0, padding_mode: str = "constant") -> Any:
    """Pads by ``padding = [left, top, right, bottom]`` (already expanded)."""
    _check(img)
    if padding_mode == "constant":
        from PIL import ImageOps

        opts = parse_fill(fill, img, name="fill")
        if img.mode == "P":
            palette = img.getpalette()
            out = ImageOps.expand(img, border=tuple(padding), **opts)
            out.putpalette(palette)
            return out
        return ImageOps.expand(img, border=tuple(padding), **opts)
    left, top, right, bottom = padding
    crop_l, crop_t, crop_r, crop_b = (max(-p, 0) for p in padding)
    if crop_l or crop_t or crop_r or crop_b:
        img = img.crop((crop_l, crop_t, img.width - crop_r, img.height - crop_b))
    left, top, right, bottom = (max(p, 0) for p in padding)
    palette = img.getpalette() if img.mode == "P" else None
    hwc = to_hwc_tensor(img)
    rows = ember.tensor(edge_index(hwc.shape[0], top, bottom, padding_mode), device=hwc.device)
    cols = ember.tensor(edge_index(hwc.shape[1], left, right, padding_mode), device=hwc.device)
    out = from_hwc_tensor(hwc[rows][:, cols], img.mode)
    if palette is not None:
        out.putpalette(palette)
    return out


def resize(img: Any, size: list[int], interpolation: int) -> Any:
    """Resizes to ``size = [h, w]`` with Pillow's resampling (always antialiased)."""
    _check(img)
    return img.resize((size[1], size[0]), interpolation)


def rotate(img: Any, angle: float, interpolation: int = 0, expand: bool = False,
           center: Any = None, fill: Any = None) -> Any:
    _check(img)
    opts = parse_fill(fill, img)
    return img.rotate(angle, interpolation, expand, center, **opts)


def affine(img: Any, matrix: list[float], interpolation: int = 0, fill: Any = None) -> Any:
    """Applies the inverse affine ``matrix`` (output to input coordinates)."""
    _check(img)
    opts = parse_fill(fill, img)
    return img.transform(img.size, pil_image_module().Transform.AFFINE, matrix, interpolation,
                         **opts)


def to_grayscale(img: Any, num_output_channels: int) -> Any:
    _check(img)
    if num_output_channels == 1:
        return img.convert("L")
    if num_output_channels == 3:
        gray = img.convert("L")
        return pil_image_module().merge("RGB", (gray, gray, gray))
    raise ValueError("num_output_channels should be either 1 or 3")


def _enhance(name: str, img: Any, factor: float) -> Any:
    from PIL import ImageEnhance

    _check(img)
    return getattr(ImageEnhance, name)(img).enhance(factor)


def adjust_brightness(img: Any, brightness_factor: float) -> Any:
    return _enhance("Brightness", img, brightness_factor)


def adjust_contrast(img: Any, contrast_factor: float) -> Any:
    return _enhance("Contrast", img, contrast_factor)


def adjust_saturation(img: Any, saturation_factor: float) -> Any:
    return _enhance("Color", img, saturation_factor)


def adjust_hue(img: Any, hue_factor: float) -> Any:
    """Shifts the hue channel by ``hue_factor * 255`` in HSV (wrapping around)."""
    _check(img)
    if not (-0.5 <= hue_factor <= 0.5):
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    input_mode = img.mode
    if input_mode in {"L", "1", "I", "F"}:
        return img
    h, s, v = img.convert("HSV").split()
    shift = int(hue_factor * 255) % 256  # NumPy's uint8 cast: truncate, then wrap
    h = h.point(lambda x: (x + shift) % 256)
    return pil_image_module().merge("HSV", (h, s, v)).convert(input_mode)
