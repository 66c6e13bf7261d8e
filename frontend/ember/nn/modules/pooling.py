"""Pooling layers: max, average, power-average and adaptive pooling in 1-3 dimensions, and
max-unpooling (in ``_unpool``, re-exported here)."""

from __future__ import annotations

from typing import Any

from ember import Tensor

from .. import functional as F
from ._unpool import MaxUnpool1d, MaxUnpool2d, MaxUnpool3d
from .module import Module
from .utils import _single

__all__ = ["MaxPool1d", "MaxPool2d", "MaxPool3d", "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d",
           "AvgPool1d", "AvgPool2d", "AvgPool3d", "LPPool1d", "LPPool2d", "AdaptiveMaxPool1d",
           "AdaptiveMaxPool2d", "AdaptiveMaxPool3d", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d",
           "AdaptiveAvgPool3d"]


class _MaxPoolNd(Module):
    __constants__ = ["kernel_size", "stride", "padding", "dilation", "return_indices",
                     "ceil_mode"]
    _fn = ""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 dilation: Any = 1, return_indices: bool = False,
                 ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input: Tensor) -> Any:
        return getattr(F, self._fn)(input, self.kernel_size, self.stride, self.padding,
                                    self.dilation, ceil_mode=self.ceil_mode,
                                    return_indices=self.return_indices)

    def extra_repr(self) -> str:
        return ("kernel_size={kernel_size}, stride={stride}, padding={padding}, "
                "dilation={dilation}, ceil_mode={ceil_mode}".format(**self.__dict__))


class MaxPool1d(_MaxPoolNd):
    r"""1-D max pooling over an input of several planes.

    Args:
        kernel_size: the window size. stride: the window step (default ``kernel_size``).
        padding: implicit negative-infinity padding on both sides. Default: 0
        dilation: spacing between window elements. Default: 1
        return_indices: also return the argmax indices (for :class:`MaxUnpool1d`).
        ceil_mode: use ceil instead of floor for the output size.

    Shape:
        - Input: :math:`(N, C, L_{in})` or :math:`(C, L_{in})`. Output: :math:`(N, C, L_{out})`.

    Examples:
        >>> import ember
        >>> ember.nn.MaxPool1d(2)(ember.tensor([[[1., 3., 2., 4.]]]))
        tensor([[[3., 4.]]])
    """

    _fn = "max_pool1d"


class MaxPool2d(_MaxPoolNd):
    r"""2-D max pooling; the arguments are ints or pairs (see :class:`MaxPool1d`).

    Shape:
        - Input: :math:`(N, C, H_{in}, W_{in})` or :math:`(C, H_{in}, W_{in})`.
        - Output: :math:`(N, C, H_{out}, W_{out})`.

    Examples:
        >>> import ember
        >>> m = ember.nn.MaxPool2d(3, stride=2)
        >>> m(ember.randn(2, 4, 9, 9)).shape
        ember.Size([2, 4, 4, 4])
        >>> m
        MaxPool2d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)
    """

    _fn = "max_pool2d"


class MaxPool3d(_MaxPoolNd):
    r"""3-D max pooling; the arguments are ints or triples (see :class:`MaxPool1d`).

    Examples:
        >>> import ember
        >>> ember.nn.MaxPool3d(2)(ember.randn(1, 2, 4, 4, 4)).shape
        ember.Size([1, 2, 2, 2, 2])
    """

    _fn = "max_pool3d"


class AvgPool1d(Module):
    r"""1-D average pooling.

    Args:
        kernel_size: the window size. stride: the window step (default ``kernel_size``).
        padding: implicit zero padding on both sides. Default: 0
        ceil_mode: use ceil instead of floor for the output size. Default: ``False``
        count_include_pad: include the zero padding in the averages. Default: ``True``

    Examples:
        >>> import ember
        >>> ember.nn.AvgPool1d(2)(ember.tensor([[[1., 3., 2., 4.]]]))
        tensor([[[2., 3.]]])
    """

    __constants__ = ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"]

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def forward(self, input: Tensor) -> Tensor:
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AvgPoolNd(Module):
    __constants__ = ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
                     "divisor_override"]
    _fn = ""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True,
                 divisor_override: int | None = None) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._fn)(input, self.kernel_size, self.stride, self.padding,
                                    self.ceil_mode, self.count_include_pad,
                                    self.divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(_AvgPoolNd):
    r"""2-D average pooling; as :class:`AvgPool1d`, plus ``divisor_override`` (divide every
    window sum by this number instead of the window size).

    Examples:
        >>> import ember
        >>> ember.nn.AvgPool2d(2)(ember.ones(1, 1, 4, 4)).shape
        ember.Size([1, 1, 2, 2])
    """

    _fn = "avg_pool2d"


class AvgPool3d(_AvgPoolNd):
    r"""3-D average pooling; as :class:`AvgPool2d`.

    Examples:
        >>> import ember
        >>> ember.nn.AvgPool3d(2)(ember.ones(1, 1, 2, 4, 4)).shape
        ember.Size([1, 1, 1, 2, 2])
    """

    _fn = "avg_pool3d"


class _LPPoolNd(Module):
    __constants__ = ["norm_type", "kernel_size", "stride", "ceil_mode"]
    _fn = ""

    def __init__(self, norm_type: float, kernel_size: Any, stride: Any = None,
                 ceil_mode: bool = False) -> None:
        super().__init__()
        self.norm_type = norm_type
        self.kernel_size = kernel_size
        self.stride = stride
        self.ceil_mode = ceil_mode

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._fn)(input, float(self.norm_type), self.kernel_size,
                                    self.stride, self.ceil_mode)

    def extra_repr(self) -> str:
        return ("norm_type={norm_type}, kernel_size={kernel_size}, stride={stride}, "
                "ceil_mode={ceil_mode}".format(**self.__dict__))


class LPPool1d(_LPPoolNd):
    r"""1-D power-average pooling :math:`(\sum x^p)^{1/p}` over each window.

    Examples:
        >>> import ember
        >>> ember.nn.LPPool1d(1, 2)(ember.tensor([[[1., 3.]]]))
        tensor([[[4.]]])
    """

    _fn = "lp_pool1d"


class LPPool2d(_LPPoolNd):
    r"""2-D power-average pooling :math:`(\sum x^p)^{1/p}` over each window.

    Examples:
        >>> import ember
        >>> ember.nn.LPPool2d(2, 2)(ember.ones(1, 1, 2, 2))
        tensor([[[[2.]]]])
    """

    _fn = "lp_pool2d"


class _AdaptiveMaxPoolNd(Module):
    __constants__ = ["output_size", "return_indices"]
    _fn = ""

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def forward(self, input: Tensor) -> Any:
        return getattr(F, self._fn)(input, self.output_size, self.return_indices)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    r"""1-D max pooling to a fixed output length ``output_size``.

    Examples:
        >>> import ember
        >>> ember.nn.AdaptiveMaxPool1d(2)(ember.tensor([[[1., 3., 2., 4.]]]))
        tensor([[[3., 4.]]])
    """

    _fn = "adaptive_max_pool1d"


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    r"""2-D max pooling to a fixed output size (an int, or a pair where None keeps the
    input's size).

    Examples:
        >>> import ember
        >>> ember.nn.AdaptiveMaxPool2d((5, 7))(ember.randn(1, 64, 8, 9)).shape
        ember.Size([1, 64, 5, 7])
    """

    _fn = "adaptive_max_pool2d"


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    r"""3-D max pooling to a fixed output size.

    Examples:
        >>> import ember
        >>> ember.nn.AdaptiveMaxPool3d(1)(ember.randn(1, 2, 3, 3, 3)).shape
        ember.Size([1, 2, 1, 1, 1])
    """

    _fn = "adaptive_max_pool3d"


class _AdaptiveAvgPoolNd(Module):
    __constants__ = ["output_size"]
    _fn = ""

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._fn)(input, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    r"""1-D average pooling to a fixed output length ``output_size``.

    Examples:
        >>> import ember
        >>> ember.nn.AdaptiveAvgPool1d(1)(ember.tensor([[[1., 3.]]]))
        tensor([[[2.]]])
    """

    _fn = "adaptive_avg_pool1d"


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    r"""2-D average pooling to a fixed output size (an int, or a pair where None keeps the
    input's size); ``AdaptiveAvgPool2d(1)`` is global average pooling.

    Examples:
        >>> import ember
        >>> ember.nn.AdaptiveAvgPool2d((5, 7))(ember.randn(1, 64, 8, 9)).shape
        ember.Size([1, 64, 5, 7])
    """

    _fn = "adaptive_avg_pool2d"


class AdaptiveAvgPool3d(_AdaptiveAvgPoolNd):
    r"""3-D average pooling to a fixed output size.

    Examples:
        >>> import ember
        >>> ember.nn.AdaptiveAvgPool3d(1)(ember.ones(1, 2, 3, 3, 3)).shape
        ember.Size([1, 2, 1, 1, 1])
    """

    _fn = "adaptive_avg_pool3d"
