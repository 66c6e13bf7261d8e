"""Geometric transforms: resizing, cropping, flipping, padding (rotations and affine maps
live in ``_geometry_affine``). Random draws use Ember's default generator, so
``ember.manual_seed`` makes them reproducible."""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Sequence
from typing import Any

import ember
from ember import nn

from . import functional as F
from ._utils import draw_below, interpolation_arg, setup_size, uniform
from .functional import InterpolationMode

__all__ = ["Resize", "CenterCrop", "Pad", "RandomCrop", "RandomResizedCrop",
           "RandomHorizontalFlip", "RandomVerticalFlip"]

_SIZE_MSG = "Please provide only two dimensions (h, w) for size."


class Resize(nn.Module):
    """Resizes the image to ``size``.

    Args:
        size (int or sequence): ``(h, w)``, or an int that the smaller edge is matched to
            (keeping the aspect ratio).
        interpolation (InterpolationMode): Default: ``InterpolationMode.BILINEAR``.
        max_size (int, optional): bound on the longer edge when ``size`` is an int.
        antialias (bool, optional): antialias tensors when downsampling (PIL images are
            always antialiased). Default: True.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.Resize((2, 3))(ember.ones(3, 8, 8)).shape
        ember.Size([3, 2, 3])
    """

    def __init__(self, size: Any, interpolation: Any = InterpolationMode.BILINEAR,
                 max_size: int | None = None, antialias: bool | None = True) -> None:
        super().__init__()
        if not isinstance(size, (int, Sequence, type(None))):
            raise TypeError(f"Size should be int or sequence. Got {type(size)}")
        if isinstance(size, Sequence) and len(size) not in (1, 2):
            raise ValueError("If size is a sequence, it should have 1 or 2 values")
        self.size = size
        self.max_size = max_size
        self.interpolation = interpolation_arg(interpolation)
        self.antialias = antialias

    def forward(self, img: Any) -> Any:
        return F.resize(img, self.size, self.interpolation, self.max_size, self.antialias)

    def __repr__(self) -> str:
        detail = (f"(size={self.size}, interpolation={self.interpolation.value}, "
                  f"max_size={self.max_size}, antialias={self.antialias})")
        return f"{self.__class__.__name__}{detail}"


class CenterCrop(nn.Module):
    """Crops the centre ``size`` box (zero-padding first where the image is smaller).

    Args:
        size (int or sequence): ``(h, w)``, or an int for a square.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.CenterCrop(2)(ember.ones(3, 5, 5)).shape
        ember.Size([3, 2, 2])
    """

    def __init__(self, size: Any) -> None:
        super().__init__()
        self.size = setup_size(size, error_msg=_SIZE_MSG)

    def forward(self, img: Any) -> Any:
        return F.center_crop(img, self.size)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(size={self.size})"


def _check_pad_args(padding: Any, fill: Any, padding_mode: str) -> None:
    if not isinstance(padding, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if not isinstance(fill, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate fill arg")
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    if isinstance(padding, Sequence) and len(padding) not in (1, 2, 4):
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a "
                         f"{len(padding)} element tuple")


class Pad(nn.Module):
    """Pads the borders.

    Args:
        padding (int or sequence): all sides, ``(left/right, top/bottom)`` or
            ``(left, top, right, bottom)``.
        fill (number or tuple): constant-mode fill (a tuple: per channel, PIL only).
        padding_mode (str): ``'constant'``, ``'edge'``, ``'reflect'`` or ``'symmetric'``.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.Pad(1)(ember.ones(3, 2, 2)).shape
        ember.Size([3, 4, 4])
    """

    def __init__(self, padding: Any, fill: Any = 0, padding_mode: str = "constant") -> None:
        super().__init__()
        _check_pad_args(padding, fill, padding_mode)
        self.padding = padding
        self.fill = fill
        self.padding_mode = padding_mode

    def forward(self, img: Any) -> Any:
        return F.pad(img, self.padding, self.fill, self.padding_mode)

    def __repr__(self) -> str:
        return (f"{self.__class__.__name__}(padding={self.padding}, fill={self.fill}, "
                f"padding_mode={self.padding_mode})")


class RandomCrop(nn.Module):
    """Crops a ``size`` box at a random location.

    Args:
        size (int or sequence): ``(h, w)`` or an int for a square.
        padding (int or sequence, optional): padding applied first (as :class:`Pad`).
        pad_if_needed (bool): pad an image smaller than ``size`` up to it.
        fill (number or tuple): constant-mode fill. Default: 0.
        padding_mode (str): ``'constant'``, ``'edge'``, ``'reflect'`` or ``'symmetric'``.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.RandomCrop(32, padding=4)(ember.ones(3, 32, 32)).shape
        ember.Size([3, 32, 32])
    """

    @staticmethod
    def get_params(img: Any, output_size: tuple[int, int]) -> tuple[int, int, int, int]:
        """``(top, left, height, width)`` of a uniformly placed ``output_size`` box."""
        _, h, w = F.get_dimensions(img)
        th, tw = output_size
        if h < th or w < tw:
            raise ValueError(f"Required crop size {(th, tw)} is larger than input image size "
                             f"{(h, w)}")
        if w == tw and h == th:
            return 0, 0, h, w
        i = int(ember.randint(0, h - th + 1, size=(1,)).item())
        j = int(ember.randint(0, w - tw + 1, size=(1,)).item())
        return i, j, th, tw

    def __init__(self, size: Any, padding: Any = None, pad_if_needed: bool = False,
                 fill: Any = 0, padding_mode: str = "constant") -> None:
        super().__init__()
        self.size = tuple(setup_size(size, error_msg=_SIZE_MSG))
        if padding is not None:
            _check_pad_args(padding, fill, padding_mode)
        self.padding = padding
        self.pad_if_needed = pad_if_needed
        self.fill = fill
        self.padding_mode = padding_mode

    def forward(self, img: Any) -> Any:
        if self.padding is not None:
            img = F.pad(img, self.padding, self.fill, self.padding_mode)
        _, height, width = F.get_dimensions(img)
        if self.pad_if_needed and width < self.size[1]:
            img = F.pad(img, [self.size[1] - width, 0], self.fill, self.padding_mode)
        if self.pad_if_needed and height < self.size[0]:
            img = F.pad(img, [0, self.size[0] - height], self.fill, self.padding_mode)
        i, j, h, w = self.get_params(img, self.size)
        return F.crop(img, i, j, h, w)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(size={self.size}, padding={self.padding})"


class RandomResizedCrop(nn.Module):
    """Crops a random box of random area and aspect ratio, then resizes it to ``size``
    (the "Inception" crop).

    Args:
        size (int or sequence): output ``(h, w)``, or an int for a square.
        scale (tuple): range of the box's area as a fraction of the image's.
            Default: ``(0.08, 1.0)``.
        ratio (tuple): range of the box's aspect ratio ``w / h`` (drawn log-uniformly).
            Default: ``(3/4, 4/3)``.
        interpolation (InterpolationMode): Default: ``InterpolationMode.BILINEAR``.
        antialias (bool, optional): Default: True.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.RandomResizedCrop(4)(ember.ones(3, 10, 12)).shape
        ember.Size([3, 4, 4])
    """

    def __init__(self, size: Any, scale: tuple[float, float] = (0.08, 1.0),
                 ratio: tuple[float, float] = (3.0 / 4.0, 4.0 / 3.0),
                 interpolation: Any = InterpolationMode.BILINEAR,
                 antialias: bool | None = True) -> None:
        super().__init__()
        self.size = setup_size(size, error_msg=_SIZE_MSG)
        if not isinstance(scale, Sequence):
            raise TypeError("Scale should be a sequence")
        if not isinstance(ratio, Sequence):
            raise TypeError("Ratio should be a sequence")
        if (scale[0] > scale[1]) or (ratio[0] > ratio[1]):
            warnings.warn("Scale and ratio should be of kind (min, max)", stacklevel=2)
        self.interpolation = interpolation_arg(interpolation)
        self.antialias = antialias
        self.scale = scale
        self.ratio = ratio

    @staticmethod
    def get_params(img: Any, scale: Sequence[float],
                   ratio: Sequence[float]) -> tuple[int, int, int, int]:
        """``(top, left, height, width)``: up to 10 tries at a box of random area and
        aspect ratio that fits, else the centre box of the clamped aspect ratio."""
        _, height, width = F.get_dimensions(img)
        area = height * width
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            target_area = area * uniform(scale[0], scale[1])
            aspect_ratio = math.exp(uniform(log_ratio[0], log_ratio[1]))
            w = int(round(math.sqrt(target_area * aspect_ratio)))
            h = int(round(math.sqrt(target_area / aspect_ratio)))
            if 0 < w <= width and 0 < h <= height:
                i = int(ember.randint(0, height - h + 1, size=(1,)).item())
                j = int(ember.randint(0, width - w + 1, size=(1,)).item())
                return i, j, h, w
        in_ratio = float(width) / float(height)  # fallback: central crop
        if in_ratio < min(ratio):
            w = width
            h = int(round(w / min(ratio)))
        elif in_ratio > max(ratio):
            h = height
            w = int(round(h * max(ratio)))
        else:
            w, h = width, height
        return (height - h) // 2, (width - w) // 2, h, w

    def forward(self, img: Any) -> Any:
        i, j, h, w = self.get_params(img, self.scale, self.ratio)
        return F.resized_crop(img, i, j, h, w, list(self.size), self.interpolation,
                              antialias=self.antialias)

    def __repr__(self) -> str:
        format_string = self.__class__.__name__ + f"(size={self.size}"
        format_string += f", scale={tuple(round(s, 4) for s in self.scale)}"
        format_string += f", ratio={tuple(round(r, 4) for r in self.ratio)}"
        format_string += f", interpolation={self.interpolation.value}"
        format_string += f", antialias={self.antialias})"
        return format_string


class RandomHorizontalFlip(nn.Module):
    """Mirrors the image left to right with probability ``p`` (default 0.5).

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.RandomHorizontalFlip(p=1.0)(ember.tensor([[[1, 2]]]))
        tensor([[[2, 1]]])
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.p = p

    def forward(self, img: Any) -> Any:
        if draw_below(self.p):
            return F.hflip(img)
        return img

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(p={self.p})"


class RandomVerticalFlip(nn.Module):
    """Mirrors the image top to bottom with probability ``p`` (default 0.5).

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.RandomVerticalFlip(p=1.0)(ember.tensor([[[1], [2]]])).flatten()
        tensor([2, 1])
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.p = p

    def forward(self, img: Any) -> Any:
        if draw_below(self.p):
            return F.vflip(img)
        return img

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(p={self.p})"


