"""Regression and binary losses: ``mse_loss``, ``l1_loss``, ``smooth_l1_loss``,
``huber_loss``, ``binary_cross_entropy(_with_logits)``, ``kl_div``, ``poisson_nll_loss``,
``gaussian_nll_loss`` and ``soft_margin_loss``.

Each takes ``reduction='none'|'mean'|'sum'`` (and the deprecated ``size_average``/
``reduce``) and validates it as PyTorch does.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import ember
from ember import Tensor
from ember.autograd import Function

from ._activation_smooth import _logsigmoid_fwd
from ._utils import check_reduction, legacy_reduction, named, reduce_loss

__all__ = ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "kl_div", "poisson_nll_loss",
           "gaussian_nll_loss", "soft_margin_loss"]


def _size_warning(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input "
                      f"size ({input.shape}). This will likely lead to incorrect results due "
                      f"to broadcasting. Please ensure they have the same size.",
                      stacklevel=3)


def _weighted(loss: Tensor, weight: Tensor | None, input: Tensor, reduction: str,
              mean_by_weight: bool) -> Tensor:
    if weight is None:
        return reduce_loss(loss, reduction)
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = loss * weight
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', "
                         f"'mean', 'sum'.")
    if reduction == "mean" and mean_by_weight:
        return loss.sum() / weight.sum()
    return reduce_loss(loss, reduction)


def mse_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
             reduce: bool | None = None, reduction: str = "mean",
             weight: Tensor | None = None) -> Tensor:
    """Mean squared error, ``(input - target) ** 2`` (reduced).

    Examples:
        >>> import ember
        >>> ember.nn.functional.mse_loss(ember.tensor([1.0, 2.0]), ember.tensor([0.0, 0.0]))
        tensor(2.5000)
    """
    _size_warning(input, target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    d = input - target
    return _weighted(d * d, weight, input, reduction, True)


def l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
            reduce: bool | None = None, reduction: str = "mean",
            weight: Tensor | None = None) -> Tensor:
    """Mean absolute error, ``|input - target|`` (reduced).

    Examples:
        >>> import ember
        >>> ember.nn.functional.l1_loss(ember.tensor([1.0, -2.0]), ember.tensor([0.0, 0.0]))
        tensor(1.5000)
    """
    _size_warning(input, target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    return _weighted((input - target).abs(), weight, input, reduction, True)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                   reduce: bool | None = None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """``0.5 * d**2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 * beta``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.smooth_l1_loss(ember.tensor([0.5, 3.0]), ember.zeros(2))
        tensor(1.3125)
    """
    _size_warning(input, target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    d = input - target
    ad = d.abs()
    if beta == 0.0:
        return reduce_loss(ad, reduction)
    return reduce_loss(ember.where(ad < beta, d * d * (0.5 / beta), ad - 0.5 * beta), reduction)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """``0.5 * d**2`` where ``|d| < delta``, else ``delta * (|d| - 0.5 * delta)``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.huber_loss(ember.tensor([0.5, 3.0]), ember.zeros(2))
        tensor(1.3125)
    """
    _size_warning(input, target)
    check_reduction(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    d = input - target
    ad = d.abs()
    loss = ember.where(ad < delta, d * d * 0.5, (ad - 0.5 * delta) * delta)
    return _weighted(loss, weight, input, reduction, False)


_BCE_EPS = 9.999999960041972e-13  # PyTorch's 1e-12, a float32 constant


class _BCE(Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor, t: Tensor, w: Tensor | None) -> Tensor:
        if x.numel() and (bool((x < 0).any()) or bool((x > 1).any())):
            raise RuntimeError("all elements of input should be between 0 and 1")
        ctx.save_for_backward(x, t, w)
        loss = (t - 1) * ember.log1p(-x).clamp(min=-100) - t * x.log().clamp(min=-100)
        return loss * w if w is not None else loss

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        x, t, w = ctx.saved_tensors
        gw = g * w if w is not None else g
        gx = gw * (x - t) / (x * (1 - x)).clamp(min=_BCE_EPS)
        gt = gw * (ember.log1p(-x) - x.log()) if ctx.needs_input_grad[1] else None
        return gx, gt, None


named(_BCE, "BinaryCrossEntropyBackward0")


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    r"""Binary cross entropy between probabilities ``input`` and ``target``:
    :math:`-w (t \log x + (1 - t) \log(1 - x))`, each log clamped to at least -100.

    Examples:
        >>> import ember
        >>> x = ember.tensor([0.5, 0.5])
        >>> ember.nn.functional.binary_cross_entropy(x, ember.tensor([1.0, 0.0]))
        tensor(0.6931)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the "
                         f"input size ({input.shape}) is deprecated. Please ensure they have "
                         f"the same size.")
    if weight is not None:
        weight = weight.expand(ember.broadcast_shapes(target.shape, weight.shape))
    return reduce_loss(_BCE.apply(input, target, weight), reduction)


class _BCEWithLogits(Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor, t: Tensor, w: Tensor | None, pw: Tensor | None
                ) -> Tensor:
        ctx.save_for_backward(x, t, w, pw)
        ls = _logsigmoid_fwd(x)
        if pw is not None:
            ls = ls * ((pw - 1) * t + 1)
        loss = (1 - t) * x - ls
        return loss * w if w is not None else loss

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        x, t, w, pw = ctx.saved_tensors
        gw = g * w if w is not None else g
        s = ember.sigmoid(x)
        if pw is not None:
            pt = pw * t
            gx = ((pt + 1 - t) * s - pt) * gw
        else:
            gx = (s - t) * gw
        gt = None
        if ctx.needs_input_grad[1]:
            lsx = _logsigmoid_fwd(x)
            gt = (_logsigmoid_fwd(-x) - (lsx * pw if pw is not None else lsx)) * gw
        return gx, gt, None, None


named(_BCEWithLogits, "BinaryCrossEntropyWithLogitsBackward0")


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,
                                     weight: Tensor | None = None,
                                     size_average: bool | None = None,
                                     reduce: bool | None = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """Sigmoid followed by binary cross entropy, computed stably from logits; ``pos_weight``
    weighs the positive term (one value per class, broadcast over the last dimension).

    Examples:
        >>> import ember
        >>> x = ember.zeros(2)
        >>> ember.nn.functional.binary_cross_entropy_with_logits(x, ember.tensor([1.0, 0.0]))
        tensor(0.6931)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    return reduce_loss(_BCEWithLogits.apply(input, target, weight, pos_weight), reduction)


def _xlogy_self(t: Tensor) -> Tensor:
    zero = t == 0
    return ember.where(zero, t * 0, t * ember.where(zero, ember.ones_like(t), t).log())


def kl_div(input: Tensor, target: Tensor, size_average: bool | None = None,
           reduce: bool | None = None, reduction: str = "mean", log_target: bool = False
           ) -> Tensor:
    """Kullback-Leibler divergence with ``input`` given as log-probabilities:
    ``target * (log(target) - input)`` (or ``exp(t) * (t - input)`` with ``log_target``).
    ``reduction='batchmean'`` divides the sum by the batch size.

    Examples:
        >>> import ember
        >>> lp = ember.tensor([0.5, 0.5]).log()
        >>> ember.nn.functional.kl_div(lp, ember.tensor([0.5, 0.5]), reduction='batchmean')
        tensor(0.)
    """
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce, reduction)
        batchmean = False
    else:
        if reduction == "mean":
            warnings.warn("reduction: 'mean' divides the total loss by both the batch size and "
                          "the support size.'batchmean' divides only by the batch size, and "
                          "aligns with the KL div math definition.'mean' will be changed to "
                          "behave the same as 'batchmean' in the next major release.",
                          stacklevel=2)
        batchmean = reduction == "batchmean"
        reduction = "sum" if batchmean else check_reduction(reduction)
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = _xlogy_self(target) - target * input
    out = reduce_loss(loss, reduction)
    if batchmean and input.dim() != 0:
        out = out / input.shape[0]
    return out


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average: bool | None = None, eps: float = 1e-8,
                     reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Negative log likelihood of ``target`` under a Poisson distribution of rate
    ``exp(input)`` (``log_input=True``) or ``input``; ``full`` adds the Stirling term.

    Examples:
        >>> import ember
        >>> ember.nn.functional.poisson_nll_loss(ember.zeros(2), ember.ones(2))
        tensor(1.)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        big = target > 1
        ts = ember.where(big, target, ember.ones_like(target))
        stirling = ts * ts.log() - ts + (ts * (2 * math.pi)).log() * 0.5
        loss = loss + ember.where(big, stirling, ember.zeros_like(stirling))
    return reduce_loss(loss, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Any, full: bool = False,
                      eps: float = 1e-6, reduction: str = "mean") -> Tensor:
    """Negative log likelihood of ``target`` under ``N(input, var)``:
    ``0.5 * (log(var) + (input - target)**2 / var)`` (``var`` clamped to ``eps``).

    Examples:
        >>> import ember
        >>> ember.nn.functional.gaussian_nll_loss(ember.zeros(2), ember.zeros(2), ember.ones(2))
        tensor(0.)
    """
    if not isinstance(var, Tensor):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = ember.full_like(input, float(var))
    if var.shape != input.shape:
        if input.shape[:-1] == var.shape:
            var = var.unsqueeze(-1)
        elif not (input.shape[:-1] == var.shape[:-1] and var.shape[-1] == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    if bool((var < 0).any()):
        raise ValueError("var has negative entry/entries")
    var = var + (var.detach().clamp(min=eps) - var.detach())
    d = input - target
    loss = (var.log() + d * d / var) * 0.5
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return reduce_loss(loss, reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                     reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Two-class logistic loss ``log(1 + exp(-target * input))``, targets in ``{-1, 1}``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.soft_margin_loss(ember.zeros(2), ember.ones(2))
        tensor(0.6931)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    return reduce_loss(ember.log1p((-target * input).exp()), reduction)
