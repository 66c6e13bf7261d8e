"""Attention: ``scaled_dot_product_attention``."""

from __future__ import annotations

import math

import ember
from ember import Tensor

from ._dropout import dropout
from ._softmax import softmax

__all__ = ["scaled_dot_product_attention"]


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor,
                                 attn_mask: Tensor | None = None, dropout_p: float = 0.0,
                                 is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    r""":math:`\mathrm{softmax}(QK^T \cdot scale + mask) V`.

    Args:
        query: ``(*, L, E)``; key: ``(*, S, E)``; value: ``(*, S, Ev)``.
        attn_mask: boolean (``True`` = attend) or additive float mask broadcastable to
            ``(*, L, S)``.
        dropout_p: dropout on the attention weights (always applied when > 0).
        is_causal: mask out future positions (no ``attn_mask`` allowed then).
        scale: defaults to ``1 / sqrt(E)``.
        enable_gqa: let key/value have fewer heads (dimension -3) than query.

    Examples:
        >>> import ember
        >>> q = ember.ones(1, 2, 4)
        >>> ember.nn.functional.scaled_dot_product_attention(q, q, q).shape
        ember.Size([1, 2, 4])
    """
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set "
                           "when is_causal=True")
    length, source = query.shape[-2], key.shape[-2]
    factor = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    if enable_gqa and query.dim() >= 3 and key.shape[-3] != query.shape[-3]:
        reps = query.shape[-3] // key.shape[-3]
        key = key.repeat_interleave(reps, -3)
        value = value.repeat_interleave(reps, -3)
    scores = (query @ key.transpose(-2, -1)) * factor
    if is_causal:
        keep = ember.ones(length, source, dtype=ember.bool, device=query.device).tril()
        scores = scores.masked_fill(~keep, float("-inf"))
    if attn_mask is not None:
        if attn_mask.dtype == ember.bool:
            scores = scores.masked_fill(~attn_mask, float("-inf"))
        else:
            scores = scores + attn_mask
    weights = softmax(scores, -1)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, True)
    return weights @ value
