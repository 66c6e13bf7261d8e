"""``ember.Size``: the tuple subclass returned by ``Tensor.shape`` and ``Tensor.size()``."""

from __future__ import annotations

__all__ = ["Size"]


class Size(tuple):
    """A tensor's shape; a ``tuple`` of ints that prints as ``ember.Size([2, 3])``.

    >>> import ember
    >>> ember.zeros(2, 3).shape
    ember.Size([2, 3])
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"ember.Size([{', '.join(str(int(d)) for d in self)}])"

    __str__ = __repr__

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        n = 1
        for d in self:
            n *= d
        return n

    def __getitem__(self, key):  # slicing keeps the Size type, as in PyTorch
        out = tuple.__getitem__(self, key)
        return Size(out) if isinstance(key, slice) else out

    def __add__(self, other):
        return Size(tuple.__add__(self, tuple(other)))

    def __radd__(self, other):
        return Size(tuple(other) + tuple(self))

    def __reduce__(self):
        return (Size, (tuple(self),))
