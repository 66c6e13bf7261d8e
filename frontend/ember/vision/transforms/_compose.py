"""``Compose``: chain transforms into one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["Compose"]


class Compose:
    """Applies ``transforms`` one after the other.

    Args:
        transforms (list of callables): the transforms, in order.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> t = transforms.Compose([transforms.CenterCrop(2), transforms.Lambda(lambda x: x + 1)])
        >>> t(ember.zeros(1, 3, 3)).sum().item()
        4.0
    """

    def __init__(self, transforms: Sequence[Callable[[Any], Any]]) -> None:
        self.transforms = transforms

    def __call__(self, img: Any) -> Any:
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self) -> str:
        format_string = self.__class__.__name__ + "("
        for t in self.transforms:
            format_string += "\n"
            format_string += f"    {t}"
        format_string += "\n)"
        return format_string
