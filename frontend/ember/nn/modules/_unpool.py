"""Max-unpooling layers (the partial inverse of max pooling): ``MaxUnpool1d/2d/3d``."""

from __future__ import annotations

from typing import Any

from ember import Tensor

from .. import functional as F
from .module import Module
from .utils import _pair, _single, _triple

__all__ = ["MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d"]


class _MaxUnpoolNd(Module):
    _fn = ""
    _tuple: Any = staticmethod(_single)

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        tup = type(self)._tuple
        self.kernel_size = tup(kernel_size)
        self.stride = tup(stride if stride is not None else kernel_size)
        self.padding = tup(padding)

    def forward(self, input: Tensor, indices: Tensor,
                output_size: list[int] | None = None) -> Tensor:
        return getattr(F, self._fn)(input, indices, self.kernel_size, self.stride,
                                    self.padding, output_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpoolNd):
    r"""Puts the values of a 1-D max pooling back at their argmax positions (zeros
    elsewhere); ``forward(input, indices, output_size=None)``.

    Examples:
        >>> import ember
        >>> pool = ember.nn.MaxPool1d(2, return_indices=True)
        >>> out, idx = pool(ember.tensor([[[1., 3., 2., 4.]]]))
        >>> ember.nn.MaxUnpool1d(2)(out, idx)
        tensor([[[0., 3., 0., 4.]]])
    """

    _fn = "max_unpool1d"


class MaxUnpool2d(_MaxUnpoolNd):
    r"""Puts the values of a 2-D max pooling back at their argmax positions (zeros
    elsewhere); ``forward(input, indices, output_size=None)``.

    Examples:
        >>> import ember
        >>> pool = ember.nn.MaxPool2d(2, return_indices=True)
        >>> out, idx = pool(ember.tensor([[[[1., 2.], [3., 4.]]]]))
        >>> ember.nn.MaxUnpool2d(2)(out, idx)
        tensor([[[[0., 0.],
                  [0., 4.]]]])
    """

    _fn = "max_unpool2d"
    _tuple = staticmethod(_pair)


class MaxUnpool3d(_MaxUnpoolNd):
    r"""Puts the values of a 3-D max pooling back at their argmax positions.

    Examples:
        >>> import ember
        >>> pool = ember.nn.MaxPool3d(2, return_indices=True)
        >>> out, idx = pool(ember.ones(1, 1, 2, 2, 2))
        >>> ember.nn.MaxUnpool3d(2)(out, idx).shape
        ember.Size([1, 1, 2, 2, 2])
    """

    _fn = "max_unpool3d"
    _tuple = staticmethod(_triple)
