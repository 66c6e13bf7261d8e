"""Walking the module tree: ``parameters``/``buffers``/``children``/``modules`` (and their
``named_`` forms) and lookup by dotted path (``get_submodule``, ``get_parameter``, ...).

Bound as methods of :class:`~ember.nn.Module` in ``module``. Iteration is pre-order in
registration order; an object reachable twice (a shared parameter or submodule) is yielded
once unless ``remove_duplicate=False``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ember import Tensor

from ..parameter import Parameter

__all__ = ["parameters", "named_parameters", "buffers", "named_buffers", "children",
           "named_children", "modules", "named_modules", "get_submodule", "set_submodule",
           "get_parameter", "get_buffer"]


def _is_module(obj: Any) -> bool:
    from .module import Module

    return isinstance(obj, Module)


def get_submodule(self: Any, target: str) -> Any:
    """The submodule at the dotted path ``target`` (``''`` is this module).

    Raises AttributeError when a step of the path is missing or not a Module.
    """
    if target == "":
        return self
    mod: Any = self
    for item in target.split("."):
        if not hasattr(mod, item):
            raise AttributeError(mod._get_name() + " has no attribute `" + item + "`")
        mod = getattr(mod, item)
        if not _is_module(mod):
            raise AttributeError("`" + item + "` is not an nn.Module")
    return mod


def set_submodule(self: Any, target: str, module: Any, strict: bool = False) -> None:
    """Replace (or, unless ``strict``, add) the submodule at the dotted path ``target``."""
    if target == "":
        raise ValueError("Cannot set the submodule without a target name!")
    if not _is_module(module):
        raise ValueError(f"`module` is not an nn.Module, found {type(module)}")
    path, _, last = target.rpartition(".")
    parent = self.get_submodule(path)
    if strict and not hasattr(parent, last):
        raise AttributeError(parent._get_name() + " has no attribute `" + last + "`")
    if hasattr(parent, last) and not _is_module(getattr(parent, last)):
        raise AttributeError("`" + last + "` is not an nn.Module")
    setattr(parent, last, module)


def get_parameter(self: Any, target: str) -> Parameter:
    """The parameter at the dotted path ``target`` (e.g. ``'layers.0.weight'``)."""
    path, _, name = target.rpartition(".")
    mod = self.get_submodule(path)
    if not hasattr(mod, name):
        raise AttributeError(mod._get_name() + " has no attribute `" + name + "`")
    param = getattr(mod, name)
    if not isinstance(param, Parameter):
        raise AttributeError("`" + name + "` is not an nn.Parameter")
    return param


def get_buffer(self: Any, target: str) -> Tensor:
    """The buffer at the dotted path ``target`` (e.g. ``'bn.running_mean'``)."""
    path, _, name = target.rpartition(".")
    mod = self.get_submodule(path)
    if not hasattr(mod, name):
        raise AttributeError(mod._get_name() + " has no attribute `" + name + "`")
    buf = getattr(mod, name)
    if name not in mod._buffers:
        raise AttributeError("`" + name + "` is not a buffer")
    return buf



def _named_members(self: Any, get_members: Callable, prefix: str = "", recurse: bool = True,
                   remove_duplicate: bool = True) -> Iterator[tuple[str, Any]]:
    memo: set = set()
    modules = (self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
               if recurse else [(prefix, self)])
    for module_prefix, module in modules:
        for k, v in get_members(module):
            if v is None or v in memo:
                continue
            if remove_duplicate:
                memo.add(v)
            yield module_prefix + ("." if module_prefix else "") + k, v


def parameters(self: Any, recurse: bool = True) -> Iterator[Parameter]:
    """An iterator over the parameters (of submodules too, unless ``recurse=False``);
    a parameter shared by several modules appears once.

    Examples:
        >>> import ember
        >>> [tuple(p.shape) for p in ember.nn.Linear(3, 2).parameters()]
        [(2, 3), (2,)]
    """
    for _, param in self.named_parameters(recurse=recurse):
        yield param


def named_parameters(self: Any, prefix: str = "", recurse: bool = True,
                     remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
    """``(dotted name, parameter)`` pairs; see :meth:`parameters`."""
    yield from self._named_members(lambda m: m._parameters.items(), prefix=prefix,
                                   recurse=recurse, remove_duplicate=remove_duplicate)


def buffers(self: Any, recurse: bool = True) -> Iterator[Tensor]:
    """An iterator over the buffers (of submodules too, unless ``recurse=False``)."""
    for _, buf in self.named_buffers(recurse=recurse):
        yield buf


def named_buffers(self: Any, prefix: str = "", recurse: bool = True,
                  remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
    """``(dotted name, buffer)`` pairs; see :meth:`buffers`."""
    yield from self._named_members(lambda m: m._buffers.items(), prefix=prefix,
                                   recurse=recurse, remove_duplicate=remove_duplicate)


def children(self: Any) -> Iterator[Any]:
    """An iterator over the immediate child modules."""
    for _, module in self.named_children():
        yield module


def named_children(self: Any) -> Iterator[tuple[str, Any]]:
    """``(name, child)`` pairs for the immediate children (each child once)."""
    memo: set = set()
    for name, module in self._modules.items():
        if module is not None and module not in memo:
            memo.add(module)
            yield name, module


def modules(self: Any, remove_duplicate: bool = True) -> Iterator[Any]:
    """An iterator over all modules in the tree, this one first (pre-order)."""
    for _, module in self.named_modules(remove_duplicate=remove_duplicate):
        yield module


def named_modules(self: Any, memo: set | None = None, prefix: str = "",
                  remove_duplicate: bool = True) -> Iterator[tuple[str, Any]]:
    """``(dotted name, module)`` pairs for all modules in the tree, this one (``''``)
    first."""
    if memo is None:
        memo = set()
    if self in memo:
        return
    if remove_duplicate:
        memo.add(self)
    yield prefix, self
    for name, module in self._modules.items():
        if module is None:
            continue
        yield from module.named_modules(memo, prefix + ("." if prefix else "") + name,
                                        remove_duplicate)
