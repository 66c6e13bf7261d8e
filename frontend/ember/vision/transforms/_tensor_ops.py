"""Conversions and per-pixel maps: ``ToTensor``, ``PILToTensor``, ``ToPILImage``,
``Normalize``, ``ConvertImageDtype``, ``Lambda``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ember import Tensor, nn

from . import functional as F

__all__ = ["ToTensor", "PILToTensor", "ToPILImage", "Normalize", "ConvertImageDtype", "Lambda"]


class ToTensor:
    """Converts a PIL image or an ``(H, W, C)`` NumPy array to a ``(C, H, W)`` tensor,
    scaling ``uint8`` data from ``[0, 255]`` to ``[0.0, 1.0]`` (see
    :func:`~ember.vision.transforms.functional.to_tensor`).

    Example:
        >>> from PIL import Image
        >>> from ember.vision import transforms
        >>> transforms.ToTensor()(Image.new("L", (3, 2), 255))
        tensor([[[1., 1., 1.],
                 [1., 1., 1.]]])
    """

    def __call__(self, pic: Any) -> Tensor:
        return F.to_tensor(pic)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}()"


class PILToTensor:
    """Converts a PIL image to a ``(C, H, W)`` tensor of the same dtype, without scaling.

    Example:
        >>> from PIL import Image
        >>> from ember.vision import transforms
        >>> transforms.PILToTensor()(Image.new("L", (2, 1), 7))
        tensor([[[7, 7]]], dtype=ember.uint8)
    """

    def __call__(self, pic: Any) -> Tensor:
        return F.pil_to_tensor(pic)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}()"


class ToPILImage:
    """Converts a ``(C, H, W)`` tensor or an ``(H, W, C)`` NumPy array to a PIL image.

    Args:
        mode (str, optional): the PIL mode; inferred from the channels and dtype if None.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.ToPILImage()(ember.ones(3, 2, 2)).mode
        'RGB'
    """

    def __init__(self, mode: str | None = None) -> None:
        self.mode = mode

    def __call__(self, pic: Any) -> Any:
        return F.to_pil_image(pic, self.mode)

    def __repr__(self) -> str:
        format_string = self.__class__.__name__ + "("
        if self.mode is not None:
            format_string += f"mode={self.mode}"
        format_string += ")"
        return format_string


class Normalize(nn.Module):
    """Normalizes a float tensor image channel-wise: ``(input - mean) / std``.

    Args:
        mean (sequence): per-channel means.
        std (sequence): per-channel standard deviations.
        inplace (bool): write into the input tensor. Default: False.

    Shape:
        - Input: ``(..., C, H, W)`` floating point.
        - Output: same shape.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.Normalize((0.5,), (0.5,))(ember.ones(1, 1, 2))
        tensor([[[1., 1.]]])
    """

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False):
        super().__init__()
        self.mean = mean
        self.std = std
        self.inplace = inplace

    def forward(self, tensor: Tensor) -> Tensor:
        return F.normalize(tensor, self.mean, self.std, self.inplace)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(mean={self.mean}, std={self.std})"


class ConvertImageDtype(nn.Module):
    """Converts a tensor image to ``dtype`` and rescales its values (uint8 255 becomes
    float 1.0, float 1.0 becomes uint8 255).

    Args:
        dtype (ember.dtype): the target dtype.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.ConvertImageDtype(ember.float32)(ember.tensor([[[255]]], dtype=ember.uint8))
        tensor([[[1.]]])
    """

    def __init__(self, dtype: Any) -> None:
        super().__init__()
        self.dtype = dtype

    def forward(self, image: Tensor) -> Tensor:
        return F.convert_image_dtype(image, self.dtype)


class Lambda:
    """Wraps a user function as a transform.

    Args:
        lambd (callable): the function.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.Lambda(lambda x: x * 2)(ember.ones(1))
        tensor([2.])
    """

    def __init__(self, lambd: Callable[[Any], Any]) -> None:
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {type(lambd).__name__!r}")
        self.lambd = lambd

    def __call__(self, img: Any) -> Any:
        return self.lambd(img)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}()"


