"""Smooth and saturating activations: ``gelu``, ``silu``, ``mish``, ``sigmoid``,
``tanh``, ``hardsigmoid``, ``hardswish``, ``softplus``, ``softsign``, ``logsigmoid`` and the
shrink functions (see NOTE [ Pointwise activations ] in ``_utils``).
"""

from __future__ import annotations

import math

import ember
from ember import Tensor

from ._utils import mask_grad, maybe_inplace, pointwise

__all__ = ["gelu", "silu", "mish", "sigmoid", "tanh", "hardsigmoid", "hardswish", "softplus",
           "softsign", "logsigmoid", "tanhshrink", "softshrink", "hardshrink"]

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _gelu_fwd(x: Tensor, tanh_approx: bool) -> Tensor:
    if tanh_approx:
        inner = (x + x * x * x * 0.044715) * _SQRT_2_OVER_PI
        return x * 0.5 * (ember.tanh(inner) + 1)
    return x * 0.5 * (ember.erf(x * _INV_SQRT_2) + 1)


def _gelu_grad(g: Tensor, x: Tensor, tanh_approx: bool) -> Tensor:
    if tanh_approx:
        x_sq = x * x
        t = ember.tanh((x + x_sq * x * 0.044715) * _SQRT_2_OVER_PI)
        left = x * 0.5
        right_derivative = left * (1 - t * t) * _SQRT_2_OVER_PI * (x_sq * (3 * 0.044715) + 1)
        return g * ((t + 1) * 0.5 + right_derivative)
    cdf = (ember.erf(x * _INV_SQRT_2) + 1) * 0.5
    pdf = ember.exp(x * x * -0.5) * _INV_SQRT_2PI
    return g * (cdf + x * pdf)


_gelu = pointwise("GeluBackward0", _gelu_fwd, _gelu_grad)


def _silu_grad(g: Tensor, x: Tensor) -> Tensor:
    s = ember.sigmoid(x)
    return g * s * (x * (1 - s) + 1)


_silu = pointwise("SiluBackward0", lambda x: x * ember.sigmoid(x), _silu_grad)


def _softplus_fwd(x: Tensor, beta: float, thr: float) -> Tensor:
    xb = x * beta
    soft = ember.log1p(ember.exp(ember.where(xb > thr, ember.zeros_like(xb), xb))) / beta
    return ember.where(xb > thr, x, soft)


def _softplus_grad(g: Tensor, x: Tensor, beta: float, thr: float) -> Tensor:
    xb = x * beta
    return ember.where(xb > thr, g, g * ember.sigmoid(xb))


_softplus = pointwise("SoftplusBackward0", _softplus_fwd, _softplus_grad)


def _mish_fwd(x: Tensor) -> Tensor:
    return x * ember.tanh(_softplus_fwd(x, 1.0, 20.0))


def _mish_grad(g: Tensor, x: Tensor) -> Tensor:
    t = ember.tanh(_softplus_fwd(x, 1.0, 20.0))
    return g * (t + x * ember.sigmoid(x) * (1 - t * t))


_mish = pointwise("MishBackward0", _mish_fwd, _mish_grad)
_hardsigmoid = pointwise("HardsigmoidBackward0", lambda x: (x + 3).clamp(0, 6) / 6,
                          lambda g, r: mask_grad((r > 0) & (r < 1), g) / 6, "r")


def _hardswish_grad(g: Tensor, x: Tensor) -> Tensor:
    return ember.where(x <= -3, g * 0, ember.where(x < 3, g * (x / 3 + 0.5), g))


_hardswish = pointwise("HardswishBackward0", lambda x: x * (x + 3).clamp(0, 6) / 6,
                        _hardswish_grad)


def _logsigmoid_fwd(x: Tensor) -> Tensor:
    return x.clamp(max=0) - ember.log1p(ember.exp(-x.abs()))


_logsigmoid = pointwise("LogSigmoidBackward0", _logsigmoid_fwd,
                         lambda g, x: g * ember.sigmoid(-x))
_softshrink = pointwise(
    "SoftshrinkBackward0",
    lambda x, lam: ember.where(x > lam, x - lam, ember.where(x < -lam, x + lam, x * 0)),
    lambda g, x, lam: mask_grad((x > lam) | (x < -lam), g))
_hardshrink = pointwise("HardshrinkBackward0",
                         lambda x, lam: ember.where((x > lam) | (x < -lam), x, x * 0),
                         lambda g, x, lam: mask_grad((x > lam) | (x < -lam), g))


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    r"""Gaussian error linear unit, :math:`x \Phi(x)`; ``approximate='tanh'`` uses the tanh
    approximation.

    Examples:
        >>> import ember
        >>> ember.nn.functional.gelu(ember.tensor([0.0, 1.0]))
        tensor([0.0000, 0.8413])
    """
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _gelu(input, approximate == "tanh")


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    r"""Sigmoid linear unit (swish), :math:`x \sigma(x)`.

    Examples:
        >>> import ember
        >>> ember.nn.functional.silu(ember.tensor([0.0]))
        tensor([0.])
    """
    return maybe_inplace(input, _silu, inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    r""":math:`x \tanh(\mathrm{softplus}(x))`.

    Examples:
        >>> import ember
        >>> ember.nn.functional.mish(ember.tensor([0.0]))
        tensor([0.])
    """
    return maybe_inplace(input, _mish, inplace)


def sigmoid(input: Tensor) -> Tensor:
    r""":math:`1 / (1 + \exp(-x))` element-wise (same as :func:`ember.sigmoid`).

    Examples:
        >>> import ember
        >>> ember.nn.functional.sigmoid(ember.tensor([0.0]))
        tensor([0.5000])
    """
    return ember.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent element-wise (same as :func:`ember.tanh`).

    Examples:
        >>> import ember
        >>> ember.nn.functional.tanh(ember.tensor([0.0]))
        tensor([0.])
    """
    return ember.tanh(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """``relu6(x + 3) / 6`` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.functional.hardsigmoid(ember.tensor([0.0]))
        tensor([0.5000])
    """
    return maybe_inplace(input, _hardsigmoid, inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * relu6(x + 3) / 6`` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.functional.hardswish(ember.tensor([3.0]))
        tensor([3.])
    """
    return maybe_inplace(input, _hardswish, inplace)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    r""":math:`\frac{1}{\beta}\log(1 + \exp(\beta x))`, linear where ``beta * x > threshold``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.softplus(ember.tensor([0.0]))
        tensor([0.6931])
    """
    return _softplus(input, beta, threshold)


def softsign(input: Tensor) -> Tensor:
    """``x / (1 + |x|)`` element-wise.

    Examples:
        >>> import ember
        >>> ember.nn.functional.softsign(ember.tensor([1.0]))
        tensor([0.5000])
    """
    return input / (input.abs() + 1)


def logsigmoid(input: Tensor) -> Tensor:
    r""":math:`\log(\sigma(x))`, computed stably.

    Examples:
        >>> import ember
        >>> ember.nn.functional.logsigmoid(ember.tensor([0.0]))
        tensor([-0.6931])
    """
    return _logsigmoid(input)


def tanhshrink(input: Tensor) -> Tensor:
    """``x - tanh(x)``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.tanhshrink(ember.tensor([0.0]))
        tensor([0.])
    """
    return input - ember.tanh(input)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """Shrinks towards zero by ``lambd``; zero inside ``[-lambd, lambd]``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.softshrink(ember.tensor([1.0, 0.2]))
        tensor([0.5000, 0.0000])
    """
    return _softshrink(input, lambd)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """``x`` where ``|x| > lambd``, else zero.

    Examples:
        >>> import ember
        >>> ember.nn.functional.hardshrink(ember.tensor([1.0, 0.2]))
        tensor([1., 0.])
    """
    return _hardshrink(input, lambd)
