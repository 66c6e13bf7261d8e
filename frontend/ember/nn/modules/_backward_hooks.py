"""Module backward hooks: ``register_full_backward_pre_hook`` and
``register_full_backward_hook``.

# NOTE [ Full backward hooks ]
When a module has backward hooks, ``__call__`` passes the tensor arguments through an
identity :class:`ember.autograd.Function` before ``forward`` and the tensor outputs through
another one after it. In backward, the output identity sees the gradients w.r.t. the
outputs (``grad_output``): pre-hooks run there and may replace them. The input identity
then sees the gradients w.r.t. the inputs (``grad_input``): the hooks run there with
``(module, grad_input, grad_output)`` and may return a replacement ``grad_input``. When no
input requires grad, the hooks run at the output identity with ``grad_input`` all None (and
a warning, as PyTorch gives).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from ember import Tensor
from ember.autograd import Function

from ._hooks import RemovableHandle

__all__ = ["register_full_backward_hook", "register_full_backward_pre_hook", "BackwardHook"]


def register_full_backward_pre_hook(self: Any, hook: Callable, prepend: bool = False
                                    ) -> RemovableHandle:
    """Register ``hook(module, grad_output) -> None or new grad_output``, run when the
    gradients w.r.t. the module's outputs are computed (NOTE [ Full backward hooks ])."""
    handle = RemovableHandle(self._backward_pre_hooks)
    self._backward_pre_hooks[handle.id] = hook
    if prepend:
        self._backward_pre_hooks.move_to_end(handle.id, last=False)
    return handle


def register_full_backward_hook(self: Any, hook: Callable, prepend: bool = False
                                ) -> RemovableHandle:
    """Register ``hook(module, grad_input, grad_output) -> None or new grad_input``, run
    when the gradients w.r.t. the module's inputs are computed (NOTE [ Full backward
    hooks ]). ``grad_input`` has one entry per positional argument (None for non-tensors
    and tensors that do not require grad)."""
    handle = RemovableHandle(self._backward_hooks)
    self._backward_hooks[handle.id] = hook
    if prepend:
        self._backward_hooks.move_to_end(handle.id, last=False)
    return handle


def _as_tuple(x: Any) -> tuple:
    return x if isinstance(x, tuple) else (x,)


class BackwardHook:
    """Wires one call's inputs and outputs to the module's backward hooks."""

    def __init__(self, module: Any) -> None:
        self.module = module
        self.grad_output: tuple | None = None
        self.n_args = 0
        self.input_pos: list[int] = []  # positions of the tensors that require grad

    def _run_hooks(self, grad_input: tuple) -> tuple:
        for hook in list(self.module._backward_hooks.values()):
            out = hook(self.module, grad_input, self.grad_output)
            if out is not None:
                out = _as_tuple(out)
                if len(out) != len(grad_input):
                    raise RuntimeError(f"Backward hook returned an invalid number of grad_input, "
                                       f"got {len(out)}, but expected {len(grad_input)}")
                grad_input = out
        return grad_input

    def setup_input_hook(self, args: tuple) -> tuple:
        self.n_args = len(args)
        self.input_pos = [i for i, a in enumerate(args) if isinstance(a, Tensor)
                          and a.requires_grad]
        if not self.input_pos:
            return args
        hook = self

        class BackwardHookFunction(Function):
            @staticmethod
            def forward(ctx: Any, *tensors: Tensor) -> tuple:
                return tensors

            @staticmethod
            def backward(ctx: Any, *grads: Tensor) -> tuple:
                full = [None] * hook.n_args
                for pos, g in zip(hook.input_pos, grads):
                    full[pos] = g
                full_t = hook._run_hooks(tuple(full))
                return tuple(full_t[pos] for pos in hook.input_pos)

        wrapped = BackwardHookFunction.apply(*(args[i] for i in self.input_pos))
        out = list(args)
        for pos, t in zip(self.input_pos, wrapped):
            out[pos] = t
        return tuple(out)

    def setup_output_hook(self, result: Any) -> Any:
        outs = _as_tuple(result)
        pos = [i for i, o in enumerate(outs) if isinstance(o, Tensor) and o.requires_grad]
        if not pos:
            return result
        hook = self

        class BackwardHookFunction(Function):  # noqa: F811 - per call
            @staticmethod
            def forward(ctx: Any, *tensors: Tensor) -> tuple:
                return tensors

            @staticmethod
            def backward(ctx: Any, *grads: Tensor) -> tuple:
                full: list = [None] * len(outs)
                for p, g in zip(pos, grads):
                    full[p] = g
                grad_output = tuple(full)
                for pre in list(hook.module._backward_pre_hooks.values()):
                    new = pre(hook.module, grad_output)
                    if new is not None:
                        grad_output = _as_tuple(new)
                hook.grad_output = grad_output
                if not hook.input_pos and hook.module._backward_hooks:
                    warnings.warn("Full backward hook is firing when gradients are computed "
                                  "with respect to module outputs since no inputs require "
                                  "gradients.", stacklevel=2)
                    hook._run_hooks((None,) * hook.n_args)
                return tuple(grad_output[p] for p in pos)

        wrapped = BackwardHookFunction.apply(*(outs[i] for i in pos))
        new = list(outs)
        for p, t in zip(pos, wrapped):
            new[p] = t
        return tuple(new) if isinstance(result, tuple) else new[0]
