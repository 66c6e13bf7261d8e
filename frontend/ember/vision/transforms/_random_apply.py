"""Randomly applied transforms: ``RandomApply``, ``RandomChoice``, ``RandomOrder``, and
``RandomErasing``.

torchvision draws ``RandomChoice`` and ``RandomOrder`` from Python's :mod:`random`; here every
draw comes from Ember's default generator, so one ``ember.manual_seed`` fixes a whole
pipeline.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import ember
from ember import Tensor, nn

from . import functional as F
from ._utils import draw_below, uniform

__all__ = ["RandomApply", "RandomChoice", "RandomOrder", "RandomErasing"]


class RandomApply(nn.Module):
    """Applies the list of ``transforms`` with probability ``p`` (default 0.5).

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> t = transforms.RandomApply([transforms.Lambda(lambda x: x + 1)], p=1.0)
        >>> t(ember.zeros(1))
        tensor([1.])
    """

    def __init__(self, transforms: Sequence[Callable[[Any], Any]], p: float = 0.5) -> None:
        super().__init__()
        self.transforms = transforms
        self.p = p

    def forward(self, img: Any) -> Any:
        if self.p < float(ember.rand(1).item()):
            return img
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self) -> str:
        format_string = self.__class__.__name__ + "("
        format_string += f"\n    p={self.p}"
        for t in self.transforms:
            format_string += "\n"
            format_string += f"    {t}"
        format_string += "\n)"
        return format_string


class _RandomTransforms:
    def __init__(self, transforms: Sequence[Callable[[Any], Any]]) -> None:
        if not isinstance(transforms, Sequence):
            raise TypeError("Argument transforms should be a sequence")
        self.transforms = transforms

    def __repr__(self) -> str:
        format_string = self.__class__.__name__ + "("
        for t in self.transforms:
            format_string += "\n"
            format_string += f"    {t}"
        format_string += "\n)"
        return format_string


class RandomChoice(_RandomTransforms):
    """Applies one transform picked at random from ``transforms`` (weighted by ``p``).

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> t = transforms.RandomChoice([transforms.Lambda(lambda x: x + 1)])
        >>> t(ember.zeros(1))
        tensor([1.])
    """

    def __init__(self, transforms: Sequence[Callable[[Any], Any]],
                 p: Sequence[float] | None = None) -> None:
        super().__init__(transforms)
        if p is not None and not isinstance(p, Sequence):
            raise TypeError("Argument p should be a sequence")
        if p is not None and len(p) != len(transforms):
            raise ValueError(f"The number of weights ({len(p)}) does not match the number of "
                             f"transforms ({len(transforms)})")
        self.p = p

    def __call__(self, *args: Any) -> Any:
        if self.p is None:
            k = int(ember.randint(0, len(self.transforms), size=(1,)).item())
        else:
            weights = ember.tensor([float(w) for w in self.p], dtype=ember.float64)
            k = int(ember.multinomial(weights, 1).item())
        return self.transforms[k](*args)

    def __repr__(self) -> str:
        return f"{super().__repr__()}(p={self.p})"


class RandomOrder(_RandomTransforms):
    """Applies ``transforms`` in a random order.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> t = transforms.RandomOrder([transforms.Lambda(lambda x: x + 1)] * 2)
        >>> t(ember.zeros(1))
        tensor([2.])
    """

    def __call__(self, img: Any) -> Any:
        for i in ember.randperm(len(self.transforms)).tolist():
            img = self.transforms[i](img)
        return img


class RandomErasing(nn.Module):
    """Erases a random rectangle of a tensor image with probability ``p``.

    Args:
        p (float): probability of erasing. Default: 0.5.
        scale (tuple): range of the erased area as a fraction of the image's.
        ratio (tuple): range of the erased box's aspect ratio ``h / w``.
        value (number, sequence or ``'random'``): fill value, per-channel values, or
            standard normal noise.
        inplace (bool): erase in the input tensor. Default: False.

    Shape:
        - Input: ``(..., C, H, W)``.
        - Output: same shape.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.RandomErasing(p=1.0)(ember.ones(3, 8, 8)).shape
        ember.Size([3, 8, 8])
    """

    def __init__(self, p: float = 0.5, scale: tuple[float, float] = (0.02, 0.33),
                 ratio: tuple[float, float] = (0.3, 3.3), value: Any = 0,
                 inplace: bool = False) -> None:
        super().__init__()
        if not isinstance(value, (numbers.Number, str, tuple, list)):
            raise TypeError("Argument value should be either a number or str or a sequence")
        if isinstance(value, str) and value != "random":
            raise ValueError("If value is str, it should be 'random'")
        if not isinstance(scale, Sequence):
            raise TypeError("Scale should be a sequence")
        if not isinstance(ratio, Sequence):
            raise TypeError("Ratio should be a sequence")
        if (scale[0] > scale[1]) or (ratio[0] > ratio[1]):
            warnings.warn("Scale and ratio should be of kind (min, max)", stacklevel=2)
        if scale[0] < 0 or scale[1] > 1:
            raise ValueError("Scale should be between 0 and 1")
        if p < 0 or p > 1:
            raise ValueError("Random erasing probability should be between 0 and 1")
        self.p = p
        self.scale = scale
        self.ratio = ratio
        self.value = value
        self.inplace = inplace

    @staticmethod
    def get_params(img: Tensor, scale: Sequence[float], ratio: Sequence[float],
                   value: list[float] | None = None) -> tuple[int, int, int, int, Tensor]:
        """``(i, j, h, w, v)``: up to 10 tries at a box that fits; else the whole image and
        the image itself (erasing nothing)."""
        img_c, img_h, img_w = img.shape[-3], img.shape[-2], img.shape[-1]
        area = img_h * img_w
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            erase_area = area * uniform(scale[0], scale[1])
            aspect_ratio = math.exp(uniform(log_ratio[0], log_ratio[1]))
            h = int(round(math.sqrt(erase_area * aspect_ratio)))
            w = int(round(math.sqrt(erase_area / aspect_ratio)))
            if not (h < img_h and w < img_w):
                continue
            if value is None:
                v = ember.empty([img_c, h, w], dtype=ember.float32).normal_()
            else:
                v = ember.tensor(value)[:, None, None]
            i = int(ember.randint(0, img_h - h + 1, size=(1,)).item())
            j = int(ember.randint(0, img_w - w + 1, size=(1,)).item())
            return i, j, h, w, v
        return 0, 0, img_h, img_w, img

    def forward(self, img: Tensor) -> Tensor:
        if draw_below(self.p):
            if isinstance(self.value, (int, float)):
                value: list[float] | None = [float(self.value)]
            elif isinstance(self.value, str):
                value = None
            else:
                value = [float(v) for v in self.value]
            if value is not None and len(value) not in (1, img.shape[-3]):
                raise ValueError("If value is a sequence, it should have either a single value "
                                 f"or {img.shape[-3]} (number of input channels)")
            x, y, h, w, v = self.get_params(img, scale=self.scale, ratio=self.ratio,
                                            value=value)
            return F.erase(img, x, y, h, w, v, self.inplace)
        return img

    def __repr__(self) -> str:
        return (f"{self.__class__.__name__}(p={self.p}, scale={self.scale}, "
                f"ratio={self.ratio}, value={self.value}, inplace={self.inplace})")
