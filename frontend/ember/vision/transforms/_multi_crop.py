"""Transforms that return several crops of one image: ``FiveCrop`` and ``TenCrop`` (test-time
augmentation: classify every crop, then average)."""

from __future__ import annotations

from typing import Any

from ember import nn

from . import functional as F
from ._utils import setup_size

__all__ = ["FiveCrop", "TenCrop"]

_SIZE_MSG = "Please provide only two dimensions (h, w) for size."


class FiveCrop(nn.Module):
    """Crops the four corners and the centre: returns the tuple ``(tl, tr, bl, br, center)``.

    Returning a tuple, it changes what a dataset's samples are: stack the crops (e.g. with
    ``Lambda(lambda crops: ember.stack([ToTensor()(c) for c in crops]))``) and fold the crop
    dimension into the batch.

    Args:
        size (int or sequence): ``(h, w)`` of each crop, or an int for a square.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> crops = transforms.FiveCrop(2)(ember.ones(3, 4, 4))
        >>> len(crops), crops[0].shape
        (5, ember.Size([3, 2, 2]))
    """

    def __init__(self, size: Any) -> None:
        super().__init__()
        self.size = setup_size(size, error_msg=_SIZE_MSG)

    def forward(self, img: Any) -> tuple[Any, ...]:
        return F.five_crop(img, self.size)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(size={self.size})"


class TenCrop(nn.Module):
    """:class:`FiveCrop`'s five crops, then those of the mirror image (flipped left to right,
    or top to bottom if ``vertical_flip``): a tuple of ten.

    Args:
        size (int or sequence): ``(h, w)`` of each crop, or an int for a square.
        vertical_flip (bool): flip top to bottom instead of left to right. Default: False.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> len(transforms.TenCrop(2, vertical_flip=True)(ember.ones(1, 4, 4)))
        10
    """

    def __init__(self, size: Any, vertical_flip: bool = False) -> None:
        super().__init__()
        self.size = setup_size(size, error_msg=_SIZE_MSG)
        self.vertical_flip = vertical_flip

    def forward(self, img: Any) -> tuple[Any, ...]:
        return F.ten_crop(img, self.size, self.vertical_flip)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(size={self.size}, vertical_flip={self.vertical_flip})"
