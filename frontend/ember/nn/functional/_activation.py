"""Rectifier-style activations: ``relu``, ``relu6``, ``hardtanh``, ``leaky_relu``,
``prelu``, ``rrelu``, ``elu``, ``selu``, ``celu`` and ``threshold``, with their in-place
flavours (see NOTE [ Pointwise activations ] in ``_utils``).
"""

from __future__ import annotations

from typing import Any

import ember
from ember import Tensor
from ember.autograd import Function

from ._utils import mask_grad, maybe_inplace, named, pointwise

__all__ = ["relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "prelu", "rrelu", "rrelu_",
           "elu", "elu_", "selu", "selu_", "celu", "celu_", "hardtanh", "hardtanh_",
           "threshold", "threshold_"]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946

_relu = pointwise("ReluBackward0", lambda x: x.clamp(min=0), lambda g, r: mask_grad(r > 0, g), "r")
_hardtanh = pointwise("HardtanhBackward0", lambda x, lo, hi: x.clamp(lo, hi),
                       lambda g, r, lo, hi: mask_grad((r > lo) & (r < hi), g), "r")
_leaky_r = pointwise("LeakyReluBackward0", lambda x, s: ember.where(x > 0, x, x * s),
                      lambda g, r, s: ember.where(r > 0, g, g * s), "r")
_leaky_x = pointwise("LeakyReluBackward0", lambda x, s: ember.where(x > 0, x, x * s),
                      lambda g, x, s: ember.where(x > 0, g, g * s))
# elu family: y = scale * (x if x > 0 else alpha * (exp(x * input_scale) - 1))
_elu = pointwise(
    "EluBackward0",
    lambda x, a, s, i: ember.where(x > 0, x * s, (ember.expm1(x * i) * (a * s))),
    lambda g, r, a, s, i: ember.where(r > 0, g * s, g * i * (r + a * s)), "r")
# PyTorch's ``x <= threshold ? value : x``: NaN is not <= anything, so it stays NaN.
_threshold = pointwise("ThresholdBackward0",
                        lambda x, t, v: ember.where(x <= t, ember.full_like(x, v), x),
                        lambda g, x, t, v: mask_grad(~(x <= t), g))



def relu(input: Tensor, inplace: bool = False) -> Tensor:
    r"""Applies the rectified linear unit function element-wise, :math:`\max(0, x)`.

    Args:
        input: any shape.
        inplace: write the result into ``input``. Default: ``False``

    Examples:
        >>> import ember
        >>> ember.nn.functional.relu(ember.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """
    return maybe_inplace(input, _relu, inplace)


def relu_(input: Tensor) -> Tensor:
    """In-place version of :func:`relu`."""
    return relu(input, inplace=True)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    """Clamps ``input`` to ``[min_val, max_val]`` element-wise (gradient zero outside).

    Examples:
        >>> import ember
        >>> ember.nn.functional.hardtanh(ember.tensor([-2.0, 0.5]))
        tensor([-1.0000,  0.5000])
    """
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return maybe_inplace(input, lambda x: _hardtanh(x, min_val, max_val), inplace)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """In-place version of :func:`hardtanh`."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """``min(max(0, x), 6)`` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.functional.relu6(ember.tensor([-1.0, 7.0]))
        tensor([0., 6.])
    """
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    r"""``x`` if ``x > 0`` else ``negative_slope * x``, element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.functional.leaky_relu(ember.tensor([-1.0, 2.0]), 0.1)
        tensor([-0.1000,  2.0000])
    """
    op = _leaky_r if negative_slope > 0 else _leaky_x
    return maybe_inplace(input, lambda x: op(x, negative_slope), inplace)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """In-place version of :func:`leaky_relu`."""
    return leaky_relu(input, negative_slope, inplace=True)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    r"""``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``, element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.functional.elu(ember.tensor([0.0, 1.0]))
        tensor([0., 1.])
    """
    return maybe_inplace(input, lambda x: _elu(x, alpha, 1.0, 1.0), inplace)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place version of :func:`elu`."""
    return elu(input, alpha, inplace=True)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """Scaled ELU with PyTorch's constants ``alpha=1.6733``, ``scale=1.0507``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.selu(ember.tensor([0.0, 1.0]))
        tensor([0.0000, 1.0507])
    """
    return maybe_inplace(input, lambda x: _elu(x, _SELU_ALPHA, _SELU_SCALE, 1.0), inplace)


def selu_(input: Tensor) -> Tensor:
    """In-place version of :func:`selu`."""
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    r""":math:`\max(0,x) + \min(0, \alpha (\exp(x/\alpha) - 1))` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.functional.celu(ember.tensor([0.0, 1.0]))
        tensor([0., 1.])
    """
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    return maybe_inplace(input, lambda x: _elu(x, alpha, 1.0, 1.0 / alpha), inplace)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place version of :func:`celu`."""
    return celu(input, alpha, inplace=True)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """``value`` where ``x <= threshold``, else ``x`` (NaN stays NaN).

    Examples:
        >>> import ember
        >>> ember.nn.functional.threshold(ember.tensor([0.5, 2.0]), 1.0, -1.0)
        tensor([-1.,  2.])
    """
    return maybe_inplace(input, lambda x: _threshold(x, threshold, value), inplace)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """In-place version of :func:`threshold`."""
    return maybe_inplace(input, lambda x: _threshold(x, threshold, value), True)


class _Prelu(Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor, weight: Tensor) -> Tensor:
        w = _channel_view(weight, x)
        ctx.save_for_backward(x, weight)
        return ember.where(x > 0, x, x * w)

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        x, weight = ctx.saved_tensors
        pos = x > 0
        gx = ember.where(pos, g, g * _channel_view(weight, x))
        gw_full = ember.where(pos, g * 0, g * x)
        if weight.numel() == 1:
            gw = gw_full.sum().reshape(weight.shape)
        else:
            dims = [d for d in range(x.dim()) if d != (1 if x.dim() > 1 else 0)]
            gw = gw_full.sum(dims) if dims else gw_full
        return gx, gw


named(_Prelu, "PreluKernelBackward0")


def _channel_view(weight: Tensor, x: Tensor) -> Tensor:
    if weight.numel() == 1 or x.dim() < 2:
        return weight.reshape(()) if weight.numel() == 1 else weight
    return weight.reshape((1, -1) + (1,) * (x.dim() - 2))


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """``x`` if ``x > 0`` else ``weight * x``; ``weight`` has one element or one per channel
    (dimension 1 of ``input``).

    Examples:
        >>> import ember
        >>> ember.nn.functional.prelu(ember.tensor([-2.0, 1.0]), ember.tensor([0.25]))
        tensor([-0.5000,  1.0000])
    """
    if weight.numel() != 1:
        channels = input.shape[1] if input.dim() >= 2 else (input.shape[0] if input.dim()
                                                             else 1)
        if weight.dim() != 1 or weight.numel() != channels:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {weight.numel()} and channel size = "
                               f"{channels}.")
    return _Prelu.apply(input, weight)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """Randomized leaky ReLU: in training the negative slope of each element is drawn from
    ``U(lower, upper)`` (with Ember's generator); in evaluation it is ``(lower + upper) / 2``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.rrelu(ember.tensor([-1.0, 2.0]))
        tensor([-0.2292,  2.0000])
    """
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    slope = ember.empty_like(input.detach()).uniform_(lower, upper)
    noise = ember.where(input.detach() <= 0, slope, ember.ones_like(slope))
    return maybe_inplace(input, lambda x: x * noise, inplace)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
           training: bool = False) -> Tensor:
    """In-place version of :func:`rrelu`."""
    return rrelu(input, lower, upper, training, inplace=True)
