"""Module hooks: the removable handle, the global hook tables, and ``Module.__call__``.

# NOTE [ Forward hooks ]
``module(*args, **kwargs)`` runs, in order: global forward pre-hooks, the module's forward
pre-hooks (``hook(module, args)`` or, registered ``with_kwargs``, ``hook(module, args,
kwargs)``; a non-None return replaces the inputs), ``forward``, then global and module
forward hooks (``hook(module, args, output)`` / ``hook(module, args, kwargs, output)``; a
non-None return replaces the output). Hooks registered ``always_call=True`` also run when
``forward`` raises. Backward hooks wrap the inputs and outputs (NOTE [ Full backward hooks ]
in ``_backward_hooks``). With no hooks at all, ``__call__`` is a direct call of
``forward``.
"""

from __future__ import annotations

import itertools
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

__all__ = [
    "RemovableHandle",
    "register_module_forward_pre_hook",
    "register_module_forward_hook",
    "register_module_buffer_registration_hook",
    "register_module_module_registration_hook",
    "register_module_parameter_registration_hook",
]

_global_buffer_registration_hooks: dict[int, Callable] = OrderedDict()
_global_module_registration_hooks: dict[int, Callable] = OrderedDict()
_global_parameter_registration_hooks: dict[int, Callable] = OrderedDict()
_global_forward_pre_hooks: dict[int, Callable] = OrderedDict()
_global_forward_hooks: dict[int, Callable] = OrderedDict()
_global_forward_hooks_always_called: dict[int, bool] = OrderedDict()
_global_forward_hooks_with_kwargs: dict[int, bool] = OrderedDict()


class RemovableHandle:
    """A handle to a registered hook: ``handle.remove()`` unregisters it.

    Also a context manager that removes the hook on exit.

    Args:
        hooks_dict (dict): the dictionary of hooks, keyed by handle id.
        extra_dict (dict or list of dict, optional): more dictionaries keyed by the same id
            (e.g. per-hook flags) that are cleaned up together with ``hooks_dict``.

    Examples:
        >>> import ember
        >>> m = ember.nn.Identity()
        >>> h = m.register_forward_hook(lambda mod, args, out: out * 2)
        >>> m(ember.ones(1))
        tensor([2.])
        >>> h.remove()
        >>> m(ember.ones(1))
        tensor([1.])
    """

    _next_id = itertools.count()

    def __init__(self, hooks_dict: Any, *, extra_dict: Any = None) -> None:
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = next(RemovableHandle._next_id)
        if isinstance(extra_dict, dict):
            extra_dict = [extra_dict]
        self.extra_dict_ref = tuple(weakref.ref(d) for d in (extra_dict or ()))

    def remove(self) -> None:
        """Unregister the hook (a no-op when it is already gone)."""
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            d = ref()
            if d is not None and self.id in d:
                del d[self.id]

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


def _register_global(table: dict, hook: Callable, extra: Any = None) -> RemovableHandle:
    handle = RemovableHandle(table, extra_dict=extra)
    table[handle.id] = hook
    return handle


def register_module_buffer_registration_hook(hook: Callable) -> RemovableHandle:
    """Run ``hook(module, name, buffer)`` at every buffer registration, on all modules; a
    non-None result replaces the buffer."""
    return _register_global(_global_buffer_registration_hooks, hook)


def register_module_module_registration_hook(hook: Callable) -> RemovableHandle:
    """Run ``hook(module, name, submodule)`` at every submodule registration; a non-None
    result replaces the submodule."""
    return _register_global(_global_module_registration_hooks, hook)


def register_module_parameter_registration_hook(hook: Callable) -> RemovableHandle:
    """Run ``hook(module, name, param)`` at every parameter registration; a non-None result
    replaces the parameter."""
    return _register_global(_global_parameter_registration_hooks, hook)


def register_module_forward_pre_hook(hook: Callable) -> RemovableHandle:
    """A forward pre-hook common to all modules, run before each module's own pre-hooks.

    ``hook(module, args) -> None or modified args``. Meant for debugging and profiling.
    """
    return _register_global(_global_forward_pre_hooks, hook)


def register_module_forward_hook(hook: Callable, *, with_kwargs: bool = False,
                                 always_call: bool = False) -> RemovableHandle:
    """A forward hook common to all modules, run before each module's own forward hooks.

    ``hook(module, args, output) -> None or modified output`` (``with_kwargs=True``:
    ``hook(module, args, kwargs, output)``). Meant for debugging and profiling.
    """
    handle = _register_global(_global_forward_hooks, hook,
                              [_global_forward_hooks_with_kwargs,
                               _global_forward_hooks_always_called])
    if with_kwargs:
        _global_forward_hooks_with_kwargs[handle.id] = True
    if always_call:
        _global_forward_hooks_always_called[handle.id] = True
    return handle


# ---------------------------------------------------------------- Module methods
def register_forward_pre_hook(self: Any, hook: Callable, *, prepend: bool = False,
                              with_kwargs: bool = False) -> RemovableHandle:
    """Register a hook run before :meth:`forward`.

    ``hook(module, args) -> None or modified input`` (a single returned value is wrapped
    in a tuple); with ``with_kwargs=True``: ``hook(module, args, kwargs) -> None or
    (new_args, new_kwargs)``. ``prepend=True`` runs it before the hooks already
    registered. Returns a handle whose ``remove()`` unregisters the hook.
    """
    handle = RemovableHandle(self._forward_pre_hooks,
                             extra_dict=self._forward_pre_hooks_with_kwargs)
    self._forward_pre_hooks[handle.id] = hook
    if with_kwargs:
        self._forward_pre_hooks_with_kwargs[handle.id] = True
    if prepend:
        self._forward_pre_hooks.move_to_end(handle.id, last=False)
    return handle


def register_forward_hook(self: Any, hook: Callable, *, prepend: bool = False,
                          with_kwargs: bool = False,
                          always_call: bool = False) -> RemovableHandle:
    """Register a hook run after :meth:`forward` has computed an output.

    ``hook(module, args, output) -> None or modified output``; with ``with_kwargs=True``:
    ``hook(module, args, kwargs, output)``. ``always_call=True`` runs the hook even when
    ``forward`` raises. Returns a handle whose ``remove()`` unregisters the hook.
    """
    handle = RemovableHandle(self._forward_hooks,
                             extra_dict=[self._forward_hooks_with_kwargs,
                                         self._forward_hooks_always_called])
    self._forward_hooks[handle.id] = hook
    if with_kwargs:
        self._forward_hooks_with_kwargs[handle.id] = True
    if always_call:
        self._forward_hooks_always_called[handle.id] = True
    if prepend:
        self._forward_hooks.move_to_end(handle.id, last=False)
    return handle


def _run_pre_hooks(self: Any, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    for hook_id, hook in (*_global_forward_pre_hooks.items(), *self._forward_pre_hooks.items()):
        if hook_id in self._forward_pre_hooks_with_kwargs:
            res = hook(self, args, kwargs)
            if res is not None:
                if isinstance(res, tuple) and len(res) == 2:
                    args, kwargs = res
                else:
                    raise RuntimeError("forward pre-hook must return None or a tuple of "
                                       f"(new_args, new_kwargs), but got {res}.")
        else:
            res = hook(self, args)
            if res is not None:
                args = res if isinstance(res, tuple) else (res,)
    return args, kwargs


def _run_hook(self: Any, hook_id: int, hook: Callable, args: tuple, kwargs: dict,
              result: Any) -> Any:
    if hook_id in self._forward_hooks_with_kwargs or hook_id in _global_forward_hooks_with_kwargs:
        out = hook(self, args, kwargs, result)
    else:
        out = hook(self, args, result)
    return result if out is None else out


def call_impl(self: Any, *args: Any, **kwargs: Any) -> Any:
    """``module(*args, **kwargs)``: :meth:`forward` wrapped in the hooks (NOTE [ Forward
    hooks ])."""
    if not (self._forward_hooks or self._forward_pre_hooks or _global_forward_hooks
            or _global_forward_pre_hooks or self._backward_hooks or self._backward_pre_hooks):
        return self.forward(*args, **kwargs)
    result = None
    called: set[int] = set()
    try:
        if _global_forward_pre_hooks or self._forward_pre_hooks:
            args, kwargs = _run_pre_hooks(self, args, kwargs)
        bw_hook = None
        if self._backward_hooks or self._backward_pre_hooks:
            from ._backward_hooks import BackwardHook

            bw_hook = BackwardHook(self)
            args = bw_hook.setup_input_hook(args)
        result = self.forward(*args, **kwargs)
        for hook_id, hook in (*_global_forward_hooks.items(), *self._forward_hooks.items()):
            called.add(hook_id)
            result = _run_hook(self, hook_id, hook, args, kwargs, result)
        if bw_hook is not None:
            result = bw_hook.setup_output_hook(result)
        return result
    except Exception:
        always = [(i, h) for i, h in _global_forward_hooks.items()
                  if i in _global_forward_hooks_always_called]
        always += [(i, h) for i, h in self._forward_hooks.items()
                   if i in self._forward_hooks_always_called]
        for hook_id, hook in always:
            if hook_id in called:
                continue
            try:
                result = _run_hook(self, hook_id, hook, args, kwargs, result)
            except Exception as e:  # noqa: BLE001 - the forward error is the one to raise
                warnings.warn("module forward hook with ``always_call=True`` raised an "
                              "exception that was silenced as another error was raised in "
                              f"forward: {e}", stacklevel=2)
        raise
