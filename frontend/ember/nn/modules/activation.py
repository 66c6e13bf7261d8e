"""Activation layers, each a thin wrapper over ``ember.nn.functional``: the rectifier family
(``ReLU``, ``LeakyReLU``, ``PReLU``, ``ELU``, ``GELU``, ``SiLU``, ...) is here; the squashing
and shrinking ones (``_squash``) and the softmax family (``_softmax``) are re-exported."""

from __future__ import annotations

import warnings
from typing import Any

import ember
from ember import Tensor

from .. import functional as F
from .. import init
from ..parameter import Parameter
from ._softmax import GLU, LogSoftmax, Softmax, Softmax2d, Softmin
from ._squash import (
    Hardshrink,
    Hardsigmoid,
    LogSigmoid,
    Sigmoid,
    Softplus,
    Softshrink,
    Softsign,
    Tanh,
    Tanhshrink,
)
from .module import Module

__all__ = ["Threshold", "ReLU", "RReLU", "Hardtanh", "ReLU6", "Sigmoid", "Hardsigmoid", "Tanh",
           "SiLU", "Mish", "Hardswish", "ELU", "CELU", "SELU", "GLU", "GELU", "Hardshrink",
           "LeakyReLU", "LogSigmoid", "Softplus", "Softshrink", "PReLU", "Softsign",
           "Tanhshrink", "Softmin", "Softmax", "Softmax2d", "LogSoftmax"]


def _inplace_str(inplace: bool, lead: str = "") -> str:
    return f"{lead}inplace=True" if inplace else ""


class _Inplace(Module):
    # An activation whose only option is ``inplace`` (shown as "inplace=True" when set).
    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def extra_repr(self) -> str:
        return _inplace_str(self.inplace)


class Threshold(Module):
    r"""Replaces each element not greater than ``threshold`` by ``value``.

    Args:
        threshold: the value to threshold at. value: the replacement.
        inplace: do the operation in place. Default: ``False``

    Examples:
        >>> import ember
        >>> ember.nn.Threshold(0.1, 20.)(ember.tensor([0., 1.]))
        tensor([20.,  1.])
    """

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}{_inplace_str(self.inplace, ', ')}"


class ReLU(_Inplace):
    r"""Applies :math:`\max(0, x)` element-wise.

    Args:
        inplace: do the operation in place. Default: ``False``

    Shape:
        - Input: :math:`(*)`. Output: :math:`(*)`, same shape.

    Examples:
        >>> import ember
        >>> ember.nn.ReLU()(ember.tensor([-1., 2.]))
        tensor([0., 2.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input, inplace=self.inplace)


class RReLU(Module):
    r"""Randomized leaky ReLU: negative inputs are scaled by a slope drawn from
    :math:`\mathcal{U}(\text{lower}, \text{upper})` in training, by
    :math:`(\text{lower} + \text{upper}) / 2` in evaluation.

    Args:
        lower: lower bound of the slope. Default: ``1/8``
        upper: upper bound of the slope. Default: ``1/3``
        inplace: do the operation in place. Default: ``False``

    Examples:
        >>> import ember
        >>> ember.nn.RReLU(0.1, 0.3).eval()(ember.tensor([-1., 2.]))
        tensor([-0.2000,  2.0000])
    """

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
                 inplace: bool = False) -> None:
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}{_inplace_str(self.inplace, ', ')}"


class Hardtanh(Module):
    r"""Clamps each element to ``[min_val, max_val]``.

    Args:
        min_val: minimum of the linear region. Default: ``-1``
        max_val: maximum of the linear region. Default: ``1``
        inplace: do the operation in place. Default: ``False``

    Examples:
        >>> import ember
        >>> ember.nn.Hardtanh(-2, 2)(ember.tensor([-3., 1.]))
        tensor([-2.,  1.])
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False,
                 min_value: float | None = None, max_value: float | None = None) -> None:
        super().__init__()
        if min_value is not None:
            warnings.warn("keyword argument `min_value` is deprecated and renamed to `min_val`",
                          FutureWarning, stacklevel=2)
            min_val = min_value
        if max_value is not None:
            warnings.warn("keyword argument `max_value` is deprecated and renamed to `max_val`",
                          FutureWarning, stacklevel=2)
            max_val = max_value
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace
        if self.max_val <= self.min_val:
            raise AssertionError(f"max_val ({self.max_val}) must be greater than min_val "
                                 f"({self.min_val})")

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return (f"min_val={self.min_val}, max_val={self.max_val}"
                f"{_inplace_str(self.inplace, ', ')}")


class ReLU6(Hardtanh):
    r"""Applies :math:`\min(\max(0, x), 6)` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.ReLU6()(ember.tensor([-1., 7.]))
        tensor([0., 6.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return _inplace_str(self.inplace)


class SiLU(_Inplace):
    r"""Applies :math:`x \sigma(x)` (swish) element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.SiLU()(ember.tensor([0.]))
        tensor([0.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.silu(input, inplace=self.inplace)


class Mish(_Inplace):
    r"""Applies :math:`x \tanh(\text{softplus}(x))` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.Mish()(ember.tensor([0.]))
        tensor([0.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.mish(input, inplace=self.inplace)


class Hardswish(_Inplace):
    r"""Applies :math:`x \cdot \text{relu6}(x + 3) / 6` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.Hardswish()(ember.tensor([3.]))
        tensor([3.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.hardswish(input, self.inplace)

    def extra_repr(self) -> str:
        return ""


class _AlphaAct(Module):
    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}{_inplace_str(self.inplace, ', ')}"


class ELU(_AlphaAct):
    r"""Applies :math:`x` for :math:`x > 0` and :math:`\alpha (e^x - 1)` otherwise.

    Args:
        alpha: the :math:`\alpha` value. Default: ``1.0``
        inplace: do the operation in place. Default: ``False``

    Examples:
        >>> import ember
        >>> ember.nn.ELU()(ember.tensor([1.]))
        tensor([1.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.elu(input, self.alpha, self.inplace)


class CELU(_AlphaAct):
    r"""Applies :math:`\max(0, x) + \min(0, \alpha (e^{x/\alpha} - 1))` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.CELU()(ember.tensor([1.]))
        tensor([1.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.celu(input, self.alpha, self.inplace)


class SELU(_Inplace):
    r"""Applies :math:`\text{scale} (\max(0, x) + \min(0, \alpha (e^x - 1)))` with
    PyTorch's constants.

    Examples:
        >>> import ember
        >>> ember.nn.SELU()(ember.tensor([0.]))
        tensor([0.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.selu(input, self.inplace)


class GELU(Module):
    r"""Applies the Gaussian Error Linear Unit :math:`x \Phi(x)`; ``approximate='tanh'``
    uses the tanh approximation.

    Args:
        approximate: ``'none'`` or ``'tanh'``. Default: ``'none'``

    Examples:
        >>> import ember
        >>> ember.nn.GELU()(ember.tensor([0.]))
        tensor([0.])
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class LeakyReLU(Module):
    r"""Applies :math:`\max(0, x) + \text{negative\_slope} \min(0, x)` element-wise.

    Args:
        negative_slope: slope for negative inputs. Default: ``1e-2``
        inplace: do the operation in place. Default: ``False``

    Examples:
        >>> import ember
        >>> ember.nn.LeakyReLU(0.1)(ember.tensor([-1., 2.]))
        tensor([-0.1000,  2.0000])
    """

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}{_inplace_str(self.inplace, ', ')}"


class PReLU(Module):
    r"""Applies :math:`\max(0, x) + a \min(0, x)` with a learnable slope :math:`a` (one for
    all channels, or one per channel).

    Args:
        num_parameters: number of slopes to learn (1 or the number of channels).
            Default: ``1``
        init: the initial slope. Default: ``0.25``

    Attributes:
        weight: the learnable slopes, shape ``(num_parameters,)``.

    Examples:
        >>> import ember
        >>> m = ember.nn.PReLU()
        >>> m.weight
        Parameter containing:
        tensor([0.2500], requires_grad=True)
        >>> m(ember.tensor([-4., 2.])).detach()
        tensor([-1.,  2.])
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None,
                 dtype: Any = None) -> None:
        self.num_parameters = num_parameters
        super().__init__()
        self.init = init
        self.weight = Parameter(ember.empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Fill the slopes with ``init``."""
        init.constant_(self.weight, self.init)

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


def __getattr__(name: str):
    # PyTorch defines MultiheadAttention here; Ember keeps it in .attention (lazy: no cycle)
    if name == "MultiheadAttention":
        from .attention import MultiheadAttention

        return MultiheadAttention
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
