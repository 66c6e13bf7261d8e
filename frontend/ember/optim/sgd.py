"""Stochastic gradient descent, with optional momentum and Nesterov momentum."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ember

from ._utils import _check_lr, _check_nonneg, _get_value, _use_grad_for_differentiable
from .optimizer import Optimizer, ParamsT

__all__ = ["SGD", "sgd"]


class SGD(Optimizer):
    r"""Stochastic gradient descent (optionally with momentum).

    With momentum :math:`\mu` and dampening :math:`\tau`, each step does
    :math:`g \leftarrow g + \lambda\theta`, :math:`b \leftarrow \mu b + (1 - \tau) g`
    (:math:`b = g` on the first step), then :math:`\theta \leftarrow \theta - \gamma b`
    (or :math:`\theta - \gamma (g + \mu b)` with ``nesterov``).

    Args:
        params (iterable): parameters or named parameters to optimize, or parameter groups.
        lr (float, optional): learning rate. Default: ``1e-3``.
        momentum (float, optional): momentum factor. Default: ``0``.
        dampening (float, optional): dampening for momentum. Default: ``0``.
        weight_decay (float, optional): L2 penalty. Default: ``0``.
        nesterov (bool, optional): use Nesterov momentum. Default: ``False``.
        maximize (bool, optional): maximize the objective instead. Default: ``False``.
        foreach (bool, optional): accepted for compatibility; Ember runs one loop.
        differentiable (bool, optional): run ``step`` with autograd on. Default: ``False``.
        fused (bool, optional): accepted for compatibility; Ember runs one loop.

    Examples:
        >>> w = ember.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = ember.optim.SGD([w], lr=0.1, momentum=0.9)
        >>> opt.zero_grad()
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w
        tensor([ 0.8000, -1.6000], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float | ember.Tensor = 1e-3, momentum: float = 0,
                 dampening: float = 0, weight_decay: float = 0, nesterov: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        _check_lr(lr)
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        _check_nonneg("weight_decay", weight_decay)
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        if fused and differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    @_use_grad_for_differentiable
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform a single optimization step.

        Args:
            closure (Callable, optional): re-evaluates the model and returns the loss.
        """
        loss = None
        if closure is not None:
            with ember.enable_grad():
                loss = closure()
        for group in self.param_groups:
            params, grads, bufs = [], [], []
            for p in group["params"]:
                if p.grad is not None:
                    params.append(p)
                    grads.append(p.grad)
                    if group["momentum"] != 0:
                        bufs.append(self.state[p].get("momentum_buffer"))
            sgd(params, grads, bufs, weight_decay=group["weight_decay"],
                momentum=group["momentum"], lr=group["lr"], dampening=group["dampening"],
                nesterov=group["nesterov"], maximize=group["maximize"])
            if group["momentum"] != 0:
                for p, buf in zip(params, bufs):
                    self.state[p]["momentum_buffer"] = buf
        return loss


def sgd(params: list[ember.Tensor], d_p_list: list[ember.Tensor],
        momentum_buffer_list: list[ember.Tensor | None], *, weight_decay: float,
        momentum: float, lr: float | ember.Tensor, dampening: float, nesterov: bool,
        maximize: bool, **_ignored: Any) -> None:
    """The SGD update over lists of tensors; fills in ``momentum_buffer_list`` on first use.

    See :class:`SGD` for the algorithm.
    """
    lr = _get_value(lr)
    for i, param in enumerate(params):
        grad = d_p_list[i] if not maximize else -d_p_list[i]
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        if momentum != 0:
            buf = momentum_buffer_list[i]
            if buf is None:
                buf = grad.detach().clone()
                momentum_buffer_list[i] = buf
            else:
                buf.mul_(momentum).add_(grad, alpha=1 - dampening)
            grad = grad.add(buf, alpha=momentum) if nesterov else buf
        param.add_(grad, alpha=-lr)
