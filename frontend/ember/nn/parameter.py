"""``ember.nn.Parameter`` and ``ember.nn.Buffer``: tensors a :class:`Module` registers.

# NOTE [ Parameter is a Tensor subclass ]
A Parameter is an ordinary :class:`ember.Tensor` whose class says "register me": assigning
one to a Module attribute adds it to ``module._parameters``. It shares the data (and the
version counter) of the tensor it was made from, as ``torch.Tensor._make_subclass`` does,
and is a leaf. Ops on a Parameter return plain Tensors, because ops wrap their results as
``Tensor``; methods that return ``self`` (``requires_grad_``, in-place ops) keep the class.
"""

from __future__ import annotations

from typing import Any

import ember
from ember import Tensor

__all__ = ["Parameter", "Buffer", "is_lazy"]


def _make_subclass(cls: type, data: Tensor, requires_grad: bool) -> Tensor:
    """A ``cls`` instance sharing ``data``'s memory and version counter, detached (the
    effect of ``torch.Tensor._make_subclass``, with public tensor methods only)."""
    t = data.detach()
    t.__class__ = cls  # same instance layout: Tensor subclasses add no slots
    t.requires_grad_(requires_grad)
    return t


class Parameter(Tensor):
    r"""A kind of Tensor that is to be considered a module parameter.

    Parameters are :class:`~ember.Tensor` subclasses that, when assigned as
    :class:`~ember.nn.Module` attributes, are added to the module's parameters (they appear
    in :meth:`~ember.nn.Module.parameters`). Assigning a plain Tensor has no such effect.

    Args:
        data (Tensor): parameter tensor; it shares memory with the Parameter.
            Default: an empty float tensor.
        requires_grad (bool, optional): if the parameter requires gradient. ``no_grad``
            does not change this default. Default: ``True``

    Examples:
        >>> import ember
        >>> ember.nn.Parameter(ember.ones(2))
        Parameter containing:
        tensor([1., 1.], requires_grad=True)
    """

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Parameter:
        if data is None:
            data = ember.empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter(): argument 'data' must be Tensor, not "
                            f"{type(data).__name__}")
        return _make_subclass(cls, data, requires_grad)

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        pass

    def __deepcopy__(self, memo: dict) -> Parameter:
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(), self.requires_grad)
        memo[id(self)] = result
        return result

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __reduce_ex__(self, protocol: Any) -> tuple:
        return (_rebuild_parameter, (self.data, self.requires_grad, type(self)))


def _rebuild_parameter(data: Tensor, requires_grad: bool, cls: type = Parameter) -> Parameter:
    return cls(data, requires_grad)


class _BufferMeta(type):
    # ``isinstance(t, Buffer)`` is True for tensors that Buffer(...) marked.
    def __instancecheck__(cls, instance: Any) -> bool:
        if cls is Buffer and isinstance(instance, Tensor) and getattr(instance, "_is_buffer",
                                                                      False):
            return True
        return super().__instancecheck__(instance)


class Buffer(Tensor, metaclass=_BufferMeta):
    r"""A kind of Tensor that is module state but not a parameter (e.g. BatchNorm's
    ``running_mean``): assigned as a :class:`~ember.nn.Module` attribute, it is registered
    as a buffer.

    ``Buffer(t)`` returns a plain Tensor (detached from ``t``, sharing its data) marked as a
    buffer, as in PyTorch.

    Args:
        data (Tensor): buffer tensor.
        persistent (bool, optional): whether the buffer is part of the module's
            :attr:`state_dict`. Default: ``True``

    Examples:
        >>> import ember
        >>> m = ember.nn.Module()
        >>> m.steps = ember.nn.Buffer(ember.zeros(1))
        >>> list(m.state_dict())
        ['steps']
    """

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True) -> Tensor:
        if data is None:
            data = ember.empty(0)
        t = data.detach().requires_grad_(data.requires_grad)
        t.persistent = persistent
        t._is_buffer = True
        return t


def is_lazy(param: Any) -> bool:
    """Whether ``param`` is an uninitialized (lazy) parameter; Ember has none, so False."""
    return False
