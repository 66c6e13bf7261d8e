"""RMSprop: divide the gradient by a running root mean square of recent gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ember

from ._utils import _check_lr, _check_nonneg, _get_value, _new_step, _use_grad_for_differentiable
from .optimizer import Optimizer, ParamsT

__all__ = ["RMSprop", "rmsprop"]


class RMSprop(Optimizer):
    r"""RMSprop (Hinton's lecture notes; centered version of Graves, 2013).

    Keeps ``square_avg`` :math:`v \leftarrow \alpha v + (1-\alpha) g^2` and steps by
    :math:`\gamma g / (\sqrt{v} + \epsilon)`; ``centered`` subtracts the squared running mean
    of the gradient (``grad_avg``) first, ``momentum`` accumulates the step in
    ``momentum_buffer``.

    Args:
        params (iterable): parameters or named parameters to optimize, or parameter groups.
        lr (float, optional): learning rate. Default: ``1e-2``.
        alpha (float, optional): smoothing constant. Default: ``0.99``.
        eps (float, optional): added to the denominator. Default: ``1e-8``.
        weight_decay (float, optional): L2 penalty. Default: ``0``.
        momentum (float, optional): momentum factor. Default: ``0``.
        centered (bool, optional): normalize by an estimate of the gradient's variance.
            Default: ``False``.
        capturable, foreach (bool, optional): accepted for compatibility.
        maximize (bool, optional): maximize the objective instead. Default: ``False``.
        differentiable (bool, optional): run ``step`` with autograd on. Default: ``False``.

    Examples:
        >>> w = ember.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = ember.optim.RMSprop([w], lr=0.01, momentum=0.9, centered=True)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w.shape
        ember.Size([2])
    """

    def __init__(self, params: ParamsT, lr: float | ember.Tensor = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check_lr(lr)
        _check_nonneg("epsilon", eps)
        _check_nonneg("momentum", momentum)
        _check_nonneg("weight_decay", weight_decay)
        _check_nonneg("alpha", alpha)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay,
                    "capturable": capturable, "foreach": foreach, "maximize": maximize,
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
            params, grads, square_avgs, grad_avgs, bufs, steps = [], [], [], [], [], []
            for p in group["params"]:
                if p.grad is None:
                    continue
                params.append(p)
                grads.append(p.grad)
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step()
                    state["square_avg"] = ember.zeros_like(p)
                    if group["momentum"] > 0:
                        state["momentum_buffer"] = ember.zeros_like(p)
                    if group["centered"]:
                        state["grad_avg"] = ember.zeros_like(p)
                square_avgs.append(state["square_avg"])
                steps.append(state["step"])
                if group["momentum"] > 0:
                    bufs.append(state["momentum_buffer"])
                if group["centered"]:
                    grad_avgs.append(state["grad_avg"])
            rmsprop(params, grads, square_avgs, grad_avgs, bufs, steps, lr=group["lr"],
                    alpha=group["alpha"], eps=group["eps"], weight_decay=group["weight_decay"],
                    momentum=group["momentum"], centered=group["centered"],
                    maximize=group["maximize"])
        return loss


def rmsprop(params: list[ember.Tensor], grads: list[ember.Tensor],
            square_avgs: list[ember.Tensor], grad_avgs: list[ember.Tensor],
            momentum_buffer_list: list[ember.Tensor], state_steps: list[ember.Tensor], *,
            lr: float | ember.Tensor, alpha: float, eps: float, weight_decay: float,
            momentum: float, centered: bool, maximize: bool, **_ignored: Any) -> None:
    """The RMSprop update over lists of tensors. See :class:`RMSprop`."""
    lr = _get_value(lr)
    for i, param in enumerate(params):
        grad = grads[i] if not maximize else -grads[i]
        square_avg = square_avgs[i]
        state_steps[i].add_(1)
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
        if centered:
            grad_avg = grad_avgs[i]
            grad_avg.lerp_(grad, 1 - alpha)
            avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
        else:
            avg = square_avg.sqrt()
        avg = avg.add_(eps)
        if momentum > 0:
            buf = momentum_buffer_list[i]
            buf.mul_(momentum).addcdiv_(grad, avg)
            param.add_(buf, alpha=-lr)
        else:
            param.addcdiv_(grad, avg, value=-lr)
