"""``five_crop`` and ``ten_crop``: the crops behind ``FiveCrop``/``TenCrop``, exposed by
``functional`` (which imports this module after defining what it uses)."""

from __future__ import annotations

import numbers
from typing import Any

from .functional import center_crop, crop, get_dimensions, hflip, vflip

__all__ = ["five_crop", "ten_crop"]


def _crop_size(size: Any) -> tuple[int, int]:
    if isinstance(size, numbers.Number):
        size = (int(size), int(size))
    elif isinstance(size, (tuple, list)) and len(size) == 1:
        size = (size[0], size[0])
    if len(size) != 2:
        raise ValueError("Please provide only two dimensions (h, w) for size.")
    return size


def five_crop(img: Any, size: Any) -> tuple[Any, Any, Any, Any, Any]:
    """The four corner crops and the centre crop, ``(tl, tr, bl, br, center)``, each of
    ``size`` (``(h, w)`` or an int for a square).

    Example:
        >>> import ember
        >>> from ember.vision.transforms.functional import five_crop
        >>> [c.flatten().tolist() for c in five_crop(ember.arange(9).reshape(1, 3, 3), 1)]
        [[0], [2], [6], [8], [4]]
    """
    size = _crop_size(size)
    _, image_height, image_width = get_dimensions(img)
    crop_height, crop_width = size
    if crop_width > image_width or crop_height > image_height:
        raise ValueError(f"Requested crop size {size} is bigger than input size "
                         f"{(image_height, image_width)}")
    bottom, right = image_height - crop_height, image_width - crop_width
    return (crop(img, 0, 0, crop_height, crop_width), crop(img, 0, right, crop_height, crop_width),
            crop(img, bottom, 0, crop_height, crop_width),
            crop(img, bottom, right, crop_height, crop_width),
            center_crop(img, [crop_height, crop_width]))


def ten_crop(img: Any, size: Any, vertical_flip: bool = False) -> tuple[Any, ...]:
    """:func:`five_crop` of the image, then of its mirror image (flipped left to right, or
    top to bottom if ``vertical_flip``): ten crops."""
    size = _crop_size(size)
    first_five = five_crop(img, size)
    return first_five + five_crop(vflip(img) if vertical_flip else hflip(img), size)
