"""Dropout layers: ``Dropout``, ``Dropout1d``, ``Dropout2d``, ``Dropout3d``, ``AlphaDropout``,
``FeatureAlphaDropout``. They act only in training mode (``module.train()``)."""

from __future__ import annotations

from ember import Tensor

from .. import functional as F
from .module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
           "FeatureAlphaDropout"]


class _DropoutNd(Module):
    __constants__ = ["p", "inplace"]

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    r"""During training, zeroes each element with probability ``p`` (Bernoulli draws) and
    scales the others by :math:`1/(1-p)`; in evaluation mode it is the identity.

    Args:
        p: probability of an element to be zeroed. Default: ``0.5``
        inplace: do the operation in place. Default: ``False``

    Shape:
        - Input: :math:`(*)`. Output: :math:`(*)`, same shape.

    Examples:
        >>> import ember
        >>> m = ember.nn.Dropout(p=0.2)
        >>> m.eval()(ember.ones(3))
        tensor([1., 1., 1.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    r"""Zeroes whole channels (1-D feature maps) with probability ``p`` during training.

    Shape:
        - Input: :math:`(N, C, L)` or :math:`(C, L)`. Output: the same shape.

    Examples:
        >>> import ember
        >>> ember.nn.Dropout1d(0.5).eval()(ember.ones(1, 2, 3)).shape
        ember.Size([1, 2, 3])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    r"""Zeroes whole channels (2-D feature maps) with probability ``p`` during training.

    Shape:
        - Input: :math:`(N, C, H, W)` or :math:`(C, H, W)`. Output: the same shape.

    Examples:
        >>> import ember
        >>> ember.nn.Dropout2d(0.5).eval()(ember.ones(1, 2, 3, 3)).shape
        ember.Size([1, 2, 3, 3])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    r"""Zeroes whole channels (3-D feature maps) with probability ``p`` during training.

    Shape:
        - Input: :math:`(N, C, D, H, W)` or :math:`(C, D, H, W)`. Output: the same shape.

    Examples:
        >>> import ember
        >>> ember.nn.Dropout3d(0.5).eval()(ember.ones(1, 2, 1, 3, 3)).shape
        ember.Size([1, 2, 1, 3, 3])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout3d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    r"""Dropout that keeps the mean and variance of SELU activations (training only).

    Examples:
        >>> import ember
        >>> ember.nn.AlphaDropout(0.2).eval()(ember.ones(2))
        tensor([1., 1.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    r"""Alpha dropout of whole channels (training only).

    Examples:
        >>> import ember
        >>> ember.nn.FeatureAlphaDropout(0.2).eval()(ember.ones(1, 2, 2))
        tensor([[[1., 1.],
                 [1., 1.]]])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.feature_alpha_dropout(input, self.p, self.training)
