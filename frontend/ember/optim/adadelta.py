"""Adadelta: an adaptive learning rate from running averages of updates and gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ember

from ._utils import _check_lr, _check_nonneg, _gather, _get_value, _use_grad_for_differentiable
from .optimizer import Optimizer, ParamsT

__all__ = ["Adadelta", "adadelta"]


class Adadelta(Optimizer):
    r"""Adadelta (Zeiler, 2012).

    State ``square_avg`` :math:`v \leftarrow \rho v + (1-\rho) g^2` and ``acc_delta``
    :math:`u \leftarrow \rho u + (1-\rho)\Delta^2` where
    :math:`\Delta = g\sqrt{u + \epsilon} / \sqrt{v + \epsilon}`; the step is
    :math:`\theta \leftarrow \theta - \gamma\Delta`.

    Args:
        params (iterable): parameters or named parameters to optimize, or parameter groups.
        lr (float, optional): coefficient that scales delta. Default: ``1.0``.
        rho (float, optional): running-average coefficient. Default: ``0.9``.
        eps (float, optional): added for numerical stability. Default: ``1e-6``.
        weight_decay (float, optional): L2 penalty. Default: ``0``.
        foreach, capturable (bool, optional): accepted for compatibility.
        maximize (bool, optional): maximize the objective instead. Default: ``False``.
        differentiable (bool, optional): run ``step`` with autograd on. Default: ``False``.

    Examples:
        >>> w = ember.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = ember.optim.Adadelta([w])
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w.shape
        ember.Size([2])
    """

    def __init__(self, params: ParamsT, lr: float | ember.Tensor = 1.0, rho: float = 0.9,
                 eps: float = 1e-6, weight_decay: float = 0, foreach: bool | None = None, *,
                 capturable: bool = False, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        _check_nonneg("epsilon", eps)
        _check_nonneg("weight_decay", weight_decay)
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "capturable": capturable, "foreach": foreach,
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
            params, grads, (square_avgs, acc_deltas), state_steps = _gather(
                self.state, group, ("square_avg", "acc_delta"))
            adadelta(params, grads, square_avgs, acc_deltas, state_steps, lr=group["lr"],
                     rho=group["rho"], eps=group["eps"], weight_decay=group["weight_decay"],
                     maximize=group["maximize"])
        return loss


def adadelta(params: list[ember.Tensor], grads: list[ember.Tensor],
             square_avgs: list[ember.Tensor], acc_deltas: list[ember.Tensor],
             state_steps: list[ember.Tensor], *, lr: float | ember.Tensor, rho: float,
             eps: float, weight_decay: float, maximize: bool, **_ignored: Any) -> None:
    """The Adadelta update over lists of tensors. See :class:`Adadelta`."""
    lr = _get_value(lr)
    for param, grad, square_avg, acc_delta, step in zip(params, grads, square_avgs,
                                                        acc_deltas, state_steps):
        step.add_(1)
        grad = grad if not maximize else -grad
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
        std = square_avg.add(eps).sqrt_()
        delta = acc_delta.add(eps).sqrt_()
        delta.div_(std).mul_(grad)
        acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
        param.add_(delta, alpha=-lr)
