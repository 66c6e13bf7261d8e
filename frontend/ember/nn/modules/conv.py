"""Convolution layers: ``Conv1d``, ``Conv2d``, ``Conv3d`` (and, from ``_conv_transpose``,
``ConvTranspose1d/2d/3d``).

# NOTE [ Conv padding ]
``padding`` is an int/tuple (zeros on both sides of each spatial dim), ``'valid'`` (none) or
``'same'`` (output size = input size; stride 1 only; an odd total goes one more to the
right). With ``padding_mode`` other than ``'zeros'`` the layer pads the input itself with
``F.pad(..., mode=padding_mode)`` using ``_reversed_padding_repeated_twice`` (F.pad's
last-dimension-first order) and then convolves without padding, as PyTorch does.
"""

from __future__ import annotations

import math
from typing import Any

import ember
from ember import Tensor

from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module
from .utils import _pair, _reverse_repeat_tuple, _single, _triple

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
           "ConvTranspose3d"]

_PADDING_MODES = {"zeros", "reflect", "replicate", "circular"}


class _ConvNd(Module):
    __constants__ = ["stride", "padding", "dilation", "groups", "padding_mode",
                     "output_padding", "in_channels", "out_channels", "kernel_size"]

    def __init__(self, in_channels: int, out_channels: int, kernel_size: tuple[int, ...],
                 stride: tuple[int, ...], padding: str | tuple[int, ...],
                 dilation: tuple[int, ...], transposed: bool, output_padding: tuple[int, ...],
                 groups: int, bias: bool, padding_mode: str, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                                 f"{ {'same', 'valid'} }")
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"padding_mode must be one of {_PADDING_MODES}, but got "
                             f"padding_mode='{padding_mode}'")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.transposed = transposed
        self.output_padding = output_padding
        self.groups = groups
        self.padding_mode = padding_mode
        if isinstance(padding, str):  # NOTE [ Conv padding ]
            pads = [0, 0] * len(kernel_size)
            if padding == "same":
                n = len(kernel_size)
                for i, (d, k) in enumerate(zip(dilation, kernel_size)):
                    total = d * (k - 1)
                    pads[2 * (n - 1 - i)] = total // 2
                    pads[2 * (n - 1 - i) + 1] = total - total // 2
            self._reversed_padding_repeated_twice = pads
        else:
            self._reversed_padding_repeated_twice = list(_reverse_repeat_tuple(padding, 2))
        shape = ((in_channels, out_channels // groups) if transposed
                 else (out_channels, in_channels // groups))
        self.weight = Parameter(ember.empty((*shape, *kernel_size), device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(ember.empty(out_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-draw the weight (Kaiming-uniform with ``a=sqrt(5)``) and the bias
        (:math:`\\mathcal{U}(-1/\\sqrt{\\text{fan\\_in}}, 1/\\sqrt{\\text{fan\\_in}})`)."""
        with ember.no_grad():
            init.kaiming_uniform_(self.weight, a=math.sqrt(5))
            if self.bias is not None:
                fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
                bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
                init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        s = "{in_channels}, {out_channels}, kernel_size={kernel_size}, stride={stride}"
        if self.padding != (0,) * len(self.padding):
            s += ", padding={padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += ", dilation={dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += ", output_padding={output_padding}"
        if self.groups != 1:
            s += ", groups={groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += ", padding_mode={padding_mode}"
        return s.format(**self.__dict__)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        if not hasattr(self, "padding_mode"):
            self.padding_mode = "zeros"

    _conv = "conv"  # the name of the functional convolution (F.conv1d, ...)

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        conv = getattr(F, self._conv)
        if self.padding_mode != "zeros":
            padded = F.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            no_pad = (0,) * len(self.kernel_size)
            return conv(padded, weight, bias, self.stride, no_pad, self.dilation, self.groups)
        return conv(input, weight, bias, self.stride, self.padding, self.dilation, self.groups)

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(input, self.weight, self.bias)


def _conv_init(self: _ConvNd, tup: Any, in_channels: int, out_channels: int, kernel_size: Any,
               stride: Any, padding: Any, dilation: Any, groups: int, bias: bool,
               padding_mode: str, device: Any, dtype: Any) -> None:
    _ConvNd.__init__(self, in_channels, out_channels, tup(kernel_size), tup(stride),
                     padding if isinstance(padding, str) else tup(padding), tup(dilation),
                     False, tup(0), groups, bias, padding_mode, device, dtype)


class Conv1d(_ConvNd):
    r"""Applies a 1-D convolution (cross-correlation) over an input of several planes.

    Args:
        in_channels (int): channels of the input. out_channels (int): channels produced.
        kernel_size (int or tuple): size of the kernel.
        stride (int or tuple, optional): stride. Default: 1
        padding (int, tuple or str, optional): ``'valid'``, ``'same'`` or the zero-padding
            added to both sides. Default: 0 (see NOTE [ Conv padding ])
        dilation (int or tuple, optional): spacing between kernel elements. Default: 1
        groups (int, optional): blocked connections from input to output channels.
            Default: 1
        bias (bool, optional): add a learnable bias. Default: ``True``
        padding_mode (str, optional): ``'zeros'``, ``'reflect'``, ``'replicate'`` or
            ``'circular'``. Default: ``'zeros'``

    Shape:
        - Input: :math:`(N, C_{in}, L_{in})` or :math:`(C_{in}, L_{in})`.
        - Output: :math:`(N, C_{out}, L_{out})` with :math:`L_{out} = \lfloor (L_{in} +
          2 p - d (k - 1) - 1) / s + 1 \rfloor`.

    Examples:
        >>> import ember
        >>> ember.nn.Conv1d(16, 33, 3, stride=2)(ember.randn(20, 16, 50)).shape
        ember.Size([20, 33, 24])
    """

    _conv = "conv1d"

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        _conv_init(self, _single, in_channels, out_channels, kernel_size, stride, padding,
                   dilation, groups, bias, padding_mode, device, dtype)


class Conv2d(_ConvNd):
    r"""Applies a 2-D convolution (cross-correlation) over an input of several planes.

    Args: as :class:`Conv1d`; ``kernel_size``, ``stride``, ``padding`` and ``dilation`` are
    an int (same for height and width) or a pair.

    Shape:
        - Input: :math:`(N, C_{in}, H_{in}, W_{in})` or :math:`(C_{in}, H_{in}, W_{in})`.
        - Output: :math:`(N, C_{out}, H_{out}, W_{out})`, each spatial size as in
          :class:`Conv1d`.

    Attributes:
        weight: shape ``(out_channels, in_channels / groups, kH, kW)``, Kaiming-uniform.
        bias: shape ``(out_channels,)``.

    Examples:
        >>> import ember
        >>> m = ember.nn.Conv2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2))
        >>> m(ember.randn(2, 16, 10, 12)).shape
        ember.Size([2, 33, 8, 12])
        >>> m
        Conv2d(16, 33, kernel_size=(3, 5), stride=(2, 1), padding=(4, 2))
    """

    _conv = "conv2d"

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        _conv_init(self, _pair, in_channels, out_channels, kernel_size, stride, padding,
                   dilation, groups, bias, padding_mode, device, dtype)


class Conv3d(_ConvNd):
    r"""Applies a 3-D convolution (cross-correlation) over an input of several planes.

    Args: as :class:`Conv1d`, with int or triple sizes.

    Shape:
        - Input: :math:`(N, C_{in}, D, H, W)` or :math:`(C_{in}, D, H, W)`.
        - Output: :math:`(N, C_{out}, D_{out}, H_{out}, W_{out})`.

    Examples:
        >>> import ember
        >>> ember.nn.Conv3d(4, 6, 3, padding=1)(ember.randn(1, 4, 5, 5, 5)).shape
        ember.Size([1, 6, 5, 5, 5])
    """

    _conv = "conv3d"

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        _conv_init(self, _triple, in_channels, out_channels, kernel_size, stride, padding,
                   dilation, groups, bias, padding_mode, device, dtype)


from ._conv_transpose import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d  # noqa: E402
