"""Classification and ranking losses: ``nll_loss``, ``cross_entropy``,
``multi_margin_loss``, ``multilabel_margin_loss``, ``multilabel_soft_margin_loss``,
``margin_ranking_loss``, ``hinge_embedding_loss``, ``cosine_embedding_loss`` and the
triplet losses.

# NOTE [ Picking the target class ]
``nll_loss`` picks ``input[n, target[n], ...]`` with a one-hot mask built by comparing the
target to ``arange(C)`` and ``where`` (never by multiplying, so a ``-inf`` log-probability of
another class cannot turn into ``nan``). Its backward is that of ``where`` and ``sum``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ember
from ember import Tensor

from ._activation import relu
from ._activation_smooth import logsigmoid
from ._distance import pairwise_distance
from ._softmax import log_softmax
from ._utils import legacy_reduction, reduce_loss

__all__ = ["nll_loss", "cross_entropy", "multi_margin_loss", "multilabel_margin_loss",
           "multilabel_soft_margin_loss", "margin_ranking_loss", "hinge_embedding_loss",
           "cosine_embedding_loss", "triplet_margin_loss", "triplet_margin_with_distance_loss"]


def _class_mask(target: Tensor, n: int, cd: int, ndim: int) -> Tensor:
    classes = ember.arange(n, device=target.device).reshape((n,) + (1,) * (ndim - cd - 1))
    return target.unsqueeze(cd) == classes


def _type_name(t: Tensor) -> str:
    return t.type().split(".")[-1].replace("Tensor", "")


def _check_nll(input: Tensor, target: Tensor, weight: Tensor | None) -> int:
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    if target.is_floating_point() or target.dtype == ember.bool:
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{_type_name(target)}")
    cd = 0 if input.dim() == 1 else 1
    if input.dim() == 1:
        if target.dim() != 0:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    else:
        if target.dim() == 0 or input.shape[0] != target.shape[0]:
            tb = target.shape[0] if target.dim() else 1
            raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                             f"batch_size ({tb}).")
        if input.dim() == 2 and target.dim() != 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        expected = (input.shape[0],) + tuple(input.shape[2:])
        if input.dim() > 2 and tuple(target.shape) != expected:
            raise RuntimeError(f"Expected target size {list(expected)}, got "
                               f"{list(target.shape)}")
    c = input.shape[cd]
    if weight is not None and (weight.dim() != 1 or weight.numel() != c):
        raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no "
                           f"classes but got weight tensor of shape: {list(weight.shape)}")
    return cd


def _nll(input: Tensor, target: Tensor, weight: Tensor | None, ignore_index: int,
         reduction: str) -> Tensor:
    cd = _check_nll(input, target, weight)
    c = input.shape[cd]
    valid = target != ignore_index
    if target.numel():
        bad = valid & ((target < 0) | (target >= c))
        if bool(bad.any()):
            raise IndexError(f"Target {int(target[bad].reshape(-1)[0])} is out of bounds.")
    mask = _class_mask(target, c, cd, input.dim()) & valid.unsqueeze(cd)
    picked = ember.where(mask, input, 0.0).sum(cd)
    if weight is not None:
        wb = weight.reshape((c,) + (1,) * (input.dim() - cd - 1))
        w = ember.where(mask, wb, 0.0).sum(cd).to(input.dtype)
    else:
        w = valid.to(input.dtype)
    loss = -(picked * w) if weight is not None else -picked
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum()


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
             size_average: bool | None = None, ignore_index: int = -100,
             reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Negative log likelihood loss: ``-weight[t] * input[n, t]`` for each target class
    ``t``; ``'mean'`` divides by the total weight of the non-ignored targets.

    Args:
        input: ``(N, C)``, ``(C)`` or ``(N, C, d1, ...)`` log-probabilities.
        target: ``(N)``, ``()`` or ``(N, d1, ...)`` class indices.
        weight: ``(C)`` per-class weights; optional.
        ignore_index: targets with this value contribute nothing. Default: -100

    Examples:
        >>> import ember
        >>> lp = ember.tensor([[0.5, 0.5]]).log()
        >>> ember.nn.functional.nll_loss(lp, ember.tensor([1]))
        tensor(0.6931)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    return _nll(input, target, weight, ignore_index, reduction)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  size_average: bool | None = None, ignore_index: int = -100,
                  reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross entropy between logits ``input`` and class indices or class probabilities
    ``target`` (``log_softmax`` then ``nll_loss``).

    Args:
        input: ``(N, C)``, ``(C)`` or ``(N, C, d1, ...)`` unnormalised logits.
        target: class indices (``(N)``, ``()``, ``(N, d1, ...)``) or probabilities with
            ``input``'s shape.
        weight: ``(C)`` per-class weights; optional.
        ignore_index: class-index targets with this value are skipped. Default: -100
        label_smoothing: mix the target with the uniform distribution. Default: 0.0

    Examples:
        >>> import ember
        >>> ember.nn.functional.cross_entropy(ember.zeros(2, 4), ember.tensor([0, 3]))
        tensor(1.3863)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{label_smoothing}")
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    cd = 0 if input.dim() == 1 else 1
    c = input.shape[cd]
    logp = log_softmax(input, cd)
    if target.shape == input.shape and target.is_floating_point():
        return _prob_target(logp, target, weight, reduction, label_smoothing, cd)
    if target.is_floating_point():
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{_type_name(target)}")
    nll = _nll(logp, target, weight, ignore_index, reduction)
    if label_smoothing <= 0.0:
        return nll
    ignore = target == ignore_index
    if weight is not None:
        wb = weight.reshape((c,) + (1,) * (input.dim() - cd - 1))
        smooth = -(logp * wb).sum(cd)
    else:
        smooth = -logp.sum(cd)
    smooth = ember.where(ignore, ember.zeros_like(smooth), smooth)
    if reduction == "mean":
        if weight is not None:
            tw = weight.index_select(0, target[~ignore].reshape(-1)).sum()
            ret = smooth.sum() / tw
        else:
            ret = smooth.sum() / (~ignore).sum()
    elif reduction == "sum":
        ret = smooth.sum()
    else:
        ret = smooth
    return nll * (1 - label_smoothing) + ret * (label_smoothing / c)


def _prob_target(logp: Tensor, target: Tensor, weight: Tensor | None, reduction: str,
                 smoothing: float, cd: int) -> Tensor:
    c = logp.shape[cd]
    if weight is not None and (weight.dim() != 1 or weight.numel() != c):
        raise RuntimeError(f"cross_entropy: weight tensor should be defined either for all {c} "
                           f"classes or no classes but got weight tensor of shape: "
                           f"{list(weight.shape)}")
    if smoothing > 0.0:
        target = target * (1 - smoothing) + smoothing / c
    prod = logp * target
    if weight is not None:
        prod = prod * weight.reshape((c,) + (1,) * (logp.dim() - cd - 1))
    if reduction == "none":
        return -prod.sum(cd)
    if reduction == "sum":
        return -prod.sum()
    if logp.numel() == 0:
        return -prod.sum() * float("nan")
    return -prod.sum() / (logp.numel() // c)


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0,
                      weight: Tensor | None = None, size_average: bool | None = None,
                      reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Multi-class hinge loss: ``sum_{j != y} max(0, margin - x[y] + x[j])**p / C``.

    Examples:
        >>> import ember
        >>> x = ember.tensor([[0.1, 0.2, 0.4, 0.8]])
        >>> ember.nn.functional.multi_margin_loss(x, ember.tensor([3]))
        tensor(0.3250)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    x = input if input.dim() == 2 else input.reshape(1, -1)
    t = target.reshape(-1)
    n, c = x.shape
    if t.shape[0] != n:
        raise RuntimeError(f"inconsistent target size, expected {n} but got "
                           f"{list(target.shape)}")
    mask = _class_mask(t, c, 1, 2)
    xy = ember.where(mask, x, 0.0).sum(1, keepdim=True)
    z = relu(x - xy + margin)
    if p == 2:
        z = z * z
    if weight is not None:
        z = z * ember.where(mask, weight.reshape(1, c), 0.0).sum(1, keepdim=True)
    loss = ember.where(mask, ember.zeros_like(z), z).sum(1) / c
    if input.dim() < 2:
        loss = loss.reshape(target.shape)
    return reduce_loss(loss, reduction)


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                           reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Multi-label hinge loss; ``target`` lists class indices, terminated by the first -1.

    Examples:
        >>> import ember
        >>> x = ember.tensor([[0.1, 0.2, 0.4, 0.8]])
        >>> ember.nn.functional.multilabel_margin_loss(x, ember.tensor([[3, 0, -1, 1]]))
        tensor(0.8500)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    x = input if input.dim() == 2 else input.reshape(1, -1)
    t = target if target.dim() == 2 else target.reshape(1, -1)
    n, c = x.shape
    if tuple(t.shape) != (n, c):
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: "
                           f"{list(input.shape)}")
    with ember.no_grad():
        stop = (t < 0).long().cumsum(1) > 0  # entries at and after the first -1
        listed = ~stop
        is_target = ((t.unsqueeze(2) == ember.arange(c, device=t.device).reshape(1, 1, c))
                     & listed.unsqueeze(2)).any(1)  # (n, c)
    # terms[n, i, j] = max(0, 1 - (x[y_i] - x[j])) for listed targets y_i and non-targets j
    xy = ember.where(_class_mask(t.clamp(min=0), c, 2, 3), x.unsqueeze(1), 0.0).sum(2)
    z = relu((1 - xy).unsqueeze(2) + x.unsqueeze(1))
    keep = listed.unsqueeze(2) & ~is_target.unsqueeze(1)
    loss = ember.where(keep, z, ember.zeros_like(z)).sum((1, 2)) / c
    if input.dim() < 2:
        loss = loss.reshape(())
    return reduce_loss(loss, reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average: bool | None = None, reduce: bool | None = None,
                                reduction: str = "mean") -> Tensor:
    """Multi-label one-versus-all logistic loss, averaged over classes.

    Examples:
        >>> import ember
        >>> ember.nn.functional.multilabel_soft_margin_loss(ember.zeros(1, 2), ember.ones(1, 2))
        tensor(0.6931)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    loss = loss.sum(input.dim() - 1) / input.shape[-1]
    return reduce_loss(loss, reduction)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """``max(0, -target * (input1 - input2) + margin)``, targets in ``{-1, 1}``.

    Examples:
        >>> import ember
        >>> a, b = ember.tensor([1.0, 2.0]), ember.tensor([2.0, 1.0])
        >>> ember.nn.functional.margin_ranking_loss(a, b, ember.tensor([1.0, 1.0]))
        tensor(0.5000)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same "
                           f"dimension but got sizes: input1: {input1.shape}, input2: "
                           f"{input2.shape}, target: {target.shape} ")
    return reduce_loss((-target * (input1 - input2) + margin).clamp(min=0), reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """``x`` where ``target == 1`` plus ``max(0, margin - x)`` where ``target == -1``.

    Examples:
        >>> import ember
        >>> x = ember.tensor([0.3, 0.3])
        >>> ember.nn.functional.hinge_embedding_loss(x, ember.tensor([1.0, -1.0]))
        tensor(0.5000)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    zeros = ember.zeros_like(input)
    margin_clamp = (margin - input).clamp(min=0)
    out = ember.where(target != 1, margin_clamp, zeros) + ember.where(target != -1, input, zeros)
    return reduce_loss(out, reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    """``1 - cos(x1, x2)`` where ``target == 1``, ``max(0, cos(x1, x2) - margin)`` where
    ``target == -1``.

    Examples:
        >>> import ember
        >>> x = ember.tensor([[1.0, 0.0]])
        >>> ember.nn.functional.cosine_embedding_loss(x, x, ember.tensor([1.0]))
        tensor(0.)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    td = target.dim()
    if td > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if td == 1 and (input1.dim() != 2 or input2.dim() != 2):
        raise RuntimeError(f"1D target tensor expects 2D input tensors, but found inputs with "
                           f"sizes {list(input1.shape)} and {list(input2.shape)}.")
    if td == 0 and (input1.dim() != 1 or input2.dim() != 1):
        raise RuntimeError(f"0D target tensor expects 1D input tensors, but found inputs with "
                           f"sizes {list(input1.shape)} and {list(input2.shape)}.")
    dim = 1 if td == 1 else 0
    eps = 1e-12
    prod = (input1 * input2).sum(dim)
    mag1 = (input1 * input1).sum(dim) + eps
    mag2 = (input2 * input2).sum(dim) + eps
    cos = prod / (mag1 * mag2).sqrt()
    zeros = ember.zeros_like(cos)
    out = ember.where(target == 1, 1 - cos, zeros) + \
        ember.where(target == -1, (cos - margin).clamp(min=0), zeros)
    return reduce_loss(out, reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor,
                        margin: float = 1.0, p: float = 2, eps: float = 1e-6,
                        swap: bool = False, size_average: bool | None = None,
                        reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """``max(d(a, p) - d(a, n) + margin, 0)`` with the ``p``-norm pairwise distance;
    ``swap`` uses ``min(d(a, n), d(p, n))``.

    Examples:
        >>> import ember
        >>> a = ember.zeros(1, 2)
        >>> ember.nn.functional.triplet_margin_loss(a, a, a + 3).item() == 0.0
        True
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    dims = (anchor.dim(), positive.dim(), negative.dim())
    if len(set(dims)) != 1:
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have "
                           f"the same number of dimensions, but got: anchor {dims[0]}D, "
                           f"positive {dims[1]}D, and negative {dims[2]}D inputs")
    d_ap = pairwise_distance(anchor, positive, p, eps)
    d_an = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_an = ember.minimum(d_an, pairwise_distance(positive, negative, p, eps))
    return reduce_loss((d_ap - d_an + margin).clamp(min=0), reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Callable | None = None,
                                      margin: float = 1.0, swap: bool = False,
                                      reduction: str = "mean") -> Tensor:
    """:func:`triplet_margin_loss` with any ``distance_function`` (default: pairwise L2).

    Examples:
        >>> import ember
        >>> a = ember.zeros(1, 2)
        >>> ember.nn.functional.triplet_margin_with_distance_loss(a, a, a + 3)
        tensor(0.)
    """
    if margin <= 0:
        raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than "
                         f"0, got {margin} instead")
    dist: Any = distance_function if distance_function is not None else pairwise_distance
    d_ap = dist(anchor, positive)
    d_an = dist(anchor, negative)
    if swap:
        d_an = ember.minimum(d_an, dist(positive, negative))
    return reduce_loss((d_ap - d_an + margin).clamp(min=0), reduction)
