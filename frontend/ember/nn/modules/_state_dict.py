"""``Module.state_dict`` and ``Module.load_state_dict``, with their hooks.

# NOTE [ State dict order ]
Keys follow registration order, module by module in pre-order: a module's own parameters,
then its persistent buffers, then (recursively) each child under ``name.``. So
``Sequential(Linear, ReLU, Linear)`` gives ``0.weight, 0.bias, 2.weight, 2.bias``, the same
keys and order as PyTorch, and checkpoints map one to one.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict, namedtuple
from collections.abc import Callable, Mapping
from typing import Any

import ember
from ember import Tensor

from ._hooks import RemovableHandle

__all__ = ["_IncompatibleKeys"]

_EXTRA_STATE_KEY_SUFFIX = "_extra_state"


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What :meth:`Module.load_state_dict` returns: the keys it missed and the keys it did
    not expect."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _has_own(module: Any, name: str) -> bool:
    from .module import Module

    return getattr(type(module), name) is not getattr(Module, name)


def _save_to_state_dict(self: Any, destination: dict, prefix: str, keep_vars: bool) -> None:
    """Save this module's own parameters and persistent buffers (not its children's)."""
    for name, param in self._parameters.items():
        if param is not None:
            destination[prefix + name] = param if keep_vars else param.detach()
    for name, buf in self._buffers.items():
        if buf is not None and name not in self._non_persistent_buffers_set:
            destination[prefix + name] = buf if keep_vars else buf.detach()
    if _has_own(self, "get_extra_state"):
        destination[prefix + _EXTRA_STATE_KEY_SUFFIX] = self.get_extra_state()


def state_dict(self: Any, *args: Any, destination: Any = None, prefix: str = "",
               keep_vars: bool = False) -> dict[str, Any]:
    """A dictionary holding the whole state of the module: parameters and persistent
    buffers, keyed by their dotted names (NOTE [ State dict order ]).

    Args:
        destination (dict, optional): a dict to update and return. Default: a new
            ``OrderedDict``.
        prefix (str, optional): prepended to every key. Default: ``''``.
        keep_vars (bool, optional): keep the tensors attached to autograd (the Parameters
            themselves) instead of detached views of their data. Default: ``False``.

    Examples:
        >>> import ember
        >>> list(ember.nn.Linear(2, 3).state_dict())
        ['weight', 'bias']
    """
    if args:
        if destination is None:
            destination = args[0]
        if len(args) > 1 and prefix == "":
            prefix = args[1]
        if len(args) > 2 and keep_vars is False:
            keep_vars = args[2]
    if destination is None:
        destination = OrderedDict()
        destination._metadata = OrderedDict()
    local_metadata = dict(version=self._version)
    if hasattr(destination, "_metadata"):
        destination._metadata[prefix[:-1]] = local_metadata
    for hook in self._state_dict_pre_hooks.values():
        hook(self, prefix, keep_vars)
    self._save_to_state_dict(destination, prefix, keep_vars)
    for name, module in self._modules.items():
        if module is not None:
            module.state_dict(destination=destination, prefix=prefix + name + ".",
                              keep_vars=keep_vars)
    for hook in self._state_dict_hooks.values():
        result = hook(self, destination, prefix, local_metadata)
        if getattr(hook, "_from_public_api", False):
            if result is not None:
                raise RuntimeError("state_dict post-hook must return None")
        elif result is not None:
            destination = result
    return destination


def _load_from_state_dict(self: Any, state_dict: dict, prefix: str, local_metadata: dict,
                          strict: bool, missing_keys: list, unexpected_keys: list,
                          error_msgs: list) -> None:
    """Copy this module's own parameters and buffers from ``state_dict`` (not its
    children's), collecting missing/unexpected keys and error messages."""
    for hook in self._load_state_dict_pre_hooks.values():
        hook(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
             error_msgs)
    persistent = {k: v for k, v in self._buffers.items()
                  if k not in self._non_persistent_buffers_set}
    local_state = {k: v for k, v in itertools.chain(self._parameters.items(), persistent.items())
                   if v is not None}
    assign = local_metadata.get("assign_to_params_buffers", False)
    for name, param in local_state.items():
        key = prefix + name
        if key not in state_dict:
            if strict:
                missing_keys.append(key)
            continue
        value = state_dict[key]
        if not isinstance(value, Tensor):
            error_msgs.append(f'While copying the parameter named "{key}", expected '
                              f"ember.Tensor or Tensor-like object from checkpoint but "
                              f"received {type(value)}")
            continue
        if param.dim() == 0 and value.dim() == 1 and value.shape[0] == 1:
            value = value[0]  # a 1-element checkpoint entry for a 0-d parameter
        if value.shape != param.shape:
            error_msgs.append(f"size mismatch for {key}: copying a param with shape "
                              f"{value.shape} from checkpoint, the shape in current model is "
                              f"{param.shape}.")
            continue
        try:
            with ember.no_grad():
                if assign:
                    _assign(self, name, param, value)
                else:
                    param.copy_(value)
        except Exception as ex:  # noqa: BLE001 - reported together with the other errors
            error_msgs.append(f'While copying the parameter named "{key}", whose dimensions '
                              f"in the model are {param.size()} and whose dimensions in the "
                              f"checkpoint are {value.size()}, an exception occurred : "
                              f"{ex.args}.")
    extra_key = prefix + _EXTRA_STATE_KEY_SUFFIX
    if _has_own(self, "set_extra_state"):
        if extra_key in state_dict:
            self.set_extra_state(state_dict[extra_key])
        elif strict:
            missing_keys.append(extra_key)
    elif strict and extra_key in state_dict:
        unexpected_keys.append(extra_key)
    if strict:
        for key in state_dict:
            if key.startswith(prefix) and key != extra_key:
                head = key[len(prefix):].split(".", 1)
                if len(head) > 1:
                    if head[0] not in self._modules:
                        unexpected_keys.append(key)
                elif head[0] not in local_state:
                    unexpected_keys.append(key)


def _assign(module: Any, name: str, param: Tensor, value: Tensor) -> None:
    from ..parameter import Parameter

    if isinstance(param, Parameter):
        if isinstance(value, Parameter):
            value.requires_grad_(param.requires_grad)
        else:
            value = Parameter(value, requires_grad=param.requires_grad)
    setattr(module, name, value)


def load_state_dict(self: Any, state_dict: Mapping[str, Any], strict: bool = True,
                    assign: bool = False) -> _IncompatibleKeys:
    """Copy parameters and buffers from ``state_dict`` into this module and its
    descendants, in place and without recording autograd.

    Args:
        state_dict (dict): parameters and persistent buffers, keyed as :meth:`state_dict`
            keys them.
        strict (bool, optional): require the keys to match this module's
            :meth:`state_dict` keys exactly. Default: ``True``
        assign (bool, optional): assign the checkpoint's tensors instead of copying into
            the existing ones (parameters keep their ``requires_grad``). Default: ``False``

    Returns:
        ``NamedTuple`` with ``missing_keys`` and ``unexpected_keys`` fields.

    Raises:
        RuntimeError: listing missing and unexpected keys (with ``strict=True``) and size
        mismatches, in PyTorch's wording.

    Examples:
        >>> import ember
        >>> a, b = ember.nn.Linear(2, 2), ember.nn.Linear(2, 2)
        >>> b.load_state_dict(a.state_dict())
        <All keys matched successfully>
    """
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
    missing_keys: list[str] = []
    unexpected_keys: list[str] = []
    error_msgs: list[str] = []
    metadata = getattr(state_dict, "_metadata", None)
    state_dict = OrderedDict(state_dict)
    if metadata is not None:
        state_dict._metadata = metadata

    def load(module: Any, local_state: dict, prefix: str = "") -> None:
        local_metadata = {} if metadata is None else dict(metadata.get(prefix[:-1], {}))
        if assign:
            local_metadata["assign_to_params_buffers"] = assign
        module._load_from_state_dict(local_state, prefix, local_metadata, True, missing_keys,
                                     unexpected_keys, error_msgs)
        for name, child in module._modules.items():
            if child is not None:
                child_prefix = prefix + name + "."
                load(child, {k: v for k, v in local_state.items()
                             if k.startswith(child_prefix)}, child_prefix)
        incompatible = _IncompatibleKeys(missing_keys, unexpected_keys)
        for hook in module._load_state_dict_post_hooks.values():
            if hook(module, incompatible) is not None:
                raise AssertionError(
                    "Hooks registered with ``register_load_state_dict_post_hook`` are not "
                    "expected to return new values, if incompatible_keys need to be modified, "
                    "it should be done inplace.")

    load(self, state_dict)
    if strict:
        if unexpected_keys:
            error_msgs.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                ", ".join(f'"{k}"' for k in unexpected_keys)))
        if missing_keys:
            error_msgs.insert(0, "Missing key(s) in state_dict: {}. ".format(
                ", ".join(f'"{k}"' for k in missing_keys)))
    if error_msgs:
        raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
            self.__class__.__name__, "\n\t".join(error_msgs)))
    return _IncompatibleKeys(missing_keys, unexpected_keys)


def register_state_dict_pre_hook(self: Any, hook: Callable) -> RemovableHandle:
    """Run ``hook(module, prefix, keep_vars)`` before :meth:`state_dict` saves this module."""
    handle = RemovableHandle(self._state_dict_pre_hooks)
    self._state_dict_pre_hooks[handle.id] = hook
    return handle


def register_state_dict_post_hook(self: Any, hook: Callable) -> RemovableHandle:
    """Run ``hook(module, state_dict, prefix, local_metadata)`` after :meth:`state_dict`
    saved this module; it may modify ``state_dict`` in place and must return None."""
    hook._from_public_api = True
    handle = RemovableHandle(self._state_dict_hooks)
    self._state_dict_hooks[handle.id] = hook
    return handle


def register_load_state_dict_pre_hook(self: Any, hook: Callable) -> RemovableHandle:
    """Run ``hook(module, state_dict, prefix, local_metadata, strict, missing_keys,
    unexpected_keys, error_msgs)`` before this module loads its part of a state dict."""
    handle = RemovableHandle(self._load_state_dict_pre_hooks)
    module_ref = _weak(self)

    def wrapped(*args: Any) -> Any:
        return hook(module_ref(), *args)

    self._load_state_dict_pre_hooks[handle.id] = wrapped
    return handle


def register_load_state_dict_post_hook(self: Any, hook: Callable) -> RemovableHandle:
    """Run ``hook(module, incompatible_keys)`` after :meth:`load_state_dict` loaded this
    module; it may edit ``incompatible_keys`` in place and must return None."""
    handle = RemovableHandle(self._load_state_dict_post_hooks)
    self._load_state_dict_post_hooks[handle.id] = hook
    return handle


def _weak(module: Any) -> Callable[[], Any]:
    import weakref

    return weakref.ref(module)
