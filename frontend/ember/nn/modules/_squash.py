"""Squashing and shrinking activations: ``Sigmoid``, ``Tanh``, ``Softplus``, ``Softsign``,
``Hardsigmoid``, ``LogSigmoid``, ``Tanhshrink``, ``Hardshrink``, ``Softshrink``."""

from __future__ import annotations

import ember
from ember import Tensor

from .. import functional as F
from .module import Module

__all__ = ["Sigmoid", "Hardsigmoid", "Tanh", "LogSigmoid", "Softplus", "Softsign", "Tanhshrink",
           "Hardshrink", "Softshrink"]


class Sigmoid(Module):
    r"""Applies :math:`1 / (1 + e^{-x})` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.Sigmoid()(ember.tensor([0.]))
        tensor([0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        return ember.sigmoid(input)


class Hardsigmoid(Module):
    r"""Applies :math:`\text{relu6}(x + 3) / 6` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.Hardsigmoid()(ember.tensor([0.]))
        tensor([0.5000])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.hardsigmoid(input, self.inplace)


class Tanh(Module):
    r"""Applies :math:`\tanh(x)` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.Tanh()(ember.tensor([0.]))
        tensor([0.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return ember.tanh(input)


class _Shrink(Module):
    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Hardshrink(_Shrink):
    r"""Keeps elements with :math:`|x| > \lambda`, zeroes the others.

    Examples:
        >>> import ember
        >>> ember.nn.Hardshrink()(ember.tensor([0.2, 1.]))
        tensor([0., 1.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.hardshrink(input, self.lambd)


class Softshrink(_Shrink):
    r"""Shrinks elements towards zero by :math:`\lambda` (zero inside
    :math:`[-\lambda, \lambda]`).

    Examples:
        >>> import ember
        >>> ember.nn.Softshrink()(ember.tensor([0.2, 1.]))
        tensor([0.0000, 0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.softshrink(input, self.lambd)


class LogSigmoid(Module):
    r"""Applies :math:`\log(1 / (1 + e^{-x}))` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.LogSigmoid()(ember.tensor([0.]))
        tensor([-0.6931])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.logsigmoid(input)


class Softplus(Module):
    r"""Applies :math:`\frac{1}{\beta} \log(1 + e^{\beta x})`, linear above ``threshold``.

    Args:
        beta: the :math:`\beta` value. Default: ``1``
        threshold: above :math:`\beta x >` threshold the identity is used. Default: ``20``

    Examples:
        >>> import ember
        >>> ember.nn.Softplus()(ember.tensor([0.]))
        tensor([0.6931])
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Softsign(Module):
    r"""Applies :math:`x / (1 + |x|)` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.Softsign()(ember.tensor([1.]))
        tensor([0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.softsign(input)


class Tanhshrink(Module):
    r"""Applies :math:`x - \tanh(x)` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.Tanhshrink()(ember.tensor([0.]))
        tensor([0.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.tanhshrink(input)
