"""Affine maps: ``linear`` and ``bilinear``."""

from __future__ import annotations

import ember
from ember import Tensor
from ember.amp._state import AUTOCAST_ACTIVE, autocast_args

__all__ = ["linear", "bilinear"]


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    r"""Applies :math:`y = xA^T + b`.

    Args:
        input: :math:`(*, in\_features)`.
        weight: :math:`(out\_features, in\_features)` or :math:`(in\_features)`.
        bias: :math:`(out\_features)` or :math:`()`; optional.

    Shape:
        - Output: :math:`(*, out\_features)` (or :math:`(*)` for a 1-D weight).

    Examples:
        >>> import ember
        >>> ember.nn.functional.linear(ember.ones(2, 3), ember.ones(4, 3)).shape
        ember.Size([2, 4])
    """
    if AUTOCAST_ACTIVE[0]:  # NOTE [ Autocast call sites ]
        input, weight, bias = autocast_args(input, weight, bias)
    if weight.dim() not in (1, 2):
        raise RuntimeError(f"linear(): weight must be 1-D or 2-D, got {weight.dim()}-D "
                           f"tensor of shape {list(weight.shape)}")
    in_features = weight.shape[-1]
    if input.dim() == 0 or input.shape[-1] != in_features:
        cols = input.shape[-1] if input.dim() else 1
        rows = input.numel() // cols if cols else 0
        if weight.dim() == 1:
            raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{cols}), vec "
                               f"({in_features})")
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{cols} and "
                           f"{in_features}x{weight.shape[0]})")
    if bias is not None and weight.dim() == 2 and input.dim() >= 2:
        # PyTorch's graph: AddmmBackward0 (bias, input, TBackward0), under a view for
        # batched inputs; one product with the bias added into its result.
        if input.dim() == 2:
            return ember.addmm(bias, input, weight.t())
        flat = ember.addmm(bias, input.reshape(-1, in_features), weight.t())
        return flat.view(tuple(input.shape[:-1]) + (weight.shape[0],))
    out = input @ (weight.t() if weight.dim() == 2 else weight)
    if bias is not None:
        out = out + bias
    return out


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None
             ) -> Tensor:
    r"""Applies :math:`y_k = x_1^T A_k x_2 + b_k`.

    Args:
        input1: :math:`(*, in1\_features)`.
        input2: :math:`(*, in2\_features)` with the same leading dimensions.
        weight: :math:`(out\_features, in1\_features, in2\_features)`.
        bias: :math:`(out\_features)`; optional.

    Examples:
        >>> import ember
        >>> x = ember.ones(2, 3)
        >>> ember.nn.functional.bilinear(x, ember.ones(2, 4), ember.ones(5, 3, 4)).shape
        ember.Size([2, 5])
    """
    if weight.dim() != 3:
        raise RuntimeError(f"bilinear(): weight must be 3-dimensional, but got "
                           f"{weight.dim()}-dimensional tensor")
    if input1.shape[:-1] != input2.shape[:-1]:
        raise RuntimeError(f"bilinear(): input batch dimensions do not match: got "
                           f"{list(input1.shape[:-1])} and {list(input2.shape[:-1])}")
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got "
                           f"{input1.shape[-1]} but expected {weight.shape[1]}")
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got "
                           f"{input2.shape[-1]} but expected {weight.shape[2]}")
    out = ember.einsum("...i,kij,...j->...k", input1, weight, input2)
    if bias is not None:
        out = out + bias
    return out
