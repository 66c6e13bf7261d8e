"""Colour transforms: ``ColorJitter``, ``Grayscale``, ``RandomGrayscale``."""

from __future__ import annotations

import numbers
from typing import Any

import ember
from ember import Tensor, nn

from . import functional as F
from ._utils import draw_below, uniform

__all__ = ["ColorJitter", "Grayscale", "RandomGrayscale"]

_Range = tuple[float, float] | None


class ColorJitter(nn.Module):
    """Randomly changes brightness, contrast, saturation and hue, in a random order.

    Args:
        brightness (float or tuple): factor drawn from ``[max(0, 1 - b), 1 + b]`` or the
            given ``[min, max]``.
        contrast (float or tuple): likewise.
        saturation (float or tuple): likewise.
        hue (float or tuple): shift drawn from ``[-h, h]`` (``0 <= h <= 0.5``) or the given
            ``[min, max]`` within ``[-0.5, 0.5]``.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.ColorJitter(brightness=0.5)
        ColorJitter(brightness=(0.5, 1.5), contrast=None, saturation=None, hue=None)
    """

    def __init__(self, brightness: Any = 0, contrast: Any = 0, saturation: Any = 0,
                 hue: Any = 0) -> None:
        super().__init__()
        self.brightness = self._check_input(brightness, "brightness")
        self.contrast = self._check_input(contrast, "contrast")
        self.saturation = self._check_input(saturation, "saturation")
        self.hue = self._check_input(hue, "hue", center=0, bound=(-0.5, 0.5),
                                     clip_first_on_zero=False)

    @staticmethod
    def _check_input(value: Any, name: str, center: float = 1,
                     bound: tuple[float, float] = (0, float("inf")),
                     clip_first_on_zero: bool = True) -> _Range:
        if isinstance(value, numbers.Number):
            if value < 0:
                raise ValueError(f"If {name} is a single number, it must be non negative.")
            value = [center - float(value), center + float(value)]
            if clip_first_on_zero:
                value[0] = max(value[0], 0.0)
        elif isinstance(value, (tuple, list)) and len(value) == 2:
            value = [float(value[0]), float(value[1])]
        else:
            raise TypeError(f"{name} should be a single number or a list/tuple with length 2.")
        if not bound[0] <= value[0] <= value[1] <= bound[1]:
            raise ValueError(f"{name} values should be between {bound}, but got {value}.")
        # 0 (or (1, 1), or (0, 0) for hue) means: leave this property alone.
        if value[0] == value[1] == center:
            return None
        return (value[0], value[1])

    @staticmethod
    def get_params(brightness: _Range, contrast: _Range, saturation: _Range,
                   hue: _Range) -> tuple[Tensor, float | None, float | None, float | None,
                                         float | None]:
        """A random order of the four adjustments and a factor for each (None: skip)."""
        fn_idx = ember.randperm(4)
        b = None if brightness is None else uniform(brightness[0], brightness[1])
        c = None if contrast is None else uniform(contrast[0], contrast[1])
        s = None if saturation is None else uniform(saturation[0], saturation[1])
        h = None if hue is None else uniform(hue[0], hue[1])
        return fn_idx, b, c, s, h

    def forward(self, img: Any) -> Any:
        fn_idx, b, c, s, h = self.get_params(self.brightness, self.contrast, self.saturation,
                                             self.hue)
        for fn_id in fn_idx.tolist():
            if fn_id == 0 and b is not None:
                img = F.adjust_brightness(img, b)
            elif fn_id == 1 and c is not None:
                img = F.adjust_contrast(img, c)
            elif fn_id == 2 and s is not None:
                img = F.adjust_saturation(img, s)
            elif fn_id == 3 and h is not None:
                img = F.adjust_hue(img, h)
        return img

    def __repr__(self) -> str:
        return (f"{self.__class__.__name__}(brightness={self.brightness}, "
                f"contrast={self.contrast}, saturation={self.saturation}, hue={self.hue})")


class Grayscale(nn.Module):
    """Converts an RGB image to greyscale with ``num_output_channels`` (1 or 3) channels.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.Grayscale()(ember.tensor([[[1.0]], [[1.0]], [[1.0]]])).shape
        ember.Size([1, 1, 1])
    """

    def __init__(self, num_output_channels: int = 1) -> None:
        super().__init__()
        self.num_output_channels = num_output_channels

    def forward(self, img: Any) -> Any:
        return F.rgb_to_grayscale(img, num_output_channels=self.num_output_channels)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(num_output_channels={self.num_output_channels})"


class RandomGrayscale(nn.Module):
    """Converts to greyscale (keeping the number of channels) with probability ``p``
    (default 0.1).

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.RandomGrayscale(p=1.0)(ember.rand(3, 2, 2)).shape
        ember.Size([3, 2, 2])
    """

    def __init__(self, p: float = 0.1) -> None:
        super().__init__()
        self.p = p

    def forward(self, img: Any) -> Any:
        num_output_channels = F.get_dimensions(img)[0]
        if draw_below(self.p):
            return F.rgb_to_grayscale(img, num_output_channels=num_output_channels)
        return img

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(p={self.p})"
