"""Rprop: resilient backpropagation, steps driven by the sign of the gradient."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ember

from ._utils import _check_lr, _get_value, _new_step, _use_grad_for_differentiable
from .optimizer import Optimizer, ParamsT

__all__ = ["Rprop", "rprop"]


class Rprop(Optimizer):
    r"""Rprop (Riedmiller and Braun, 1993).

    Each coordinate has its own ``step_size`` (state, starting at ``lr``): multiplied by
    :math:`\eta_+` while the gradient keeps its sign, by :math:`\eta_-` when it flips (and
    that step is skipped), clamped to ``step_sizes``.

    Args:
        params (iterable): parameters or named parameters to optimize, or parameter groups.
        lr (float, optional): the initial step size. Default: ``1e-2``.
        etas (tuple[float, float], optional): :math:`(\eta_-, \eta_+)`. Default: ``(0.5, 1.2)``.
        step_sizes (tuple[float, float], optional): minimal and maximal step sizes.
            Default: ``(1e-6, 50)``.
        capturable, foreach (bool, optional): accepted for compatibility.
        maximize (bool, optional): maximize the objective instead. Default: ``False``.
        differentiable (bool, optional): run ``step`` with autograd on. Default: ``False``.

    Examples:
        >>> w = ember.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = ember.optim.Rprop([w], lr=0.1)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w
        tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float | ember.Tensor = 1e-2,
                 etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable,
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
            params, grads, prevs, step_sizes, state_steps = [], [], [], [], []
            for p in group["params"]:
                if p.grad is None:
                    continue
                params.append(p)
                grads.append(p.grad)
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step()
                    state["prev"] = ember.zeros_like(p)
                    state["step_size"] = ember.full_like(p.grad, _get_value(group["lr"]))
                prevs.append(state["prev"])
                step_sizes.append(state["step_size"])
                state_steps.append(state["step"])
            etaminus, etaplus = group["etas"]
            step_size_min, step_size_max = group["step_sizes"]
            rprop(params, grads, prevs, step_sizes, state_steps, step_size_min=step_size_min,
                  step_size_max=step_size_max, etaminus=etaminus, etaplus=etaplus,
                  maximize=group["maximize"])
        return loss


def rprop(params: list[ember.Tensor], grads: list[ember.Tensor], prevs: list[ember.Tensor],
          step_sizes: list[ember.Tensor], state_steps: list[ember.Tensor], *,
          step_size_min: float, step_size_max: float, etaminus: float, etaplus: float,
          maximize: bool, **_ignored: Any) -> None:
    """The Rprop update over lists of tensors. See :class:`Rprop`."""
    for i, param in enumerate(params):
        grad = grads[i] if not maximize else -grads[i]
        prev, step_size = prevs[i], step_sizes[i]
        state_steps[i].add_(1)
        sign = grad.mul(prev).sign()
        # Exactly one mask is 1 per entry, so the sums select a factor without rounding.
        pos, neg = sign.gt(0).to(grad.dtype), sign.lt(0).to(grad.dtype)
        zero = sign.eq(0).to(grad.dtype)
        factor = pos.mul_(etaplus).add_(neg, alpha=etaminus).add_(zero)
        step_size.mul_(factor).clamp_(step_size_min, step_size_max)
        grad = ember.where(neg.bool(), ember.zeros_like(grad), grad)
        param.addcmul_(grad.sign(), step_size, value=-1)
        prev.copy_(grad)
