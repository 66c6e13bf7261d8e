"""Average pooling: ``avg_pool1d/2d/3d``, ``lp_pool1d/2d`` and
``adaptive_avg_pool1d/2d/3d``: a sum over :class:`Im2Col` windows divided by the number of
elements each window counts (see NOTE [ Windows ])."""

from __future__ import annotations

import math
from typing import Any

import ember
from ember import Tensor

from ._pooling import _adaptive_out, _check_dims
from ._utils import ntuple
from ._windows import ConstantPad, Im2Col, _pad_raw, out_size, windows

__all__ = ["avg_pool1d", "avg_pool2d", "avg_pool3d", "lp_pool1d", "lp_pool2d", "lp_pool3d",
           "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d"]


def _avg_pool(d: int, input: Tensor, kernel_size: Any, stride: Any, padding: Any,
              ceil_mode: bool, count_include_pad: bool, divisor_override: Any) -> Tensor:
    op = f"avg_pool{d}d"
    k = ntuple(kernel_size, d, "kernel_size")
    s = k if stride is None or (not isinstance(stride, int) and len(stride) == 0) else \
        ntuple(stride, d, "stride")
    p = ntuple(padding, d, "padding")
    _check_dims(input, d, op)
    if any(v <= 0 for v in s):
        raise RuntimeError("stride should not be zero")
    for pv, kv in zip(p, k):
        if pv * 2 > kv:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                               f"pad={pv}, kernel_size={kv} and dilation=1")
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    sizes = input.shape[input.dim() - d:]
    outs = tuple(out_size(m, kv, sv, pv, 1, ceil_mode) for m, kv, sv, pv in zip(sizes, k, s, p))
    if any(o <= 0 for o in outs):
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, input.shape[-d - 1:]))}). "
                           f"Calculated output size: ({input.shape[-d - 1]}x"
                           f"{'x'.join(map(str, outs))}). Output size is too small")
    # Pad by `padding`, plus zeros past the end for windows that ceil_mode adds.
    extra = [max((o - 1) * sv + kv - (m + 2 * pv), 0) for o, sv, kv, m, pv in
             zip(outs, s, k, sizes, p)]
    pads = tuple((pv, pv + e) for pv, e in zip(p, extra))
    ones = (1,) * d
    cols = Im2Col.apply(ConstantPad.apply(input, pads, 0.0), k, s, ones, outs)
    total = cols.sum(input.dim() - d)
    if divisor_override is not None:
        return total / divisor_override
    with ember.no_grad():
        one = input.new_ones(tuple(sizes))
        count = _pad_raw(one, tuple((pv, pv) for pv in p), 1.0 if count_include_pad else 0.0)
        count = _pad_raw(count, tuple((0, e) for e in extra), 0.0)
        count = windows(count, k, s, ones, outs).sum(0)
    return total / count


def avg_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True) -> Tensor:
    """1-D average pooling over ``(N, C, L)`` or ``(C, L)``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.avg_pool1d(ember.tensor([[1.0, 3.0, 2.0, 0.0]]), 2)
        tensor([[2., 1.]])
    """
    return _avg_pool(1, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     None)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """2-D average pooling over ``(N, C, H, W)`` or ``(C, H, W)``.

    Args:
        kernel_size, stride (default ``kernel_size``), padding: as in :func:`max_pool2d`.
        ceil_mode: use ceil instead of floor for the output size.
        count_include_pad: count the zero padding in the divisor.
        divisor_override: divide by this instead of the window size.

    Examples:
        >>> import ember
        >>> ember.nn.functional.avg_pool2d(ember.ones(1, 1, 4, 4), 2).shape
        ember.Size([1, 1, 2, 2])
    """
    return _avg_pool(2, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def avg_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """3-D average pooling over ``(N, C, D, H, W)`` or ``(C, D, H, W)``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.avg_pool3d(ember.ones(1, 1, 2, 2, 2), 2).shape
        ember.Size([1, 1, 1, 1, 1])
    """
    return _avg_pool(3, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def _lp_pool(d: int, input: Tensor, norm_type: float, kernel_size: Any, stride: Any,
             ceil_mode: bool) -> Tensor:
    k = ntuple(kernel_size, d, "kernel_size")
    out = _avg_pool(d, input.pow(norm_type), k, stride, 0, ceil_mode, True, None)
    from ._activation import relu

    return (ember.sign(out) * relu(out.abs())).mul(math.prod(k)).pow(1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size: int, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """1-D power-average pooling: ``(sum x^p)^(1/p)`` over each window.

    Examples:
        >>> import ember
        >>> ember.nn.functional.lp_pool1d(ember.tensor([[3.0, 4.0]]), 2, 2)
        tensor([[5.]])
    """
    return _lp_pool(1, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """2-D power-average pooling: ``(sum x^p)^(1/p)`` over each window.

    Examples:
        >>> import ember
        >>> ember.nn.functional.lp_pool2d(ember.ones(1, 1, 2, 2), 2, 2)
        tensor([[[[2.]]]])
    """
    return _lp_pool(2, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool3d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """3-D power-average pooling: ``(sum x^p)^(1/p)`` over each window.

    Examples:
        >>> import ember
        >>> ember.nn.functional.lp_pool3d(ember.ones(1, 1, 2, 2, 2), 1, 2)
        tensor([[[[[8.]]]]])
    """
    return _lp_pool(3, input, norm_type, kernel_size, stride, ceil_mode)


def _adaptive_avg(d: int, input: Tensor, output_size: Any) -> Tensor:
    outs, sizes = _adaptive_out(d, input, output_size, f"adaptive_avg_pool{d}d")
    if all(m % o == 0 for m, o in zip(sizes, outs)):
        k = tuple(m // o for m, o in zip(sizes, outs))
        return _avg_pool(d, input, k, k, 0, False, True, None)
    y = input
    nlead = input.dim() - d
    for i, (m, o) in enumerate(zip(sizes, outs)):
        rows = []
        for j in range(o):
            lo, hi = (j * m) // o, -(-((j + 1) * m) // o)
            rows.append([1.0 / (hi - lo) if lo <= c < hi else 0.0 for c in range(m)])
        a = ember.tensor(rows, dtype=input.dtype, device=input.device)
        y = (y.movedim(nlead + i, -1) @ a.t()).movedim(-1, nlead + i)
    return y


def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling to a fixed output length (windows ``[floor(i*L/o), ceil((i+1)*L/o))``).

    Examples:
        >>> import ember
        >>> ember.nn.functional.adaptive_avg_pool1d(ember.tensor([[1.0, 2.0, 3.0]]), 1)
        tensor([[2.]])
    """
    return _adaptive_avg(1, input, output_size)


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling to a fixed output size (``None`` keeps that dimension).

    Examples:
        >>> import ember
        >>> ember.nn.functional.adaptive_avg_pool2d(ember.ones(1, 2, 5, 7), 1).shape
        ember.Size([1, 2, 1, 1])
    """
    return _adaptive_avg(2, input, output_size)


def adaptive_avg_pool3d(input: Tensor, output_size: Any) -> Tensor:
    """3-D average pooling to a fixed output size.

    Examples:
        >>> import ember
        >>> ember.nn.functional.adaptive_avg_pool3d(ember.ones(1, 1, 2, 4, 4), 1).shape
        ember.Size([1, 1, 1, 1, 1])
    """
    return _adaptive_avg(3, input, output_size)
