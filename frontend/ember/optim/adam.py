"""Adam and AdamW (Adam with decoupled weight decay)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ember

from ._adam_fast import adam_update
from ._utils import (
    _check_betas,
    _check_lr,
    _check_nonneg,
    _get_value,
    _new_step,
    _to_scalar,
    _use_grad_for_differentiable,
)
from .optimizer import Optimizer, ParamsT

__all__ = ["Adam", "AdamW", "adam"]


class Adam(Optimizer):
    r"""Adam: adaptive moment estimation (Kingma and Ba, 2014).

    Per parameter it keeps ``step`` (a 0-d float32 tensor), ``exp_avg`` (:math:`m`),
    ``exp_avg_sq`` (:math:`v`) and, with ``amsgrad``, ``max_exp_avg_sq``. A step does
    :math:`m \leftarrow \beta_1 m + (1-\beta_1) g`, :math:`v \leftarrow \beta_2 v + (1-\beta_2) g^2`
    and :math:`\theta \leftarrow \theta - \gamma \hat m / (\sqrt{\hat v} + \epsilon)` with the
    bias-corrected moments.

    Args:
        params (iterable): parameters or named parameters to optimize, or parameter groups.
        lr (float, optional): learning rate. Default: ``1e-3``.
        betas (tuple[float, float], optional): decay rates of the two moments.
            Default: ``(0.9, 0.999)``.
        eps (float, optional): added to the denominator. Default: ``1e-8``.
        weight_decay (float, optional): L2 penalty (decoupled with
            ``decoupled_weight_decay``). Default: ``0``.
        amsgrad (bool, optional): use the AMSGrad variant. Default: ``False``.
        foreach, capturable, fused (bool, optional): accepted for compatibility; Ember runs
            one loop.
        maximize (bool, optional): maximize the objective instead. Default: ``False``.
        differentiable (bool, optional): run ``step`` with autograd on. Default: ``False``.
        decoupled_weight_decay (bool, optional): decay the weights directly (AdamW).
            Default: ``False``.

    Examples:
        >>> w = ember.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = ember.optim.Adam([w], lr=0.1)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w
        tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float | ember.Tensor = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None,
                 decoupled_weight_decay: bool = False) -> None:
        _check_lr(lr)
        _check_nonneg("epsilon", eps)
        _check_betas(betas)
        _check_nonneg("weight_decay", weight_decay)
        if not (all(isinstance(b, float) for b in betas)
                or all(isinstance(b, ember.Tensor) for b in betas)):
            raise ValueError("betas must be either both floats or both Tensors")
        betas = tuple(map(_to_scalar, betas))  # type: ignore[assignment]
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        if fused and differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def _init_group(self, group: dict[str, Any], params: list, grads: list, exp_avgs: list,
                    exp_avg_sqs: list, max_exp_avg_sqs: list, state_steps: list) -> None:
        for p in group["params"]:
            if p.grad is None:
                continue
            params.append(p)
            grads.append(p.grad)
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _new_step(device="cpu")
                state["exp_avg"] = ember.zeros_like(p)
                state["exp_avg_sq"] = ember.zeros_like(p)
                if group["amsgrad"]:
                    state["max_exp_avg_sq"] = ember.zeros_like(p)
            exp_avgs.append(state["exp_avg"])
            exp_avg_sqs.append(state["exp_avg_sq"])
            if group["amsgrad"]:
                max_exp_avg_sqs.append(state["max_exp_avg_sq"])
            state_steps.append(state["step"])

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
            lists: tuple[list, ...] = ([], [], [], [], [], [])
            self._init_group(group, *lists)
            beta1, beta2 = group["betas"]
            adam(*lists, amsgrad=group["amsgrad"], beta1=beta1, beta2=beta2, lr=group["lr"],
                 weight_decay=group["weight_decay"], eps=group["eps"],
                 maximize=group["maximize"],
                 decoupled_weight_decay=group["decoupled_weight_decay"])
        return loss


class AdamW(Adam):
    r"""AdamW: Adam with decoupled weight decay (Loshchilov and Hutter, 2017).

    The weights shrink by :math:`\gamma\lambda\theta` each step, apart from the gradient.

    Args:
        params (iterable): parameters or named parameters to optimize, or parameter groups.
        lr (float, optional): learning rate. Default: ``1e-3``.
        betas (tuple[float, float], optional): decay rates of the two moments.
            Default: ``(0.9, 0.999)``.
        eps (float, optional): added to the denominator. Default: ``1e-8``.
        weight_decay (float, optional): weight decay coefficient. Default: ``1e-2``.
        amsgrad (bool, optional): use the AMSGrad variant. Default: ``False``.
        maximize (bool, optional): maximize the objective instead. Default: ``False``.
        foreach, capturable, fused (bool, optional): accepted for compatibility.
        differentiable (bool, optional): run ``step`` with autograd on. Default: ``False``.

    Examples:
        >>> w = ember.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = ember.optim.AdamW([w], lr=0.1, weight_decay=0.0)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w
        tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float | ember.Tensor = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True


def adam(params: list[ember.Tensor], grads: list[ember.Tensor], exp_avgs: list[ember.Tensor],
         exp_avg_sqs: list[ember.Tensor], max_exp_avg_sqs: list[ember.Tensor],
         state_steps: list[ember.Tensor], *, amsgrad: bool, beta1: float, beta2: float,
         lr: float | ember.Tensor, weight_decay: float, eps: float, maximize: bool,
         decoupled_weight_decay: bool = False, **_ignored: Any) -> None:
    """The Adam (and AdamW) update over lists of tensors. See :class:`Adam`."""
    lr, beta1, beta2 = _get_value(lr), _get_value(beta1), _get_value(beta2)
    for i, param in enumerate(params):
        grad = grads[i] if not maximize else -grads[i]
        exp_avg, exp_avg_sq, step_t = exp_avgs[i], exp_avg_sqs[i], state_steps[i]
        step_t.add_(1)
        if weight_decay != 0:
            if decoupled_weight_decay:
                param.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(param, alpha=weight_decay)
        step = _get_value(step_t)
        bias_correction1 = 1 - beta1**step
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        step_size = lr / bias_correction1
        if not amsgrad and adam_update(param, grad, exp_avg, exp_avg_sq, beta1=beta1,
                                       beta2=beta2, eps=eps, step_size=step_size,
                                       bias_correction2_sqrt=bias_correction2_sqrt):
            continue  # NOTE [ Adam in one pass of calls ]: the same ops, the same bits
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        if amsgrad:
            max_exp_avg_sqs[i].maximum_(exp_avg_sq)
            denom = max_exp_avg_sqs[i].sqrt().div_(bias_correction2_sqrt).add_(eps)
        else:
            # PyTorch's ``(sqrt / c).add_(eps)``, dividing the fresh sqrt in place
            denom = exp_avg_sq.sqrt().div_(bias_correction2_sqrt).add_(eps)
        param.addcdiv_(exp_avg, denom, value=-step_size)
