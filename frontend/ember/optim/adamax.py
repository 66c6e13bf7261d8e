"""Adamax: Adam with the infinity norm in place of the second moment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ember

from ._utils import (
    _check_betas,
    _check_lr,
    _check_nonneg,
    _gather,
    _get_value,
    _use_grad_for_differentiable,
)
from .optimizer import Optimizer, ParamsT

__all__ = ["Adamax", "adamax"]


class Adamax(Optimizer):
    r"""Adamax (Kingma and Ba, 2014, section 7).

    State ``exp_avg`` :math:`m` (as Adam's) and ``exp_inf``
    :math:`u \leftarrow \max(\beta_2 u, |g| + \epsilon)`; the step is
    :math:`\theta \leftarrow \theta - \gamma m / ((1 - \beta_1^t) u)`.

    Args:
        params (iterable): parameters or named parameters to optimize, or parameter groups.
        lr (float, optional): learning rate. Default: ``2e-3``.
        betas (tuple[float, float], optional): decay rates. Default: ``(0.9, 0.999)``.
        eps (float, optional): added for numerical stability. Default: ``1e-8``.
        weight_decay (float, optional): L2 penalty. Default: ``0``.
        foreach, capturable (bool, optional): accepted for compatibility.
        maximize (bool, optional): maximize the objective instead. Default: ``False``.
        differentiable (bool, optional): run ``step`` with autograd on. Default: ``False``.

    Examples:
        >>> w = ember.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = ember.optim.Adamax([w], lr=0.1)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w
        tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float | ember.Tensor = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False,
                 capturable: bool = False) -> None:
        _check_lr(lr)
        _check_nonneg("epsilon", eps)
        _check_betas(betas)
        _check_nonneg("weight_decay", weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

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
            params, grads, (exp_avgs, exp_infs), state_steps = _gather(
                self.state, group, ("exp_avg", "exp_inf"))
            beta1, beta2 = group["betas"]
            adamax(params, grads, exp_avgs, exp_infs, state_steps, eps=group["eps"],
                   beta1=beta1, beta2=beta2, lr=group["lr"],
                   weight_decay=group["weight_decay"], maximize=group["maximize"])
        return loss


def adamax(params: list[ember.Tensor], grads: list[ember.Tensor], exp_avgs: list[ember.Tensor],
           exp_infs: list[ember.Tensor], state_steps: list[ember.Tensor], *, eps: float,
           beta1: float, beta2: float, lr: float | ember.Tensor, weight_decay: float,
           maximize: bool, **_ignored: Any) -> None:
    """The Adamax update over lists of tensors. See :class:`Adamax`."""
    lr = _get_value(lr)
    for i, param in enumerate(params):
        grad = grads[i] if not maximize else -grads[i]
        exp_avg, exp_inf, step_t = exp_avgs[i], exp_infs[i], state_steps[i]
        step_t.add_(1)
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        exp_avg.lerp_(grad, 1 - beta1)
        exp_inf.mul_(beta2).maximum_(grad.abs().add_(eps))
        clr = lr / (1 - beta1 ** _get_value(step_t))
        param.addcdiv_(exp_avg, exp_inf, value=-clr)
