"""Conversions and per-pixel maps: ``ToTensor``, ``PILToTensor``, ``ToPILImage``,
``Normalize``, ``LinearTransformation``, ``ConvertImageDtype``, ``Lambda``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ember
from ember import Tensor, nn

from . import functional as F

__all__ = ["ToTensor", "PILToTensor", "ToPILImage", "Normalize", "LinearTransformation",
           "ConvertImageDtype", "Lambda"]


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


class LinearTransformation(nn.Module):
    """Flattens a tensor image, subtracts ``mean_vector`` and multiplies by
    ``transformation_matrix`` (both computed offline), then restores the shape.

    For ZCA whitening: with ``X`` the zero-centred data as rows, take the SVD of the
    covariance ``X.t() @ X / N`` and pass the whitening matrix built from it.

    Args:
        transformation_matrix (Tensor): ``(D, D)``, with ``D = C * H * W``.
        mean_vector (Tensor): ``(D,)``.

    Shape:
        - Input: ``(..., C, H, W)`` with ``C * H * W == D``.
        - Output: same shape.

    Example:
        >>> import ember
        >>> from ember.vision import transforms
        >>> t = transforms.LinearTransformation(ember.eye(2) * 2, ember.ones(2))
        >>> t(ember.tensor([[[1.0, 3.0]]]))
        tensor([[[0., 4.]]])
    """

    def __init__(self, transformation_matrix: Tensor, mean_vector: Tensor) -> None:
        super().__init__()
        if transformation_matrix.size(0) != transformation_matrix.size(1):
            raise ValueError("transformation_matrix should be square. Got "
                             f"{tuple(transformation_matrix.size())} rectangular matrix.")
        if mean_vector.size(0) != transformation_matrix.size(0):
            raise ValueError(f"mean_vector should have the same length {mean_vector.size(0)} as "
                             "any one of the dimensions of the transformation_matrix "
                             f"[{tuple(transformation_matrix.size())}]")
        if transformation_matrix.device != mean_vector.device:
            raise ValueError("Input tensors should be on the same device. Got "
                             f"{transformation_matrix.device} and {mean_vector.device}")
        if transformation_matrix.dtype != mean_vector.dtype:
            raise ValueError("Input tensors should have the same dtype. Got "
                             f"{transformation_matrix.dtype} and {mean_vector.dtype}")
        self.transformation_matrix = transformation_matrix
        self.mean_vector = mean_vector

    def forward(self, tensor: Tensor) -> Tensor:
        shape = tensor.shape
        n = shape[-3] * shape[-2] * shape[-1]
        if n != self.transformation_matrix.shape[0]:
            raise ValueError("Input tensor and transformation matrix have incompatible shape."
                             f"[{shape[-3]} x {shape[-2]} x {shape[-1]}] != "
                             f"{self.transformation_matrix.shape[0]}")
        if tensor.device.type != self.mean_vector.device.type:
            raise ValueError("Input tensor should be on the same device as transformation "
                             f"matrix and mean vector. Got {tensor.device} vs "
                             f"{self.mean_vector.device}")
        flat_tensor = tensor.reshape(-1, n) - self.mean_vector
        matrix = self.transformation_matrix.to(flat_tensor.dtype)
        return ember.mm(flat_tensor, matrix).reshape(shape)

    def __repr__(self) -> str:
        return (f"{self.__class__.__name__}(transformation_matrix="
                f"{self.transformation_matrix.tolist()}, "
                f"mean_vector={self.mean_vector.tolist()})")


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


