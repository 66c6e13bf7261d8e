"""The softmax family of layers: ``Softmax``, ``LogSoftmax``, ``Softmin``, ``Softmax2d``,
``GLU``."""

from __future__ import annotations

from ember import Tensor

from .. import functional as F
from .module import Module

__all__ = ["Softmax", "LogSoftmax", "Softmin", "Softmax2d", "GLU"]


class _DimModule(Module):
    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        if not hasattr(self, "dim"):
            self.dim = None

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_DimModule):
    r"""Applies :math:`\exp(x_i) / \sum_j \exp(x_j)` along ``dim``, so that the slices along
    ``dim`` lie in [0, 1] and sum to 1.

    Args:
        dim (int): the dimension along which Softmax is computed.

    Shape:
        - Input: :math:`(*)`. Output: :math:`(*)`, same shape.

    Examples:
        >>> import ember
        >>> ember.nn.Softmax(dim=0)(ember.tensor([0., 0.]))
        tensor([0.5000, 0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.softmax(input, self.dim)


class LogSoftmax(_DimModule):
    r"""Applies :math:`\log(\text{Softmax}(x))` along ``dim``, computed stably.

    Args:
        dim (int): the dimension along which LogSoftmax is computed.

    Examples:
        >>> import ember
        >>> ember.nn.LogSoftmax(dim=0)(ember.tensor([0., 0.]))
        tensor([-0.6931, -0.6931])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.log_softmax(input, self.dim)


class Softmin(_DimModule):
    r"""Applies :math:`\text{Softmax}(-x)` along ``dim``.

    Args:
        dim (int): the dimension along which Softmin is computed.

    Examples:
        >>> import ember
        >>> ember.nn.Softmin(dim=0)(ember.tensor([0., 0.]))
        tensor([0.5000, 0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.softmin(input, self.dim)


class Softmax2d(Module):
    r"""Applies Softmax over the channels at each spatial location.

    Shape:
        - Input: :math:`(N, C, H, W)` or :math:`(C, H, W)`. Output: the same shape.

    Examples:
        >>> import ember
        >>> ember.nn.Softmax2d()(ember.zeros(2, 1, 1))
        tensor([[[0.5000]],
        <BLANKLINE>
                [[0.5000]]])
    """

    def forward(self, input: Tensor) -> Tensor:
        if input.dim() not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D "
                             "instead")
        return F.softmax(input, -3)


class GLU(Module):
    r"""Gated linear unit: splits the input in halves :math:`a, b` along ``dim`` and returns
    :math:`a \otimes \sigma(b)`.

    Args:
        dim (int): the dimension to split. Default: ``-1``

    Examples:
        >>> import ember
        >>> ember.nn.GLU()(ember.tensor([2., 0.]))
        tensor([1.])
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
