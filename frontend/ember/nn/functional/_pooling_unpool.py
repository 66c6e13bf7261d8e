"""``max_unpool1d/2d/3d``: the partial inverse of max pooling (NOTE [ Max pooling ] in
``_pooling``), each value put back at its index with :class:`PoolScatter`."""

from __future__ import annotations

import math
from typing import Any

from ember import Tensor

from ._utils import ntuple
from ._windows import PoolScatter

__all__ = ["max_unpool1d", "max_unpool2d", "max_unpool3d"]


def _max_unpool(d: int, input: Tensor, indices: Tensor, kernel_size: Any, stride: Any,
                padding: Any, output_size: Any) -> Tensor:
    k = ntuple(kernel_size, d, "kernel_size")
    s = k if stride is None else ntuple(stride, d, "stride")
    p = ntuple(padding, d, "padding")
    sizes = input.shape[input.dim() - d:]
    default = [(m - 1) * sv - 2 * pv + kv for m, sv, pv, kv in zip(sizes, s, p, k)]
    if output_size is None:
        outs = tuple(default)
    else:
        outs = tuple(output_size)[-d:]
        if len(tuple(output_size)) not in (d, d + 1, d + 2):
            raise ValueError(f"output_size should be a sequence containing {d} or {d + 2} "
                             f"elements, but it has a length of '{len(tuple(output_size))}'")
        for o, df, sv in zip(outs, default, s):
            if not df - sv < o < df + sv:
                raise ValueError(f"invalid output_size \"{list(outs)}\" (dim {outs.index(o)} "
                                 f"must be between {df - sv} and {df + sv})")
    if indices.shape != input.shape:
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({list(input.shape)}) but got indices tensor with shape: "
                           f"{list(indices.shape)}")
    total = math.prod(outs)
    if indices.numel() and (int(indices.max()) >= total or int(indices.min()) < 0):
        raise RuntimeError(f"Found an invalid max index: {int(indices.max())} (output volumes "
                           f"are of size {'x'.join(map(str, outs))}")
    shape = tuple(input.shape[:input.dim() - d]) + outs
    return PoolScatter.apply(input, indices, shape, d, False)


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Tensor:
    """Partial inverse of :func:`max_pool1d`: puts each value at its index, zeros elsewhere.

    Examples:
        >>> import ember
        >>> out, idx = ember.nn.functional.max_pool1d(ember.tensor([[1., 3.]]), 2,
        ...                                           return_indices=True)
        >>> ember.nn.functional.max_unpool1d(out, idx, 2)
        tensor([[0., 3.]])
    """
    return _max_unpool(1, input, indices, kernel_size, stride, padding, output_size)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Tensor:
    """Partial inverse of :func:`max_pool2d` (given its ``indices``).

    Examples:
        >>> import ember
        >>> x = ember.arange(4.0).reshape(1, 1, 2, 2)
        >>> out, idx = ember.nn.functional.max_pool2d(x, 2, return_indices=True)
        >>> ember.nn.functional.max_unpool2d(out, idx, 2)
        tensor([[[[0., 0.],
                  [0., 3.]]]])
    """
    return _max_unpool(2, input, indices, kernel_size, stride, padding, output_size)


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Tensor:
    """Partial inverse of :func:`max_pool3d` (given its ``indices``).

    Examples:
        >>> import ember
        >>> x = ember.ones(1, 1, 2, 2, 2)
        >>> out, idx = ember.nn.functional.max_pool3d(x, 2, return_indices=True)
        >>> ember.nn.functional.max_unpool3d(out, idx, 2).sum()
        tensor(1.)
    """
    return _max_unpool(3, input, indices, kernel_size, stride, padding, output_size)
