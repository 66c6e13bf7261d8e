"""Distances: ``pairwise_distance``, ``cosine_similarity`` and ``pdist``."""

from __future__ import annotations

import ember
from ember import Tensor

from ._softmax import vector_norm

__all__ = ["pairwise_distance", "cosine_similarity", "pdist"]


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    r"""``||x1 - x2 + eps||_p`` over the last dimension.

    Examples:
        >>> import ember
        >>> d = ember.nn.functional.pairwise_distance(ember.zeros(1, 2), ember.ones(1, 2) * 3)
        >>> round(d.item(), 4)
        4.2426
    """
    dim = max(x1.dim(), x2.dim()) - 1
    if dim < 0:
        dim = 0
    return vector_norm(x1 - x2 + eps, p, dim, keepdim)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    r""":math:`\frac{x_1 \cdot x_2}{\max(\lVert x_1 \rVert, \epsilon)\max(\lVert x_2 \rVert,
    \epsilon)}` along ``dim`` (inputs broadcast).

    Examples:
        >>> import ember
        >>> x = ember.tensor([[1.0, 0.0]])
        >>> ember.nn.functional.cosine_similarity(x, ember.tensor([[1.0, 1.0]]))
        tensor([0.7071])
    """
    a, b = ember.broadcast_tensors(x1, x2)
    if not a.is_floating_point():
        a, b = a.to(ember.get_default_dtype()), b.to(ember.get_default_dtype())
    n1 = vector_norm(a, 2, dim, keepdim=True).clamp(min=eps)
    n2 = vector_norm(b, 2, dim, keepdim=True).clamp(min=eps)
    return ((a / n1) * (b / n2)).sum(dim)


def pdist(input: Tensor, p: float = 2.0) -> Tensor:
    """p-norm distances between all row pairs of ``(N, M)`` ``input``: the upper triangle of
    the distance matrix, as ``(N * (N - 1) / 2)``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.pdist(ember.tensor([[0.0, 0.0], [3.0, 4.0]]))
        tensor([5.])
    """
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    n = input.shape[0]
    rows = [i for i in range(n) for j in range(i + 1, n)]
    cols = [j for i in range(n) for j in range(i + 1, n)]
    if not rows:
        return input.new_zeros((0,))
    ri = ember.tensor(rows, device=input.device)
    ci = ember.tensor(cols, device=input.device)
    return vector_norm(input[ri] - input[ci], p, 1)
