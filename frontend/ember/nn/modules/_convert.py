"""Module conversions: ``to``, ``cpu``, ``cuda``, ``half``, ``double``, ... and ``zero_grad``.

# NOTE [ Converting a module in place ]
``_apply(fn)`` converts every parameter and buffer, children first. A parameter keeps its
identity (an optimizer built before ``model.to(...)`` still holds the right objects): its
``.data`` is replaced by ``fn(param)`` computed under ``no_grad``, and so is its gradient's.
Buffers are replaced by ``fn(buffer)``. Only floating-point (and complex) tensors change
dtype in ``to(dtype)`` / ``half()`` / ``float()`` / ...; integer buffers such as
BatchNorm's ``num_batches_tracked`` keep theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ember
from ember import Tensor

__all__ = ["to", "cpu", "cuda", "half", "float_", "double", "bfloat16", "type_", "zero_grad"]


def _apply(self: Any, fn: Callable[[Tensor], Tensor], recurse: bool = True) -> Any:
    """Apply ``fn`` to every parameter, gradient and buffer (NOTE [ Converting a module in
    place ])."""
    if recurse:
        for module in self.children():
            module._apply(fn)
    for param in self._parameters.values():
        if param is None:
            continue
        with ember.no_grad():
            applied = fn(param)
        grad = param.grad
        param.data = applied
        if grad is not None:
            with ember.no_grad():
                grad_applied = fn(grad)
            grad.data = grad_applied
    for key, buf in self._buffers.items():
        if buf is not None:
            self._buffers[key] = fn(buf)
    return self


def _parse_to(args: tuple, kwargs: dict) -> tuple[Any, Any, bool]:
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    non_blocking = bool(kwargs.pop("non_blocking", False))
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    rest = list(args)
    if rest and isinstance(rest[0], Tensor):
        t = rest.pop(0)
        device, dtype = t.device, t.dtype
    elif rest and isinstance(rest[0], ember.dtype):
        dtype = rest.pop(0)
    elif rest and (rest[0] is None or isinstance(rest[0], str | ember.device)
                   or (isinstance(rest[0], int) and not isinstance(rest[0], bool))):
        device = rest.pop(0)
        if rest and (rest[0] is None or isinstance(rest[0], ember.dtype)):
            dtype = rest.pop(0)
    if rest and isinstance(rest[0], bool):
        non_blocking = rest.pop(0)
    if rest:
        raise TypeError(f"to() received an invalid combination of arguments: {args!r}")
    if device is not None:
        device = ember.device(device)
    return device, dtype, non_blocking


def to(self: Any, *args: Any, **kwargs: Any) -> Any:
    """Move and/or cast the parameters and buffers, in place; returns ``self``.

    ``to(device=None, dtype=None, non_blocking=False)``, ``to(dtype)``, ``to(tensor)``
    (that tensor's device and dtype). Only floating-point and complex tensors are cast.

    Examples:
        >>> import ember
        >>> lin = ember.nn.Linear(2, 2).to(ember.float64)
        >>> lin.weight.dtype
        ember.float64
    """
    device, dtype, non_blocking = _parse_to(args, kwargs)
    if dtype is not None and not (dtype.is_floating_point or dtype.is_complex):
        raise TypeError("nn.Module.to only accepts floating point or complex dtypes, but got "
                        f"desired dtype={dtype}")

    def convert(t: Tensor) -> Tensor:
        cast = dtype if (t.is_floating_point() or t.is_complex()) else None
        return t.to(device, cast, non_blocking)

    return self._apply(convert)


def to_empty(self: Any, *, device: Any, recurse: bool = True) -> Any:
    """Replace every parameter and buffer by an uninitialised tensor of the same shape on
    ``device``."""
    return self._apply(lambda t: ember.empty_like(t, device=device), recurse=recurse)


def cpu(self: Any) -> Any:
    """Move all parameters and buffers to the CPU; returns ``self``."""
    return self._apply(lambda t: t.cpu())


def cuda(self: Any, device: Any = None) -> Any:
    """Move all parameters and buffers to a CUDA device; returns ``self``."""
    return self._apply(lambda t: t.cuda(device))


def type_(self: Any, dst_type: Any) -> Any:
    """Cast all parameters and buffers (integer ones too) to ``dst_type``."""
    return self._apply(lambda t: t.type(dst_type))


def _float_caster(name: str, dt: Any) -> Callable:
    def cast(self: Any) -> Any:
        return self._apply(lambda t: t.to(dt) if t.is_floating_point() else t)

    cast.__name__ = cast.__qualname__ = name
    cast.__doc__ = f"Cast all floating-point parameters and buffers to ``{dt}``; returns self."
    return cast


float_ = _float_caster("float", ember.float32)
double = _float_caster("double", ember.float64)
half = _float_caster("half", ember.float16)
bfloat16 = _float_caster("bfloat16", ember.bfloat16)


def requires_grad_(self: Any, requires_grad: bool = True) -> Any:
    """Set ``requires_grad`` of every parameter (e.g. to freeze part of a model); returns
    ``self``."""
    for p in self.parameters():
        p.requires_grad_(requires_grad)
    return self


def zero_grad(self: Any, set_to_none: bool = True) -> None:
    """Reset the gradients of all parameters: to None (default), or to zero in place.

    Examples:
        >>> import ember
        >>> lin = ember.nn.Linear(2, 1)
        >>> lin(ember.ones(2)).sum().backward()
        >>> lin.zero_grad()
        >>> lin.weight.grad is None
        True
    """
    for p in self.parameters():
        grad = p.grad
        if grad is None:
            continue
        if set_to_none:
            p.grad = None
        else:
            if grad.grad_fn is not None:
                grad.detach_()
            else:
                grad.requires_grad_(False)
            grad.zero_()


def share_memory(self: Any) -> Any:
    """Accepted for compatibility (``share_memory_`` on each tensor where supported)."""
    return self._apply(lambda t: t.share_memory_() if hasattr(t, "share_memory_") else t)
