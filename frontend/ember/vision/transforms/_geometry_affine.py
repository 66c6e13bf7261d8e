"""Random rotations and affine maps (``RandomRotation``, ``RandomAffine``)."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

from ember import Tensor, nn

from . import functional as F
from ._utils import check_sequence_input, interpolation_arg, setup_angle, uniform
from .functional import InterpolationMode

__all__ = ["RandomRotation", "RandomAffine"]


def _check_fill(fill: Any) -> Any:
    if fill is None:
        fill = 0
    if not isinstance(fill, (Sequence, numbers.Number)):
        raise TypeError("Fill should be either a sequence or a number.")
    return fill


def _tensor_fill(img: Any, fill: Any) -> Any:
    """Tensors take a fill value per channel."""
    if not isinstance(img, Tensor):
        return fill
    channels = F.get_dimensions(img)[0]
    if isinstance(fill, (int, float)):
        return [float(fill)] * channels
    return [float(f) for f in fill]


class RandomRotation(nn.Module):
    """Rotates by an angle drawn uniformly from ``degrees``.

    Args:
        degrees (number or sequence): ``(min, max)`` in degrees, or ``d`` for ``(-d, d)``.
        interpolation (InterpolationMode): Default: ``InterpolationMode.NEAREST``.
        expand (bool): enlarge the output to hold the whole rotated image.
        center (sequence, optional): ``(x, y)`` to rotate about; default the centre.
        fill (number or sequence): value for the area outside the rotated image.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.RandomRotation((90, 90))(ember.tensor([[[1., 2.], [3., 4.]]]))
        tensor([[[2., 4.],
                 [1., 3.]]])
    """

    def __init__(self, degrees: Any, interpolation: Any = InterpolationMode.NEAREST,
                 expand: bool = False, center: Sequence[int] | None = None,
                 fill: Any = 0) -> None:
        super().__init__()
        self.interpolation = interpolation_arg(interpolation)
        self.degrees = setup_angle(degrees, name="degrees", req_sizes=(2,))
        if center is not None:
            check_sequence_input(center, "center", req_sizes=(2,))
        self.center = center
        self.expand = expand
        self.fill = _check_fill(fill)

    @staticmethod
    def get_params(degrees: list[float]) -> float:
        """An angle drawn uniformly from ``[degrees[0], degrees[1]]``."""
        return uniform(degrees[0], degrees[1])

    def forward(self, img: Any) -> Any:
        fill = _tensor_fill(img, self.fill)
        angle = self.get_params(self.degrees)
        return F.rotate(img, angle, self.interpolation, self.expand, self.center, fill)

    def __repr__(self) -> str:
        format_string = self.__class__.__name__ + f"(degrees={self.degrees}"
        format_string += f", interpolation={self.interpolation.value}"
        format_string += f", expand={self.expand}"
        if self.center is not None:
            format_string += f", center={self.center}"
        if self.fill is not None:
            format_string += f", fill={self.fill}"
        format_string += ")"
        return format_string


class RandomAffine(nn.Module):
    """Random affine map keeping the centre fixed: rotation, translation, scale, shear.

    Args:
        degrees (number or sequence): rotation range ``(min, max)``, or ``d`` for ``(-d, d)``.
        translate (tuple, optional): ``(a, b)``: shifts drawn from ``|dx| <= a * width``,
            ``|dy| <= b * height``.
        scale (tuple, optional): scale factor range ``(min, max)``.
        shear (number or sequence, optional): x-shear range (``s`` for ``(-s, s)`` or
            ``(min, max)``), or ``(xmin, xmax, ymin, ymax)``.
        interpolation (InterpolationMode): Default: ``InterpolationMode.NEAREST``.
        fill (number or sequence): value for the area outside the warped image.
        center (sequence, optional): ``(x, y)`` fixed point; default the centre.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> transforms.RandomAffine(10, translate=(0.1, 0.1))(ember.ones(1, 8, 8)).shape
        ember.Size([1, 8, 8])
    """

    def __init__(self, degrees: Any, translate: Sequence[float] | None = None,
                 scale: Sequence[float] | None = None, shear: Any = None,
                 interpolation: Any = InterpolationMode.NEAREST, fill: Any = 0,
                 center: Sequence[int] | None = None) -> None:
        super().__init__()
        self.interpolation = interpolation_arg(interpolation)
        self.degrees = setup_angle(degrees, name="degrees", req_sizes=(2,))
        if translate is not None:
            check_sequence_input(translate, "translate", req_sizes=(2,))
            for t in translate:
                if not (0.0 <= t <= 1.0):
                    raise ValueError("translation values should be between 0 and 1")
        self.translate = translate
        if scale is not None:
            check_sequence_input(scale, "scale", req_sizes=(2,))
            for s in scale:
                if s <= 0:
                    raise ValueError("scale values should be positive")
        self.scale = scale
        self.shear = setup_angle(shear, name="shear", req_sizes=(2, 4)) \
            if shear is not None else None
        self.fill = _check_fill(fill)
        if center is not None:
            check_sequence_input(center, "center", req_sizes=(2,))
        self.center = center

    @staticmethod
    def get_params(degrees: list[float], translate: Sequence[float] | None,
                   scale_ranges: Sequence[float] | None, shears: list[float] | None,
                   img_size: list[int]) -> tuple[float, tuple[int, int], float,
                                                 tuple[float, float]]:
        """``(angle, (tx, ty), scale, (shear_x, shear_y))``; ``img_size`` is ``[w, h]``."""
        angle = uniform(degrees[0], degrees[1])
        if translate is not None:
            max_dx = float(translate[0] * img_size[0])
            max_dy = float(translate[1] * img_size[1])
            translations = (int(round(uniform(-max_dx, max_dx))),
                            int(round(uniform(-max_dy, max_dy))))
        else:
            translations = (0, 0)
        scale = uniform(scale_ranges[0], scale_ranges[1]) if scale_ranges is not None else 1.0
        shear_x = shear_y = 0.0
        if shears is not None:
            shear_x = uniform(shears[0], shears[1])
            if len(shears) == 4:
                shear_y = uniform(shears[2], shears[3])
        return angle, translations, scale, (shear_x, shear_y)

    def forward(self, img: Any) -> Any:
        fill = _tensor_fill(img, self.fill)
        _, height, width = F.get_dimensions(img)
        ret = self.get_params(self.degrees, self.translate, self.scale, self.shear,
                              [width, height])
        return F.affine(img, *ret, interpolation=self.interpolation, fill=fill,
                        center=self.center)

    def __repr__(self) -> str:
        s = f"{self.__class__.__name__}(degrees={self.degrees}"
        s += f", translate={self.translate}" if self.translate is not None else ""
        s += f", scale={self.scale}" if self.scale is not None else ""
        s += f", shear={self.shear}" if self.shear is not None else ""
        s += f", interpolation={self.interpolation.value}" \
            if self.interpolation != InterpolationMode.NEAREST else ""
        s += f", fill={self.fill}" if self.fill != 0 else ""
        s += f", center={self.center}" if self.center is not None else ""
        s += ")"
        return s


