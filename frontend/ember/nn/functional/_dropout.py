"""Dropout: ``dropout``, ``dropout1d/2d/3d``, ``alpha_dropout`` and
``feature_alpha_dropout``.

Masks are drawn with Ember's generator (``Tensor.bernoulli_``), so ``ember.manual_seed``
makes them reproducible on every backend. The scaling is PyTorch's: kept elements are
divided by ``1 - p``.
"""

from __future__ import annotations

import warnings

from ember import Tensor

from ._utils import write_inplace

__all__ = ["dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
           "feature_alpha_dropout"]

_SELU_NEG = 1.0507009873554804934193349852946 * 1.6732632423543772848170429916717


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _mask(input: Tensor, shape: tuple, p: float) -> Tensor:
    return input.detach().new_empty(shape).bernoulli_(1.0 - p)


def _apply(input: Tensor, mask: Tensor, p: float, inplace: bool) -> Tensor:
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    factor = mask * scale
    return write_inplace(input, lambda x: x * factor) if inplace else input * factor


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False
            ) -> Tensor:
    """Zeroes each element with probability ``p`` (in training) and scales the rest by
    ``1 / (1 - p)``.

    Args:
        input: any shape.
        p: probability of an element to be zeroed. Default: 0.5
        training: apply dropout only if ``True``. Default: ``True``
        inplace: write the result into ``input``. Default: ``False``

    Examples:
        >>> import ember
        >>> ember.nn.functional.dropout(ember.ones(3), 0.5, training=False)
        tensor([1., 1., 1.])
    """
    _check_p(p)
    if not training or p == 0.0:
        return input
    return _apply(input, _mask(input, tuple(input.shape), p), p, inplace)


def _feature_shape(input: Tensor, batched_dim: int) -> tuple:
    shape = list(input.shape)
    lead = 2 if input.dim() == batched_dim else 1
    return tuple(shape[:lead]) + (1,) * (input.dim() - lead)


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool, d: int) -> Tensor:
    _check_p(p)
    if not training or p == 0.0:
        return input
    return _apply(input, _mask(input, _feature_shape(input, d + 2), p), p, inplace)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False
              ) -> Tensor:
    """Zeroes whole channels of ``(N, C, L)`` or ``(C, L)`` with probability ``p``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.dropout1d(ember.ones(1, 2, 3), training=False).shape
        ember.Size([1, 2, 3])
    """
    if input.dim() not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a "
                           f"{input.dim()}D input. Note that dropout1d exists to provide "
                           f"channel-wise dropout on inputs with 1 spatial dimension, a channel "
                           f"dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    return _feature_dropout(input, p, training, inplace, 1)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False
              ) -> Tensor:
    """Zeroes whole channels of ``(N, C, H, W)`` or ``(C, H, W)`` with probability ``p``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.dropout2d(ember.ones(1, 2, 2, 2), training=False).shape
        ember.Size([1, 2, 2, 2])
    """
    if input.dim() not in (3, 4):
        warnings.warn(f"dropout2d: Received a {input.dim()}-D input to dropout2d, which is "
                      f"deprecated and will result in an error in a future release. To retain "
                      f"the behavior and silence this warning, please use dropout instead. "
                      f"Note that dropout2d exists to provide channel-wise dropout on inputs "
                      f"with 2 spatial dimensions, a channel dimension, and an optional batch "
                      f"dimension (i.e. 3D or 4D inputs).", stacklevel=2)
    if input.dim() == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-"
                      "wise 1D dropout behavior is desired - input is interpreted as shape "
                      "(N, C, L), where C is the channel dim. This behavior will change in a "
                      "future release to interpret the input as one without a batch dimension, "
                      "i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, "
                      "please switch to using dropout1d instead.", stacklevel=2)
        return _feature_dropout(input, p, training, inplace, 1)
    return _feature_dropout(input, p, training, inplace, 2)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False
              ) -> Tensor:
    """Zeroes whole channels of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` with probability
    ``p``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.dropout3d(ember.ones(1, 1, 1, 1, 1), training=False).shape
        ember.Size([1, 1, 1, 1, 1])
    """
    if input.dim() not in (4, 5):
        warnings.warn(f"dropout3d: Received a {input.dim()}-D input to dropout3d, which is "
                      f"deprecated and will result in an error in a future release. To retain "
                      f"the behavior and silence this warning, please use dropout instead. "
                      f"Note that dropout3d exists to provide channel-wise dropout on inputs "
                      f"with 3 spatial dimensions, a channel dimension, and an optional batch "
                      f"dimension (i.e. 4D or 5D inputs).", stacklevel=2)
    return _feature_dropout(input, p, training, inplace, 3)


def _alpha(input: Tensor, p: float, training: bool, inplace: bool, shape: tuple) -> Tensor:
    _check_p(p)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return write_inplace(input, lambda x: x * 0.0) if inplace else input * 0.0
    keep = _mask(input, shape, p)
    a = ((_SELU_NEG * _SELU_NEG * p + 1) * (1 - p)) ** -0.5
    b = (keep - 1) * (_SELU_NEG * a) + _SELU_NEG * a * p
    factor = keep * a
    return write_inplace(input, lambda x: x * factor + b) if inplace else input * factor + b


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                  inplace: bool = False) -> Tensor:
    """Dropout for SELU networks: dropped elements take SELU's negative saturation value and
    an affine correction keeps mean and variance.

    Examples:
        >>> import ember
        >>> ember.nn.functional.alpha_dropout(ember.ones(2), 0.5)
        tensor([1., 1.])
    """
    return _alpha(input, p, training, inplace, tuple(input.shape))


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                          inplace: bool = False) -> Tensor:
    """:func:`alpha_dropout` that drops whole channels.

    Examples:
        >>> import ember
        >>> ember.nn.functional.feature_alpha_dropout(ember.ones(1, 2, 2), 0.5).shape
        ember.Size([1, 2, 2])
    """
    shape = tuple(input.shape[:2]) + (1,) * (input.dim() - 2) if input.dim() >= 2 else \
        tuple(input.shape)
    return _alpha(input, p, training, inplace, shape)
