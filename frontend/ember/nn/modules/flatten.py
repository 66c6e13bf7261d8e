"""``Flatten`` and ``Unflatten``: reshape layers for use in :class:`Sequential`."""

from __future__ import annotations

from typing import Any

from ember import Tensor

from .module import Module

__all__ = ["Flatten", "Unflatten"]


class Flatten(Module):
    r"""Flattens dimensions ``start_dim`` to ``end_dim`` into one.

    Args:
        start_dim: first dim to flatten. Default: ``1`` (keeps the batch dimension)
        end_dim: last dim to flatten. Default: ``-1``

    Shape:
        - Input: :math:`(*, S_{start}, ..., S_{end}, *)`.
        - Output: :math:`(*, \prod S_i, *)`.

    Examples:
        >>> import ember
        >>> ember.nn.Flatten()(ember.zeros(32, 1, 5, 5)).shape
        ember.Size([32, 25])
    """

    __constants__ = ["start_dim", "end_dim"]

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    r"""Expands dimension ``dim`` into the shape ``unflattened_size``.

    Args:
        dim: the dimension to unflatten.
        unflattened_size: the new shape of that dimension (a tuple or list of ints).

    Shape:
        - Input: :math:`(*, S_{dim}, *)`. Output: :math:`(*, U_1, ..., U_n, *)` with
          :math:`\prod U_i = S_{dim}`.

    Examples:
        >>> import ember
        >>> ember.nn.Unflatten(1, (2, 5))(ember.zeros(2, 10)).shape
        ember.Size([2, 2, 5])
    """

    __constants__ = ["dim", "unflattened_size"]

    def __init__(self, dim: int, unflattened_size: Any) -> None:
        super().__init__()
        self._require_tuple_int(unflattened_size)
        self.dim = dim
        self.unflattened_size = unflattened_size

    def _require_tuple_int(self, input: Any) -> None:
        if isinstance(input, tuple | list):
            for idx, elem in enumerate(input):
                if not isinstance(elem, int):
                    raise TypeError("unflattened_size must be tuple of ints, but found element "
                                    f"of type {type(elem).__name__} at pos {idx}")
            return
        raise TypeError("unflattened_size must be a tuple of ints, but found type "
                        f"{type(input).__name__}")

    def forward(self, input: Tensor) -> Tensor:
        return input.unflatten(self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
