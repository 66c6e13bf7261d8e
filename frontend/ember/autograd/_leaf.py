"""Leaf-tensor attributes: ``requires_grad`` and ``grad``."""

from __future__ import annotations

import warnings
from typing import Any

__all__ = ["set_requires_grad", "get_grad", "set_grad"]


def set_requires_grad(t: Any, value: bool) -> None:
    """Set ``t.requires_grad`` with PyTorch's checks."""
    value = bool(value)
    if t._grad_fn is not None and not value:
        raise RuntimeError(
            "you can only change requires_grad flags of leaf variables. If you want to use a "
            "computed variable in a subgraph that doesn't require differentiation use "
            "var_no_grad = var.detach()."
        )
    if value and not (t._dtype.is_floating_point or t._dtype.is_complex):
        raise RuntimeError("only Tensors of floating point and complex dtype can require "
                           "gradients")
    t._requires_grad = value


def get_grad(t: Any) -> Any:
    """``t.grad``; warns as PyTorch does when read on a non-leaf that does not retain it."""
    meta = t._meta
    if t._grad_fn is not None and (meta is None or not meta.retains_grad):
        warnings.warn(
            "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
            ".grad attribute won't be populated during autograd.backward(). If you indeed want "
            "the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the "
            "non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access "
            "the leaf Tensor instead.", UserWarning, stacklevel=3)
    return None if meta is None else meta.grad


def set_grad(t: Any, value: Any) -> None:
    """Assign ``t.grad`` (None or a tensor of the same shape and device)."""
    if value is not None:
        if value.shape != t.shape:
            raise RuntimeError(f"assigned grad has data of a different size: expected "
                               f"{list(t.shape)}, got {list(value.shape)}")
        if value.device != t.device:
            raise RuntimeError(f"assigned grad has data located on a different device: "
                               f"expected {t.device}, got {value.device}")
    t._ensure_meta().grad = value
