"""Normalisation layers' functions: ``batch_norm``, ``instance_norm``, ``layer_norm``,
``group_norm``, ``rms_norm`` and ``local_response_norm``.

# NOTE [ One normalisation node ]
Batch, instance, layer and group normalisation differ only in the axes their statistics
are taken over (after an optional reshape, for groups) and in how the affine weight lines
up with the input. :class:`_Normalize` takes those as a spec and has the textbook
backward: ``dx = invstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))`` with
batch statistics, ``dx = invstd * dxhat`` with fixed (running) ones. Running statistics are
updated in place, without autograd, with the unbiased variance, as PyTorch does.
"""

from __future__ import annotations

import math
from typing import Any

import ember
from ember import Tensor
from ember.autograd import Function

from ._utils import named

__all__ = ["batch_norm", "instance_norm", "layer_norm", "group_norm", "rms_norm",
           "local_response_norm"]


def _stats(xv: Tensor, axes: tuple, eps: float) -> tuple[Tensor, Tensor, Tensor]:
    mean = xv.mean(axes, keepdim=True)
    centered = xv - mean
    var = (centered * centered).mean(axes, keepdim=True)
    return mean, var, (var + eps).rsqrt()


class _Normalize(Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor, weight: Tensor | None, bias: Tensor | None,
                mean: Tensor, invstd: Tensor, spec: tuple) -> Tensor:
        view, axes, wshape, eps, batch_stats = spec
        ctx.spec = spec
        ctx.bshape = None if bias is None else tuple(bias.shape)
        xv = x.reshape(view)
        y = ((xv - mean) * invstd).reshape(x.shape)
        if weight is not None:
            y = y * weight.reshape(wshape)
        if bias is not None:
            y = y + bias.reshape(wshape)
        ctx.save_for_backward(x, weight, mean, invstd)
        return y

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        x, weight, mean, invstd = ctx.saved_tensors
        view, axes, wshape, eps, batch_stats = ctx.spec
        xv = x.reshape(view)
        if batch_stats and ember.is_grad_enabled():  # create_graph: stats depend on x
            mean, _, invstd = _stats(xv, axes, eps)
        xhat = (xv - mean) * invstd
        dxhat = (g * weight.reshape(wshape) if weight is not None else g).reshape(view)
        gx = gw = gb = None
        if ctx.needs_input_grad[0]:
            if batch_stats:
                gx = invstd * (dxhat - dxhat.mean(axes, keepdim=True)
                               - xhat * (dxhat * xhat).mean(axes, keepdim=True))
            else:
                gx = dxhat * invstd
            gx = gx.reshape(x.shape)
        full = (1,) * (x.dim() - len(wshape)) + tuple(wshape)
        dims = [i for i, n in enumerate(full) if n == 1]
        if weight is not None and ctx.needs_input_grad[1]:
            gw = (g * xhat.reshape(x.shape)).sum(dims).reshape(weight.shape)
        if len(ctx.needs_input_grad) > 2 and ctx.needs_input_grad[2]:
            gb = g.sum(dims).reshape(ctx.bshape)
        return gx, gw, gb, None, None, None


class _LayerNorm(_Normalize):
    pass


class _GroupNorm(_Normalize):
    pass


named(_Normalize, "NativeBatchNormBackward0")
named(_LayerNorm, "NativeLayerNormBackward0")
named(_GroupNorm, "NativeGroupNormBackward0")


def _channel_shape(x: Tensor) -> tuple:
    return (1, x.shape[1]) + (1,) * (x.dim() - 2)


def _check_param(t: Tensor | None, name: str, n: int) -> None:
    if t is not None and t.numel() != n:
        raise RuntimeError(f"{name} should contain {n} elements not {t.numel()}")


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    r"""Batch normalisation over dimension 1 (channels) of ``(N, C, *)``.

    In training, the batch statistics normalise and ``running_mean``/``running_var`` (if
    given) are updated in place: ``running = (1 - momentum) * running + momentum * stat``,
    with the unbiased variance. In evaluation the running statistics normalise.

    Args:
        input: ``(N, C)`` or ``(N, C, *)``.
        running_mean, running_var: ``(C)``; may be ``None`` in training.
        weight, bias: ``(C)`` affine parameters; optional.
        training: use (and update) batch statistics. Default: ``False``
        momentum: running-average factor. Default: 0.1
        eps: added to the variance. Default: 1e-5

    Examples:
        >>> import ember
        >>> x = ember.tensor([[1.0], [3.0]])
        >>> ember.nn.functional.batch_norm(x, None, None, training=True)
        tensor([[-1.0000],
                [ 1.0000]])
    """
    if input.dim() < 2:
        raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")
    c = input.shape[1]
    for t, name in ((running_mean, "running_mean"), (running_var, "running_var"),
                    (weight, "weight"), (bias, "bias")):
        _check_param(t, name, c)
    wshape = _channel_shape(input)
    axes = tuple(i for i in range(input.dim()) if i != 1)
    if training:
        size = list(input.shape)
        if math.prod(size) // c == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input "
                             f"size {ember.Size(size)}")
        with ember.no_grad():
            mean, var, invstd = _stats(input.detach(), axes, eps)
            n = input.numel() // c
            if running_mean is not None:
                running_mean.mul_(1 - momentum).add_(mean.reshape(-1) * momentum)
            if running_var is not None:
                unbiased = var.reshape(-1) * (n / (n - 1))
                running_var.mul_(1 - momentum).add_(unbiased * momentum)
    else:
        if running_mean is None or running_var is None:
            raise RuntimeError("running_mean and running_var must be defined in evaluation "
                               "mode")
        with ember.no_grad():
            mean = running_mean.detach().reshape(wshape)
            invstd = (running_var.detach() + eps).rsqrt().reshape(wshape)
    spec = (tuple(input.shape), axes, wshape, eps, training)
    return _Normalize.apply(input, weight, bias, mean, invstd, spec)


def instance_norm(input: Tensor, running_mean: Tensor | None = None,
                  running_var: Tensor | None = None, weight: Tensor | None = None,
                  bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Instance normalisation: each channel of each sample normalised over its spatial
    dimensions; running statistics (if given) track the batch average of those.

    Examples:
        >>> import ember
        >>> ember.nn.functional.instance_norm(ember.tensor([[[1.0, 3.0]]]))
        tensor([[[-1.0000,  1.0000]]])
    """
    if input.dim() < 3:
        raise ValueError(f"expected 3D or more input (got {input.dim()}D input)")
    c = input.shape[1]
    for t, name in ((weight, "weight"), (bias, "bias")):
        _check_param(t, name, c)
    wshape = _channel_shape(input)
    axes = tuple(range(2, input.dim()))
    if use_input_stats:
        spatial = math.prod(input.shape[2:])
        if spatial == 1:
            raise ValueError(f"Expected more than 1 spatial element when training, got input "
                             f"size {input.shape}")
        with ember.no_grad():
            mean, var, invstd = _stats(input.detach(), axes, eps)
            if running_mean is not None:
                running_mean.mul_(1 - momentum).add_(mean.mean(0).reshape(-1) * momentum)
            if running_var is not None:
                unbiased = var.mean(0).reshape(-1) * (spatial / (spatial - 1))
                running_var.mul_(1 - momentum).add_(unbiased * momentum)
    else:
        if running_mean is None or running_var is None:
            raise RuntimeError("Expected running_mean and running_var to be defined when "
                               "use_input_stats is false")
        with ember.no_grad():
            mean = running_mean.detach().reshape(wshape)
            invstd = (running_var.detach() + eps).rsqrt().reshape(wshape)
    spec = (tuple(input.shape), axes, wshape, eps, use_input_stats)
    return _Normalize.apply(input, weight, bias, mean, invstd, spec)


def layer_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Layer normalisation over the trailing ``normalized_shape`` dimensions.

    Examples:
        >>> import ember
        >>> ember.nn.functional.layer_norm(ember.tensor([[1.0, 3.0]]), (2,))
        tensor([[-1.0000,  1.0000]])
    """
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else \
        tuple(normalized_shape)
    k = len(shape)
    if k == 0 or tuple(input.shape[input.dim() - k:]) != shape or input.dim() < k:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size"
                           f"{list(input.shape)}")
    for t, name in ((weight, "weight"), (bias, "bias")):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {list(t.shape)} and normalized_shape = "
                               f"{list(shape)}")
    axes = tuple(range(input.dim() - k, input.dim()))
    with ember.no_grad():
        mean, _, invstd = _stats(input.detach(), axes, eps)
    spec = (tuple(input.shape), axes, shape, eps, True)
    return _LayerNorm.apply(input, weight, bias, mean, invstd, spec)


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Group normalisation: channels split into ``num_groups`` groups, each normalised over
    its channels and spatial positions.

    Examples:
        >>> import ember
        >>> ember.nn.functional.group_norm(ember.tensor([[1.0, 3.0]]), 1)
        tensor([[-1.0000,  1.0000]])
    """
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{input.dim()}")
    n, c = input.shape[:2]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by "
                           f"num_groups, but got input of shape {list(input.shape)} and "
                           f"num_groups={num_groups}")
    for t, name in ((weight, "weight"), (bias, "bias")):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of "
                               f"channels in input, but got {name} of shape {list(t.shape)} "
                               f"and input of shape {list(input.shape)}")
    view = (n, num_groups, input.numel() // max(n * num_groups, 1))
    with ember.no_grad():
        mean, _, invstd = _stats(input.detach().reshape(view), (2,), eps)
    spec = (view, (2,), _channel_shape(input), eps, True)
    return _GroupNorm.apply(input, weight, bias, mean, invstd, spec)


def rms_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None,
             eps: float | None = None) -> Tensor:
    r"""Root-mean-square normalisation over the trailing ``normalized_shape`` dimensions:
    :math:`x / \sqrt{\mathrm{mean}(x^2) + \epsilon} \cdot w`.

    Examples:
        >>> import ember
        >>> ember.nn.functional.rms_norm(ember.tensor([[3.0, 4.0]]), (2,), eps=0.0)
        tensor([[0.8485, 1.1314]])
    """
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else \
        tuple(normalized_shape)
    k = len(shape)
    if tuple(input.shape[input.dim() - k:]) != shape:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size"
                           f"{list(input.shape)}")
    if eps is None:
        eps = ember.finfo(input.dtype).eps
    dims = tuple(range(input.dim() - k, input.dim()))
    y = input * ((input * input).mean(dims, keepdim=True) + eps).rsqrt()
    return y * weight if weight is not None else y


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:
    """Local response normalisation across channels: ``x / (k + alpha * mean(x^2 over
    size neighbouring channels)) ** beta``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.local_response_norm(ember.ones(1, 3, 2), 2).shape
        ember.Size([1, 3, 2])
    """
    from ._windows import ConstantPad, Im2Col

    if input.dim() < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {input.dim()} "
                         f"dimensions)")
    if input.numel() == 0:
        return input
    sq = (input * input).movedim(1, -1)
    c = input.shape[1]
    padded = ConstantPad.apply(sq, ((size // 2, (size - 1) // 2),), 0.0)
    div = Im2Col.apply(padded, (size,), (1,), (1,), (c,)).mean(-2).movedim(-1, 1)
    return input / (div * alpha + k).pow(beta)
