"""Helpers shared by the functional modules: argument tuples, loss reductions, in-place
writes and tiny autograd-aware building blocks. Nothing here is public."""

from __future__ import annotations

import collections.abc
import warnings
from collections.abc import Callable
from typing import Any

import ember
from ember import Tensor
from ember.autograd import Function

__all__ = ["ntuple", "reduce_loss", "legacy_reduction", "check_reduction", "write_inplace",
           "named", "Gather1d", "check_tensor", "pointwise", "mask_grad", "maybe_inplace"]


def ntuple(value: Any, n: int, name: str = "argument") -> tuple:
    """``value`` as an ``n``-tuple of ints: a number is repeated, a sequence checked."""
    if isinstance(value, Tensor):
        value = value.tolist()
    if isinstance(value, collections.abc.Iterable) and not isinstance(value, str):
        out = tuple(value)
        if len(out) == 1 and n > 1:
            out = out * n
        if len(out) != n:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of "
                               f"{n} values to match the convolution dimensions, but got "
                               f"{name}={list(out)}")
        return out
    return (value,) * n


def check_reduction(reduction: str) -> str:
    """Validate ``reduction`` like PyTorch (``'elementwise_mean'`` is the old ``'mean'``)."""
    if reduction in ("none", "mean", "sum"):
        return reduction
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                      "instead.", stacklevel=3)
        return "mean"
    raise ValueError(f"{reduction} is not a valid value for reduction")


def legacy_reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """The reduction named by the deprecated ``size_average``/``reduce`` pair, if given."""
    if size_average is None and reduce is None:
        return check_reduction(reduction)
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "mean" if (size_average and reduce) else ("sum" if reduce else "none")
    warnings.warn(f"size_average and reduce args will be deprecated, please use "
                  f"reduction='{ret}' instead.", stacklevel=3)
    return ret


def reduce_loss(loss: Tensor, reduction: str) -> Tensor:
    """Apply ``'none'``, ``'mean'`` or ``'sum'`` to an elementwise loss."""
    reduction = check_reduction(reduction)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def check_tensor(x: Any, op: str, name: str = "input") -> Tensor:
    """Refuse a non-tensor argument with PyTorch's wording."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument '{name}' must be Tensor, not {type(x).__name__}")
    return x


def write_inplace(input: Tensor, fn: Any) -> Tensor:
    """Implement ``inplace=True``: write ``fn(input)`` into ``input`` and return ``input``.

    While autograd records, ``fn`` runs on a clone (so what its backward saved is not
    overwritten) and ``input`` takes the result's history, as PyTorch's in-place activations
    do (``relu_`` leaves ``grad_fn=<ReluBackward0>``; a view's base is rewritten too). The
    write goes through the core's in-place primitive, the one place that rebases history.
    """
    if not (input.requires_grad and ember.is_grad_enabled()):
        return input.copy_(fn(input))
    if input.is_leaf:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    from ..._ops._inplace import assign_

    return assign_(input, fn(input.clone()), "inplace")


def named(cls: type, node_name: str) -> type:
    """Give a Function's graph node PyTorch's name (``grad_fn.name()``)."""
    cls._backward_name = node_name
    return cls


class Gather1d(Function):
    """``input.index_select(dim, index)`` whose backward is an ``index_add`` (used by pad,
    interpolate and the pooling ops)."""

    @staticmethod
    def forward(ctx: Any, input: Tensor, dim: int, index: Tensor) -> Tensor:
        ctx.dim, ctx.shape = dim, tuple(input.shape)
        ctx.save_for_backward(index)
        return input.index_select(dim, index)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple:
        (index,) = ctx.saved_tensors
        out = grad.new_zeros(ctx.shape)
        return out.index_add(ctx.dim, index, grad), None, None


named(Gather1d, "IndexSelectBackward0")


# NOTE [ Pointwise activations ]
# Each activation is one autograd node named as in PyTorch (``ReluBackward0``, ...): its
# forward is a short tensor expression and its backward the derivative PyTorch uses, written
# with tensor ops so it is differentiable again. Ops with an ``inplace`` flavour save their
# result rather than their input (as PyTorch does).


def pointwise(node: str, fwd: Callable, grad: Callable, saves: str = "x") -> Callable:
    """One autograd node: ``fwd(x, *params)`` and ``grad(g, saved, *params)`` where
    ``saved`` is the input (``saves="x"``) or the result (``saves="r"``)."""

    class _Op(Function):
        @staticmethod
        def forward(ctx: Any, x: Tensor, *params: Any) -> Tensor:
            r = fwd(x, *params)
            ctx.params = params
            ctx.save_for_backward(r if saves == "r" else x)
            return r

        @staticmethod
        def backward(ctx: Any, g: Tensor) -> tuple:
            (s,) = ctx.saved_tensors
            return (grad(g, s, *ctx.params),) + (None,) * len(ctx.params)

    named(_Op, node)
    return _Op.apply


def mask_grad(cond: Tensor, g: Tensor) -> Tensor:
    """``g`` where ``cond``, else zero."""
    return ember.where(cond, g, 0.0)


def maybe_inplace(input: Tensor, fn: Callable, inplace: bool) -> Tensor:
    """``fn(input)``, written into ``input`` when ``inplace``."""
    return write_inplace(input, fn) if inplace else fn(input)
