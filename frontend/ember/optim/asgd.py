"""ASGD: averaged stochastic gradient descent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ember

from ._utils import _check_lr, _check_nonneg, _get_value, _new_step, _use_grad_for_differentiable
from .optimizer import Optimizer, ParamsT

__all__ = ["ASGD", "asgd"]


class ASGD(Optimizer):
    r"""Averaged stochastic gradient descent (Polyak and Juditsky, 1992).

    Per parameter it keeps ``step``, ``eta`` (the current step size), ``mu`` (the averaging
    coefficient), all 0-d tensors, and ``ax``, the running average of the parameter. A step
    does :math:`\theta \leftarrow (1 - \lambda\eta)\theta - \eta g`, updates ``ax``, then
    :math:`\eta = \gamma / (1 + \lambda\gamma t)^\alpha` and :math:`\mu = 1 / \max(1, t - t_0)`.

    Args:
        params (iterable): parameters or named parameters to optimize, or parameter groups.
        lr (float, optional): learning rate. Default: ``1e-2``.
        lambd (float, optional): decay term. Default: ``1e-4``.
        alpha (float, optional): power for the eta update. Default: ``0.75``.
        t0 (float, optional): the step at which averaging starts. Default: ``1e6``.
        weight_decay (float, optional): L2 penalty. Default: ``0``.
        foreach, capturable (bool, optional): accepted for compatibility.
        maximize (bool, optional): maximize the objective instead. Default: ``False``.
        differentiable (bool, optional): run ``step`` with autograd on. Default: ``False``.

    Examples:
        >>> w = ember.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = ember.optim.ASGD([w], lr=0.1, lambd=0.0)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w
        tensor([ 0.8000, -1.6000], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float | ember.Tensor = 1e-2, lambd: float = 1e-4,
                 alpha: float = 0.75, t0: float = 1e6, weight_decay: float = 0,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        _check_lr(lr)
        _check_nonneg("weight_decay", weight_decay)
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0,
                    "weight_decay": weight_decay, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "capturable": capturable}
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
            params, grads, mus, axs, etas, state_steps = [], [], [], [], [], []
            for p in group["params"]:
                if p.grad is None:
                    continue
                params.append(p)
                grads.append(p.grad)
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step(device=p.device)
                    state["eta"] = _new_step(_get_value(group["lr"]), device=p.device)
                    state["mu"] = _new_step(1.0, device=p.device)
                    state["ax"] = ember.zeros_like(p)
                mus.append(state["mu"])
                axs.append(state["ax"])
                etas.append(state["eta"])
                state_steps.append(state["step"])
            asgd(params, grads, axs, mus, etas, state_steps, lambd=group["lambd"],
                 lr=group["lr"], t0=group["t0"], alpha=group["alpha"],
                 weight_decay=group["weight_decay"], maximize=group["maximize"])
        return loss


def asgd(params: list[ember.Tensor], grads: list[ember.Tensor], axs: list[ember.Tensor],
         mus: list[ember.Tensor], etas: list[ember.Tensor], state_steps: list[ember.Tensor], *,
         lambd: float, lr: float | ember.Tensor, t0: float, alpha: float, weight_decay: float,
         maximize: bool, **_ignored: Any) -> None:
    """The ASGD update over lists of tensors. See :class:`ASGD`."""
    lr = _get_value(lr)
    for i, param in enumerate(params):
        grad = grads[i] if not maximize else -grads[i]
        mu, ax, eta, step_t = mus[i], axs[i], etas[i], state_steps[i]
        step_t.add_(1)
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        eta_value = _get_value(eta)
        param.mul_(1 - lambd * eta_value)
        param.add_(grad, alpha=-eta_value)
        if mu.item() != 1:
            ax.add_(param.sub(ax).mul_(mu.item()))
        else:
            ax.copy_(param)
        step = _get_value(step_t)
        # As PyTorch: the new values pass through a default-dtype tensor (float32) even when
        # loading a state dict has made ``eta`` and ``mu`` float64.
        eta.copy_(ember.as_tensor(lr / ((1 + lambd * lr * step) ** alpha)))
        mu.copy_(ember.as_tensor(1 / max(1, step - t0)))
