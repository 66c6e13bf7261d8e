"""SparseAdam: the lazy Adam variant that updates only the rows a gradient touches.

Ember has no sparse tensors, so gradients here are dense: the rows (slices along dim 0,
single elements for 1-d parameters) where the gradient is nonzero stand for the indices a
sparse gradient would list, as ``nn.Embedding(sparse=True)`` produces them. Rows with an
all-zero gradient keep their moments and values, exactly as PyTorch leaves the rows missing
from a sparse gradient. (PyTorch itself refuses dense gradients here.)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import ember

from ._utils import _check_betas, _to_scalar
from .optimizer import Optimizer, ParamsT

__all__ = ["SparseAdam", "sparse_adam"]


class SparseAdam(Optimizer):
    r"""SparseAdam: Adam that only updates the moments and values of the rows in the gradient.

    See the module note: Ember's gradients are dense, and a row counts as present when its
    gradient is nonzero. State per parameter: ``step`` (an int, as PyTorch's), ``exp_avg``
    and ``exp_avg_sq``.

    Args:
        params (iterable): parameters or named parameters to optimize, or parameter groups.
        lr (float, optional): learning rate. Default: ``1e-3``.
        betas (tuple[float, float], optional): decay rates. Default: ``(0.9, 0.999)``.
        eps (float, optional): added to the denominator. Default: ``1e-8``.
        maximize (bool, optional): maximize the objective instead. Default: ``False``.

    Examples:
        >>> w = ember.tensor([[1.0, 1.0], [2.0, 2.0]], requires_grad=True)
        >>> opt = ember.optim.SparseAdam([w], lr=0.1)
        >>> (w * ember.tensor([[0.0], [1.0]])).sum().backward()
        >>> opt.step()
        >>> w
        tensor([[1.0000, 1.0000],
                [1.9000, 1.9000]], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float | ember.Tensor = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 maximize: bool = False) -> None:
        if isinstance(lr, ember.Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        _check_betas(betas)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "maximize": maximize}
        super().__init__(params, defaults)
        complex_params = [[i, j] for i, group in enumerate(self.param_groups)
                          for j, p in enumerate(group["params"]) if p.is_complex()]
        if complex_params:
            raise ValueError(f"Complex params at indices {complex_params}: SparseAdam does not "
                             "support complex parameters")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform a single optimization step.

        Args:
            closure (Callable, optional): re-evaluates the model and returns the loss.
        """
        loss = None
        if closure is not None:
            with ember.enable_grad():
                loss = closure()
        with ember.no_grad():
            for group in self.param_groups:
                params, grads, exp_avgs, exp_avg_sqs, state_steps = [], [], [], [], []
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    params.append(p)
                    grads.append(p.grad)
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = 0
                        state["exp_avg"] = ember.zeros_like(p)
                        state["exp_avg_sq"] = ember.zeros_like(p)
                    exp_avgs.append(state["exp_avg"])
                    exp_avg_sqs.append(state["exp_avg_sq"])
                    state["step"] += 1
                    state_steps.append(state["step"])
                beta1, beta2 = group["betas"]
                sparse_adam(params, grads, exp_avgs, exp_avg_sqs, state_steps, eps=group["eps"],
                            beta1=beta1, beta2=beta2, lr=_to_scalar(group["lr"]),
                            maximize=group.get("maximize", False))
        return loss


def _row_mask(grad: ember.Tensor) -> ember.Tensor:
    """1 where a row (a slice along dim 0) of ``grad`` is present (nonzero), else 0."""
    present = grad.ne(0)
    if grad.dim() > 1:
        present = present.flatten(1).any(1).reshape((grad.shape[0],) + (1,) * (grad.dim() - 1))
    return present.to(grad.dtype)


def sparse_adam(params: list[ember.Tensor], grads: list[ember.Tensor],
                exp_avgs: list[ember.Tensor], exp_avg_sqs: list[ember.Tensor],
                state_steps: list[int], *, eps: float, beta1: float, beta2: float,
                lr: float | ember.Tensor, maximize: bool) -> None:
    """The SparseAdam update over lists of tensors, dense gradients masked by row."""
    lr = float(lr)
    for i, param in enumerate(params):
        grad = grads[i] if not maximize else -grads[i]
        mask = _row_mask(grad)
        if not bool(mask.any()):
            continue
        exp_avg, exp_avg_sq, step = exp_avgs[i], exp_avg_sqs[i], state_steps[i]
        exp_avg.add_(grad.sub(exp_avg).mul_(1 - beta1).mul_(mask))
        exp_avg_sq.add_(grad.mul(grad).sub_(exp_avg_sq).mul_(1 - beta2).mul_(mask))
        denom = exp_avg_sq.sqrt().add_(eps)
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr * math.sqrt(bias_correction2) / bias_correction1
        param.add_(exp_avg.div(denom).mul_(mask), alpha=-step_size)
