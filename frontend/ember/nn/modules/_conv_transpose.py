"""Transposed convolution layers: ``ConvTranspose1d``, ``ConvTranspose2d``,
``ConvTranspose3d`` (re-exported by ``conv``)."""

from __future__ import annotations

from typing import Any

from ember import Tensor

from .. import functional as F
from .conv import _ConvNd
from .utils import _pair, _single, _triple

__all__ = ["ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]


class _ConvTransposeNd(_ConvNd):
    _dims = 0

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, output_padding: Any = 0, groups: int = 1, bias: bool = True,
                 dilation: Any = 1, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for '
                             f'{self.__class__.__name__}')
        tup = (_single, _pair, _triple)[self._dims - 1]
        super().__init__(in_channels, out_channels, tup(kernel_size), tup(stride),
                         tup(padding), tup(dilation), True, tup(output_padding), groups, bias,
                         padding_mode, device, dtype)

    def _output_padding(self, input: Tensor, output_size: Any, stride: Any, padding: Any,
                        kernel_size: Any, num_spatial_dims: int,
                        dilation: Any = None) -> list[int]:
        if output_size is None:
            return list(_single(self.output_padding))
        non_spatial = 2 if input.dim() == num_spatial_dims + 2 else 1
        output_size = list(output_size)
        if len(output_size) == non_spatial + num_spatial_dims:
            output_size = output_size[non_spatial:]
        if len(output_size) != num_spatial_dims:
            raise ValueError(f"ConvTranspose{num_spatial_dims}D: for {input.dim()}D input, "
                             f"output_size must have {num_spatial_dims} or "
                             f"{non_spatial + num_spatial_dims} elements (got "
                             f"{len(output_size)})")
        min_sizes = [(input.size(d + non_spatial) - 1) * stride[d] - 2 * padding[d]
                     + (dilation[d] if dilation is not None else 1) * (kernel_size[d] - 1) + 1
                     for d in range(num_spatial_dims)]
        max_sizes = [m + stride[d] - 1 for d, m in enumerate(min_sizes)]
        for size, lo, hi in zip(output_size, min_sizes, max_sizes):
            if size < lo or size > hi:
                raise ValueError(f"requested an output size of {output_size}, but valid sizes "
                                 f"range from {min_sizes} to {max_sizes} (for an input of "
                                 f"{input.size()[2:]})")
        return [output_size[d] - min_sizes[d] for d in range(num_spatial_dims)]

    def forward(self, input: Tensor, output_size: list[int] | None = None) -> Tensor:
        if self.padding_mode != "zeros":
            raise ValueError(f"Only `zeros` padding mode is supported for "
                             f"{self.__class__.__name__}")
        output_padding = self._output_padding(input, output_size, self.stride, self.padding,
                                              self.kernel_size, self._dims, self.dilation)
        conv = getattr(F, f"conv_transpose{self._dims}d")
        return conv(input, self.weight, self.bias, self.stride, self.padding, output_padding,
                    self.groups, self.dilation)


class ConvTranspose1d(_ConvTransposeNd):
    r"""Applies a 1-D transposed convolution ("deconvolution"), the gradient of
    :class:`Conv1d` with respect to its input.

    Args:
        in_channels, out_channels, kernel_size, stride, groups, bias, dilation: as
            :class:`Conv1d`.
        padding (int or tuple, optional): ``dilation * (kernel_size - 1) - padding`` zeros
            are added to both sides of the input. Default: 0
        output_padding (int or tuple, optional): extra size added to one side of the
            output. Default: 0

    Shape:
        - Input: :math:`(N, C_{in}, L_{in})`. Output: :math:`(N, C_{out}, L_{out})` with
          :math:`L_{out} = (L_{in} - 1) s - 2 p + d (k - 1) + \text{output\_padding} + 1`.

    Examples:
        >>> import ember
        >>> ember.nn.ConvTranspose1d(16, 33, 3, stride=2)(ember.randn(2, 16, 10)).shape
        ember.Size([2, 33, 21])
    """

    _dims = 1


class ConvTranspose2d(_ConvTransposeNd):
    r"""Applies a 2-D transposed convolution ("deconvolution"); ``forward(input,
    output_size=None)`` can pick among the valid output sizes.

    Args: as :class:`ConvTranspose1d`, with int or pair sizes.

    Attributes:
        weight: shape ``(in_channels, out_channels / groups, kH, kW)``.

    Examples:
        >>> import ember
        >>> x = ember.randn(1, 16, 12, 12)
        >>> down = ember.nn.Conv2d(16, 16, 3, stride=2, padding=1)
        >>> up = ember.nn.ConvTranspose2d(16, 16, 3, stride=2, padding=1)
        >>> up(down(x), output_size=x.size()).shape
        ember.Size([1, 16, 12, 12])
    """

    _dims = 2


class ConvTranspose3d(_ConvTransposeNd):
    r"""Applies a 3-D transposed convolution ("deconvolution").

    Args: as :class:`ConvTranspose1d`, with int or triple sizes.

    Examples:
        >>> import ember
        >>> ember.nn.ConvTranspose3d(2, 3, 3, stride=2)(ember.randn(1, 2, 2, 2, 2)).shape
        ember.Size([1, 3, 5, 5, 5])
    """

    _dims = 3
