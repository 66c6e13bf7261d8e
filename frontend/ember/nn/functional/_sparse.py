"""Lookups: ``embedding`` and ``one_hot``."""

from __future__ import annotations

from typing import Any

import ember
from ember import Tensor
from ember.autograd import Function

from ._utils import named

__all__ = ["embedding", "one_hot"]


class _Embedding(Function):
    @staticmethod
    def forward(ctx: Any, weight: Tensor, indices: Tensor, padding_idx: int,
                scale_grad_by_freq: bool) -> Tensor:
        ctx.meta = (tuple(weight.shape), padding_idx, scale_grad_by_freq)
        ctx.save_for_backward(indices)
        flat = indices.reshape(-1)
        return weight.index_select(0, flat).reshape(tuple(indices.shape) + (weight.shape[1],))

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        (indices,) = ctx.saved_tensors
        shape, padding_idx, by_freq = ctx.meta
        flat = indices.reshape(-1)
        rows = g.reshape(-1, shape[1])
        if padding_idx >= 0 or by_freq:
            scale = ember.ones(flat.shape, dtype=g.dtype, device=g.device)
            if by_freq:
                counts = ember.bincount(flat, minlength=shape[0]).to(g.dtype)
                scale = scale / counts.index_select(0, flat)
            if padding_idx >= 0:
                scale = scale.masked_fill(flat == padding_idx, 0.0)
            rows = rows * scale.reshape(-1, 1)
        return g.new_zeros(shape).index_add(0, flat, rows), None, None, None


named(_Embedding, "EmbeddingBackward0")


def _renorm_(weight: Tensor, indices: Tensor, max_norm: float, norm_type: float) -> None:
    with ember.no_grad():
        rows = ember.unique(indices.reshape(-1))
        sel = weight.index_select(0, rows)
        if norm_type == float("inf"):
            norms = sel.abs().amax(1)
        else:
            norms = (sel.abs() ** norm_type).sum(1) ** (1.0 / norm_type)
        scale = ember.where(norms > max_norm, max_norm / (norms + 1e-7),
                            ember.ones_like(norms))
        weight.index_copy_(0, rows, sel * scale.reshape(-1, 1))


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Looks up rows of ``weight`` by the integer indices in ``input``.

    Args:
        input: integer indices, any shape.
        weight: ``(num_embeddings, embedding_dim)``.
        padding_idx: this row gets no gradient.
        max_norm: rows looked up whose ``norm_type``-norm exceeds it are rescaled in place.
        scale_grad_by_freq: divide gradients by the index's frequency in the batch.
        sparse: accepted for compatibility; gradients are dense.

    Shape:
        - Output: ``(*input.shape, embedding_dim)``.

    Examples:
        >>> import ember
        >>> w = ember.tensor([[0.0, 0.0], [1.0, 2.0]])
        >>> ember.nn.functional.embedding(ember.tensor([1, 0]), w)
        tensor([[1., 2.],
                [0., 0.]])
    """
    if input.is_floating_point() or input.dtype == ember.bool:
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got "
                           f"{input.type()} instead (while checking arguments for "
                           f"embedding)")
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    num = weight.shape[0]
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= num:
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -num:
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = num + padding_idx
    else:
        padding_idx = -1
    if input.numel() and (int(input.max()) >= num or int(input.min()) < 0):
        raise IndexError("index out of range in self")
    indices = input.long()
    if max_norm is not None:
        _renorm_(weight, indices, max_norm, norm_type)
    return _Embedding.apply(weight, indices, padding_idx, scale_grad_by_freq)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """``(*) -> (*, num_classes)`` int64 one-hot encoding; ``num_classes=-1`` uses
    ``tensor.max() + 1``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.one_hot(ember.tensor([0, 2]))
        tensor([[1, 0, 0],
                [0, 0, 1]])
    """
    if tensor.dtype != ember.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if tensor.numel() == 0:
        if num_classes <= 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
    else:
        if int(tensor.min()) < 0:
            raise RuntimeError("Class values must be non-negative.")
        if num_classes == -1:
            num_classes = int(tensor.max()) + 1
        elif int(tensor.max()) >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    classes = ember.arange(num_classes, device=tensor.device)
    return (tensor.unsqueeze(-1) == classes).long()
