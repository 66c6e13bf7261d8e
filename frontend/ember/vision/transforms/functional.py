"""Functional transforms, as ``torchvision.transforms.functional``.

Every function takes a PIL image or a ``(..., C, H, W)`` tensor (leading dimensions are
batch dimensions) and returns the same kind. Sizes are ``[h, w]``, paddings
``[left, top, right, bottom]``, points ``[x, y]``, angles in degrees counter-clockwise.
"""

from __future__ import annotations

import numbers
import warnings
from enum import Enum
from typing import Any

import ember
from ember import Tensor

from .._buffers import is_pil_image
from . import _functional_pil as F_pil
from . import _functional_tensor as F_t
from ._functional_affine import compute_affine_output_size, get_inverse_affine_matrix, warp_affine
from ._functional_convert import normalize, pil_to_tensor, to_pil_image, to_tensor

__all__ = [
    "InterpolationMode", "get_dimensions", "get_image_size", "get_image_num_channels",
    "to_tensor", "pil_to_tensor", "to_pil_image", "convert_image_dtype", "normalize", "resize",
    "crop", "center_crop", "resized_crop", "five_crop", "ten_crop", "hflip", "vflip", "pad",
    "rotate", "affine",
    "rgb_to_grayscale", "to_grayscale", "adjust_brightness", "adjust_contrast",
    "adjust_saturation", "adjust_hue", "erase",
]


class InterpolationMode(Enum):
    """Interpolation modes: NEAREST, NEAREST_EXACT, BILINEAR, BICUBIC (tensors and PIL);
    BOX, HAMMING, LANCZOS (PIL only)."""

    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


_PIL_MODES = {"nearest": 0, "nearest-exact": 0, "bilinear": 2, "bicubic": 3, "box": 4,
              "hamming": 5, "lanczos": 1}
_FROM_INT = {0: InterpolationMode.NEAREST, 2: InterpolationMode.BILINEAR,
             3: InterpolationMode.BICUBIC, 4: InterpolationMode.BOX,
             5: InterpolationMode.HAMMING, 1: InterpolationMode.LANCZOS}


def _interpolation(interpolation: Any) -> InterpolationMode:
    if isinstance(interpolation, int):
        return _FROM_INT[interpolation]
    if not isinstance(interpolation, InterpolationMode):
        raise TypeError("Argument interpolation should be a InterpolationMode or a corresponding "
                        "Pillow integer constant")
    return interpolation


def _check_image(img: Any) -> bool:
    """True for a tensor, False for a PIL image, TypeError otherwise."""
    if isinstance(img, Tensor):
        return True
    if is_pil_image(img):
        return False
    raise TypeError(f"img should be PIL Image or Tensor. Got {type(img)}")


def get_dimensions(img: Any) -> list[int]:
    """``[channels, height, width]``."""
    return F_t.get_dimensions(img) if _check_image(img) else F_pil.get_dimensions(img)


def get_image_size(img: Any) -> list[int]:
    """``[width, height]``."""
    _, h, w = get_dimensions(img)
    return [w, h]


def get_image_num_channels(img: Any) -> int:
    return get_dimensions(img)[0]


def convert_image_dtype(image: Tensor, dtype: Any = ember.float) -> Tensor:
    """Converts a tensor image to ``dtype``, rescaling (uint8 255 becomes float 1.0)."""
    return F_t.convert_image_dtype(image, dtype)


def _resized_size(image_size: tuple[int, int], size: list[int] | None,
                  max_size: int | None) -> list[int]:
    h, w = image_size
    if size is not None and len(size) == 2:
        return [size[0], size[1]]
    short, long = (w, h) if w <= h else (h, w)
    if size is None:  # only max_size: the longer edge becomes max_size
        if max_size is None:
            raise ValueError("max_size must be an integer when size is None")
        new_short, new_long = int(max_size * short / long), max_size
    else:
        requested = size[0]
        new_short, new_long = requested, int(requested * long / short)
        if max_size is not None:
            if max_size <= requested:
                raise ValueError(f"max_size = {max_size} must be strictly greater than the "
                                 f"requested size for the smaller edge size = {size}")
            if new_long > max_size:
                new_short, new_long = int(max_size * new_short / new_long), max_size
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    return [new_h, new_w]


def resize(img: Any, size: Any, interpolation: Any = InterpolationMode.BILINEAR,
           max_size: int | None = None, antialias: bool | None = True) -> Any:
    """Resizes to ``size``: an int matches the smaller edge (keeping the aspect ratio),
    ``[h, w]`` is exact. PIL images are always antialiased.

    Example:
        >>> import ember
        >>> from ember.vision.transforms.functional import resize
        >>> resize(ember.ones(3, 4, 8), 2).shape
        ember.Size([3, 2, 4])
    """
    interpolation = _interpolation(interpolation)
    if isinstance(size, (list, tuple)):
        if len(size) not in (1, 2):
            raise ValueError(f"Size must be an int or a 1 or 2 element tuple/list, not a "
                             f"{len(size)} element tuple/list")
        if max_size is not None and len(size) != 1:
            raise ValueError("max_size should only be passed if size specifies the length of "
                             "the smaller edge, i.e. size should be an int or a sequence of "
                             "length 1 in torchscript mode.")
    _, height, width = get_dimensions(img)
    if isinstance(size, int):
        size = [size]
    output_size = _resized_size((height, width), size, max_size)
    if [height, width] == output_size:
        return img
    if not isinstance(img, Tensor):
        if antialias is False:
            warnings.warn("Anti-alias option is always applied for PIL Image input. Argument "
                          "antialias is ignored.", stacklevel=2)
        return F_pil.resize(img, output_size, _PIL_MODES[interpolation.value])
    return F_t.resize(img, output_size, interpolation.value, antialias)


def crop(img: Any, top: int, left: int, height: int, width: int) -> Any:
    """The ``height x width`` box whose top-left corner is ``(top, left)``; zero outside."""
    if _check_image(img):
        return F_t.crop(img, top, left, height, width)
    return F_pil.crop(img, top, left, height, width)


def center_crop(img: Any, output_size: Any) -> Any:
    """The centre ``output_size`` box, zero-padded first where the image is smaller.

    Example:
        >>> import ember
        >>> from ember.vision.transforms.functional import center_crop
        >>> center_crop(ember.arange(16).reshape(1, 4, 4), 2)
        tensor([[[ 5,  6],
                 [ 9, 10]]])
    """
    if isinstance(output_size, numbers.Number):
        output_size = (int(output_size), int(output_size))
    elif isinstance(output_size, (tuple, list)) and len(output_size) == 1:
        output_size = (output_size[0], output_size[0])
    _, image_height, image_width = get_dimensions(img)
    crop_height, crop_width = output_size
    if crop_width > image_width or crop_height > image_height:
        padding_ltrb = [
            (crop_width - image_width) // 2 if crop_width > image_width else 0,
            (crop_height - image_height) // 2 if crop_height > image_height else 0,
            (crop_width - image_width + 1) // 2 if crop_width > image_width else 0,
            (crop_height - image_height + 1) // 2 if crop_height > image_height else 0,
        ]
        img = pad(img, padding_ltrb, fill=0)
        _, image_height, image_width = get_dimensions(img)
        if crop_width == image_width and crop_height == image_height:
            return img
    crop_top = int(round((image_height - crop_height) / 2.0))
    crop_left = int(round((image_width - crop_width) / 2.0))
    return crop(img, crop_top, crop_left, crop_height, crop_width)


def resized_crop(img: Any, top: int, left: int, height: int, width: int, size: list[int],
                 interpolation: Any = InterpolationMode.BILINEAR,
                 antialias: bool | None = True) -> Any:
    """:func:`crop` then :func:`resize` to ``size``."""
    img = crop(img, top, left, height, width)
    return resize(img, size, interpolation, antialias=antialias)


def hflip(img: Any) -> Any:
    """Mirrors left to right."""
    return F_t.hflip(img) if _check_image(img) else F_pil.hflip(img)


def vflip(img: Any) -> Any:
    """Mirrors top to bottom."""
    return F_t.vflip(img) if _check_image(img) else F_pil.vflip(img)


def _expand_padding(padding: Any) -> list[int]:
    if not isinstance(padding, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if isinstance(padding, numbers.Number):
        return [int(padding)] * 4
    if len(padding) not in (1, 2, 4):
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a "
                         f"{len(padding)} element tuple")
    if len(padding) == 1:
        return [int(padding[0])] * 4
    if len(padding) == 2:
        return [int(padding[0]), int(padding[1])] * 2
    return [int(p) for p in padding]


def pad(img: Any, padding: Any, fill: Any = 0, padding_mode: str = "constant") -> Any:
    """Pads the borders: ``padding`` is an int (all sides), ``[lr, tb]`` or
    ``[left, top, right, bottom]``; modes ``constant`` (``fill``), ``edge``, ``reflect``
    and ``symmetric``.

    Example:
        >>> import ember
        >>> from ember.vision.transforms.functional import pad
        >>> pad(ember.tensor([[[1, 2]]]), [1, 0], padding_mode="reflect")
        tensor([[[2, 1, 2, 1]]])
    """
    is_tensor = _check_image(img)
    if not isinstance(padding_mode, str) or padding_mode not in ("constant", "edge", "reflect",
                                                                  "symmetric"):
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    padding = _expand_padding(padding)
    if is_tensor:
        return F_t.pad(img, padding, fill, padding_mode)
    if not isinstance(fill, (numbers.Number, str, tuple, list)):
        raise TypeError("Got inappropriate fill arg")
    return F_pil.pad(img, padding, fill, padding_mode)


def rotate(img: Any, angle: float, interpolation: Any = InterpolationMode.NEAREST,
           expand: bool = False, center: list[int] | None = None, fill: Any = None) -> Any:
    """Rotates by ``angle`` degrees counter-clockwise about ``center`` (default: the image
    centre); ``expand=True`` enlarges the output to hold the whole rotated image."""
    interpolation = _interpolation(interpolation)
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if center is not None and not isinstance(center, (list, tuple)):
        raise TypeError("Argument center should be a sequence")
    if not _check_image(img):
        return F_pil.rotate(img, angle, _PIL_MODES[interpolation.value], expand, center, fill)
    center_f = [0.0, 0.0]
    if center is not None:
        _, height, width = get_dimensions(img)
        center_f = [1.0 * (c - s * 0.5) for c, s in zip(center, [width, height])]
    # rotate and affine measure the angle in opposite directions, hence -angle.
    matrix = get_inverse_affine_matrix(center_f, -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
    w, h = img.shape[-1], img.shape[-2]
    out_size = compute_affine_output_size(matrix, w, h) if expand else (w, h)
    return warp_affine(img, matrix, interpolation.value, fill, out_size)


def affine(img: Any, angle: float, translate: list[int], scale: float, shear: Any,
           interpolation: Any = InterpolationMode.NEAREST, fill: Any = None,
           center: list[int] | None = None) -> Any:
    """Rotates by ``angle``, translates by ``translate = [dx, dy]`` pixels, scales by
    ``scale`` and shears by ``shear`` degrees (a number: x only; ``[sx, sy]``), keeping
    the image centre fixed."""
    interpolation = _interpolation(interpolation)
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if not isinstance(translate, (list, tuple)):
        raise TypeError("Argument translate should be a sequence")
    if len(translate) != 2:
        raise ValueError("Argument translate should be a sequence of length 2")
    if scale <= 0.0:
        raise ValueError("Argument scale should be positive")
    if not isinstance(shear, (numbers.Number, list, tuple)):
        raise TypeError("Shear should be either a single value or a sequence of two values")
    if isinstance(shear, numbers.Number):
        shear = [float(shear), 0.0]
    elif len(shear) == 1:
        shear = [float(shear[0]), float(shear[0])]
    elif len(shear) != 2:
        raise ValueError(f"Shear should be a sequence containing two values. Got {shear}")
    shear = [float(s) for s in shear]
    if center is not None and not isinstance(center, (list, tuple)):
        raise TypeError("Argument center should be a sequence")
    _, height, width = get_dimensions(img)
    if not isinstance(img, Tensor):
        if center is None:
            center = [width * 0.5, height * 0.5]
        matrix = get_inverse_affine_matrix(center, angle, list(translate), scale, shear)
        return F_pil.affine(img, matrix, _PIL_MODES[interpolation.value], fill)
    center_f = [0.0, 0.0]
    if center is not None:
        center_f = [1.0 * (c - s * 0.5) for c, s in zip(center, [width, height])]
    translate_f = [1.0 * t for t in translate]
    matrix = get_inverse_affine_matrix(center_f, angle, translate_f, scale, shear)
    return warp_affine(img, matrix, interpolation.value, fill)


def rgb_to_grayscale(img: Any, num_output_channels: int = 1) -> Any:
    """Luma of an RGB image (tensors: ``0.2989 R + 0.587 G + 0.114 B``; PIL: Pillow's L
    conversion, ``0.299 R + 0.587 G + 0.114 B``), in 1 or 3 identical channels."""
    if _check_image(img):
        return F_t.rgb_to_grayscale(img, num_output_channels)
    return F_pil.to_grayscale(img, num_output_channels)


to_grayscale = rgb_to_grayscale


def adjust_brightness(img: Any, brightness_factor: float) -> Any:
    """Blends with black: 0 gives black, 1 the original, 2 twice as bright (clamped)."""
    if _check_image(img):
        return F_t.adjust_brightness(img, brightness_factor)
    return F_pil.adjust_brightness(img, brightness_factor)


def adjust_contrast(img: Any, contrast_factor: float) -> Any:
    """Blends with the mean grey level: 0 gives solid grey, 1 the original."""
    if _check_image(img):
        return F_t.adjust_contrast(img, contrast_factor)
    return F_pil.adjust_contrast(img, contrast_factor)


def adjust_saturation(img: Any, saturation_factor: float) -> Any:
    """Blends with the greyscale image: 0 gives grey, 1 the original."""
    if _check_image(img):
        return F_t.adjust_saturation(img, saturation_factor)
    return F_pil.adjust_saturation(img, saturation_factor)


def adjust_hue(img: Any, hue_factor: float) -> Any:
    """Rotates the hue by ``hue_factor`` turns, in ``[-0.5, 0.5]``."""
    if _check_image(img):
        return F_t.adjust_hue(img, hue_factor)
    return F_pil.adjust_hue(img, hue_factor)


def erase(img: Tensor, i: int, j: int, h: int, w: int, v: Tensor,
          inplace: bool = False) -> Tensor:
    """Writes ``v`` into ``img[..., i:i+h, j:j+w]`` (of a copy unless ``inplace``).

    Example:
        >>> import ember
        >>> from ember.vision.transforms.functional import erase
        >>> erase(ember.ones(1, 2, 2), 0, 0, 1, 1, ember.tensor(0.0))
        tensor([[[0., 1.],
                 [1., 1.]]])
    """
    if not isinstance(img, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(img)}")
    if not inplace:
        img = img.clone()
    img[..., i:i + h, j:j + w] = v
    return img


# The multi-crop functions use crop/center_crop/flips above (imported here, last).
from ._functional_multi_crop import five_crop, ten_crop  # noqa: E402
