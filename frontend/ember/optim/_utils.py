"""Helpers the optimizers share: scalar handling, the step counter, grad mode for ``step``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import ember

_F = TypeVar("_F", bound=Callable[..., Any])


def _get_value(x: Any) -> Any:
    """A Python number for a 0-d tensor (the way ``Tensor.item`` reads it); anything else as is."""
    return x.item() if isinstance(x, ember.Tensor) else x


def _to_scalar(x: Any) -> Any:
    """A one-element hyperparameter tensor squeezed to 0-d; floats pass through."""
    if isinstance(x, ember.Tensor) and x.dim() != 0:
        return x.squeeze()
    return x


def _scalar_dtype() -> ember.dtype:
    """The dtype of step counters and other scalar state: float64 only under that default."""
    return ember.float64 if ember.get_default_dtype() == ember.float64 else ember.float32


def _new_step(value: float = 0.0, device: Any = None) -> ember.Tensor:
    """A fresh 0-d scalar-state tensor (``state['step']``), float32 as PyTorch keeps it."""
    return ember.tensor(value, dtype=_scalar_dtype(), device=device)


def _neg_grad(grad: ember.Tensor, maximize: bool) -> ember.Tensor:
    """The gradient to descend: ``-grad`` when maximizing."""
    return -grad if maximize else grad


def _use_grad_for_differentiable(func: _F) -> _F:
    """Run ``step`` with grad mode set to the optimizer's ``differentiable`` option."""

    @functools.wraps(func)
    def _use_grad(self: Any, *args: Any, **kwargs: Any) -> Any:
        with ember.set_grad_enabled(bool(self.defaults.get("differentiable", False))):
            return func(self, *args, **kwargs)

    return _use_grad  # type: ignore[return-value]


def _check_lr(lr: Any) -> None:
    """The learning-rate checks every optimizer starts with."""
    if isinstance(lr, ember.Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def _check_betas(betas: Any) -> None:
    for i in (0, 1):
        if not 0.0 <= betas[i] < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {betas[i]}")


def _check_nonneg(name: str, value: Any) -> None:
    """``Invalid <name> value: <value>`` for a negative hyperparameter."""
    if not 0.0 <= value:
        raise ValueError(f"Invalid {name} value: {value}")


def _gather(state: Any, group: dict, names: tuple[str, ...]) -> tuple[list, list, list, list]:
    """The parameters of ``group`` that have a gradient, their gradients, one list per named
    state tensor (zeros on first use, created after ``step``, in PyTorch's key order) and the
    step counters -- the per-group bookkeeping of the simple optimizers."""
    params: list = []
    grads: list = []
    buffers: list[list] = [[] for _ in names]
    steps: list = []
    for p in group["params"]:
        if p.grad is None:
            continue
        params.append(p)
        grads.append(p.grad)
        st = state[p]
        if len(st) == 0:
            st["step"] = _new_step()
            for name in names:
                st[name] = ember.zeros_like(p)
        for name, out in zip(names, buffers):
            out.append(st[name])
        steps.append(st["step"])
    return params, grads, buffers, steps
