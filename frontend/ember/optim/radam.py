"""RAdam: Adam with a rectified adaptive learning rate."""

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

__all__ = ["RAdam", "radam"]


class RAdam(Optimizer):
    r"""RAdam (Liu et al., 2019): rectifies Adam's variance while few steps are in.

    The moments are Adam's (state ``step``, ``exp_avg``, ``exp_avg_sq``); while the
    approximated SMA length :math:`\rho_t` is at most 5 the step is plain momentum SGD
    with the bias-corrected first moment, afterwards Adam's step times the rectification term.

    Args:
        params (iterable): parameters or named parameters to optimize, or parameter groups.
        lr (float, optional): learning rate. Default: ``1e-3``.
        betas (tuple[float, float], optional): decay rates. Default: ``(0.9, 0.999)``.
        eps (float, optional): added to the denominator. Default: ``1e-8``.
        weight_decay (float, optional): weight decay. Default: ``0``.
        decoupled_weight_decay (bool, optional): decay the weights directly (as AdamW).
            Default: ``False``.
        foreach, capturable (bool, optional): accepted for compatibility.
        maximize (bool, optional): maximize the objective instead. Default: ``False``.
        differentiable (bool, optional): run ``step`` with autograd on. Default: ``False``.

    Examples:
        >>> w = ember.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = ember.optim.RAdam([w], lr=0.1)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w
        tensor([ 0.8000, -1.6000], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float | ember.Tensor = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        _check_lr(lr)
        _check_nonneg("epsilon", eps)
        _check_betas(betas)
        _check_nonneg("weight_decay", weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "decoupled_weight_decay": decoupled_weight_decay,
                    "differentiable": differentiable}
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
            params, grads, (exp_avgs, exp_avg_sqs), state_steps = _gather(
                self.state, group, ("exp_avg", "exp_avg_sq"))
            beta1, beta2 = group["betas"]
            radam(params, grads, exp_avgs, exp_avg_sqs, state_steps, beta1=beta1, beta2=beta2,
                  lr=group["lr"], weight_decay=group["weight_decay"], eps=group["eps"],
                  maximize=group["maximize"],
                  decoupled_weight_decay=group["decoupled_weight_decay"])
        return loss


def radam(params: list[ember.Tensor], grads: list[ember.Tensor], exp_avgs: list[ember.Tensor],
          exp_avg_sqs: list[ember.Tensor], state_steps: list[ember.Tensor], *, beta1: float,
          beta2: float, lr: float | ember.Tensor, weight_decay: float, eps: float,
          maximize: bool, decoupled_weight_decay: bool = False, **_ignored: Any) -> None:
    """The RAdam update over lists of tensors. See :class:`RAdam`."""
    lr = _get_value(lr)
    rho_inf = 2 / (1 - beta2) - 1
    for i, param in enumerate(params):
        grad = grads[i] if not maximize else -grads[i]
        exp_avg, exp_avg_sq, step_t = exp_avgs[i], exp_avg_sqs[i], state_steps[i]
        step_t.add_(1)
        step = _get_value(step_t)
        if weight_decay != 0:
            if decoupled_weight_decay:
                param.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(param, alpha=weight_decay)
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        bias_corrected_exp_avg = exp_avg / bias_correction1
        rho_t = rho_inf - 2 * step * (beta2**step) / bias_correction2
        if rho_t > 5.0:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                    / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            adaptive_lr = (bias_correction2**0.5) / exp_avg_sq.sqrt().add_(eps)
            param.add_(bias_corrected_exp_avg * lr * adaptive_lr * rect, alpha=-1.0)
        else:
            param.add_(bias_corrected_exp_avg * lr, alpha=-1.0)
