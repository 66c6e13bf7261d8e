"""``MultiheadAttention``, as ``torch.nn``; the computation is in :mod:`._mha` (see NOTE
[ Multi-head attention layout ])."""

from __future__ import annotations

from typing import Any

import ember
from ember import Tensor

from .. import init
from ..parameter import Parameter
from . import _mha
from .linear import Linear
from .module import Module

__all__ = ["MultiheadAttention", "NonDynamicallyQuantizableLinear"]


class NonDynamicallyQuantizableLinear(Linear):
    """A :class:`Linear` under another name, as PyTorch's (it marks ``out_proj`` so that
    quantization leaves it alone; here it only shows in ``repr``)."""


class MultiheadAttention(Module):
    r"""Attends to ``key``/``value`` from ``query`` with ``num_heads`` parallel heads:
    :math:`\text{MultiHead}(Q, K, V) = \text{Concat}(\text{head}_1, \dots,
    \text{head}_h) W^O` with :math:`\text{head}_i = \text{Attention}(Q W_i^Q, K W_i^K,
    V W_i^V)`.

    Args:
        embed_dim: total dimension of the model.
        num_heads: number of heads; ``embed_dim`` must be divisible by it.
        dropout: dropout on the attention weights (training only). Default: 0.0
        bias: add biases to the input and output projections. Default: ``True``
        add_bias_kv: append learnt ``bias_k``/``bias_v`` to the key and value sequences.
            Default: ``False``
        add_zero_attn: append a batch of zeros to the key and value sequences.
            Default: ``False``
        kdim, vdim: feature sizes of key and value. Default: ``embed_dim``
        batch_first: inputs and output are ``(N, L, E)`` instead of ``(L, N, E)``.
            Default: ``False``
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        - query: :math:`(L, N, E)` (:math:`(N, L, E)` with ``batch_first``) or :math:`(L, E)`;
          key, value: :math:`(S, N, E_k)`, :math:`(S, N, E_v)` likewise.
        - key_padding_mask: :math:`(N, S)` or :math:`(S)`, ``True``/``-inf`` marks padding.
        - attn_mask: :math:`(L, S)` or :math:`(N \cdot \text{num\_heads}, L, S)`, boolean
          (``True`` = not allowed to attend) or additive float.
        - attn_output: like ``query``; attn_weights (with ``need_weights``): :math:`(N, L, S)`,
          or :math:`(N, \text{num\_heads}, L, S)` without ``average_attn_weights``.

    Attributes:
        in_proj_weight: ``(3 * embed_dim, embed_dim)``, Xavier-uniform, when ``kdim`` and
            ``vdim`` equal ``embed_dim``; else ``q_proj_weight``, ``k_proj_weight``,
            ``v_proj_weight``. in_proj_bias: ``(3 * embed_dim,)``, zeros.
        out_proj: the output :class:`Linear` (bias zeros).

    Examples:
        >>> import ember
        >>> mha = ember.nn.MultiheadAttention(8, 2)
        >>> x = ember.randn(5, 3, 8)
        >>> out, weights = mha(x, x, x)
        >>> out.shape, weights.shape
        (ember.Size([5, 3, 8]), ember.Size([3, 5, 5]))
    """

    __constants__ = ["batch_first"]

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False,
                 kdim: int | None = None, vdim: int | None = None, batch_first: bool = False,
                 device: Any = None, dtype: Any = None) -> None:
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got "
                             f"embed_dim={embed_dim} and num_heads={num_heads} instead")
        factory_kwargs = {"device": device, "dtype": dtype}
        super().__init__()
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != self.embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")

        def empty(*shape: int) -> Parameter:
            return Parameter(ember.empty(shape, **factory_kwargs))

        if not self._qkv_same_embed_dim:
            self.q_proj_weight = empty(embed_dim, embed_dim)
            self.k_proj_weight = empty(embed_dim, self.kdim)
            self.v_proj_weight = empty(embed_dim, self.vdim)
            self.register_parameter("in_proj_weight", None)
        else:
            self.in_proj_weight = empty(3 * embed_dim, embed_dim)
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)
        if bias:
            self.in_proj_bias = empty(3 * embed_dim)
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias,
                                                        **factory_kwargs)
        if add_bias_kv:
            self.bias_k: Parameter | None = empty(1, 1, embed_dim)
            self.bias_v: Parameter | None = empty(1, 1, embed_dim)
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            init.xavier_uniform_(self.q_proj_weight)
            init.xavier_uniform_(self.k_proj_weight)
            init.xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
        if self.bias_v is not None:
            init.xavier_normal_(self.bias_v)

    def forward(self, query: Tensor, key: Tensor, value: Tensor,
                key_padding_mask: Tensor | None = None, need_weights: bool = True,
                attn_mask: Tensor | None = None, average_attn_weights: bool = True,
                is_causal: bool = False) -> tuple[Tensor, Tensor | None]:
        """Attend; returns ``(attn_output, attn_weights)``, the weights ``None`` unless
        ``need_weights``. ``is_causal`` is a hint that ``attn_mask`` is the causal mask."""
        batched = query.dim() == 3
        key_padding_mask = _mha.canonical_mask(key_padding_mask, "key_padding_mask",
                                               _mha.none_or_dtype(attn_mask), "attn_mask",
                                               query.dtype)
        attn_mask = _mha.canonical_mask(attn_mask, "attn_mask", None, "", query.dtype,
                                        check_other=False)
        if self.batch_first and batched:
            if key is value:
                if query is key:
                    query = key = value = query.transpose(1, 0)
                else:
                    query, key = (x.transpose(1, 0) for x in (query, key))
                    value = key
            else:
                query, key, value = (x.transpose(1, 0) for x in (query, key, value))
        separate = {} if self._qkv_same_embed_dim else {
            "use_separate_proj_weight": True, "q_proj_weight": self.q_proj_weight,
            "k_proj_weight": self.k_proj_weight, "v_proj_weight": self.v_proj_weight}
        out, weights = _mha.multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight,
            self.in_proj_bias, self.bias_k, self.bias_v, self.add_zero_attn, self.dropout,
            self.out_proj.weight, self.out_proj.bias, training=self.training,
            key_padding_mask=key_padding_mask, need_weights=need_weights, attn_mask=attn_mask,
            average_attn_weights=average_attn_weights, is_causal=is_causal, **separate)
        if self.batch_first and batched:
            out = out.transpose(1, 0)
        return out, weights

    def merge_masks(self, attn_mask: Tensor | None, key_padding_mask: Tensor | None,
                    query: Tensor) -> tuple[Tensor | None, int | None]:
        """Combine ``attn_mask`` and ``key_padding_mask`` into one ``(N, num_heads, L, L)``
        mask for batch-first self-attention; returns ``(mask, mask_type)`` with type 1 for a
        padding mask alone and 2 otherwise, as PyTorch's."""
        mask_type: int | None = None
        merged: Tensor | None = None
        if key_padding_mask is not None:
            mask_type, merged = 1, key_padding_mask
        if attn_mask is not None:
            batch_size, seq_len, _ = query.shape
            mask_type = 2
            if attn_mask.dim() == 3:
                expanded = attn_mask.reshape(batch_size, -1, seq_len, seq_len)
            else:
                expanded = attn_mask.reshape(1, 1, seq_len, seq_len).expand(
                    batch_size, self.num_heads, -1, -1)
            merged = expanded
            if key_padding_mask is not None:
                merged = expanded + key_padding_mask.reshape(batch_size, 1, 1, seq_len).expand(
                    -1, self.num_heads, -1, -1)
        return merged, mask_type
