"""Convolutions: ``conv1d/2d/3d``, ``conv_transpose1d/2d/3d``, ``unfold`` and ``fold``.

# NOTE [ Convolution as one matmul ]
A convolution pads the input, takes its windows with :class:`Im2Col` (``(N, C, K, *out)``,
see NOTE [ Windows ]) and multiplies them by the weight viewed as ``(groups, O/groups,
C/groups*K)``: one broadcast matmul for the whole batch. (Folding the batch into one GEMM,
``(O, CK) @ (CK, N*L)``, is no faster single-threaded and, with multi-threaded BLAS on a
busy machine, several times slower; the per-sample products stay in NumPy's own loop.)
Its backward is explicit: the weight gradient multiplies the output gradient by the same
windows, the input gradient multiplies it by the transposed weight and folds the windows
back with :class:`Col2Im`.
A transposed convolution is the same computation read backwards.
"""

from __future__ import annotations

import math
from typing import Any

import ember
from ember import Tensor
from ember.amp._state import AUTOCAST_ACTIVE, autocast_args
from ember.autograd import Function

from ._utils import named, ntuple
from ._windows import Col2Im, ConstantPad, Im2Col, _pad_raw, _unwindows, windows

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "unfold", "fold"]


def _batched(x: Tensor, d: int, op: str) -> bool:
    if x.dim() == d + 2:
        return True
    if x.dim() == d + 1:
        return False
    raise RuntimeError(f"Expected {d + 1}D (unbatched) or {d + 2}D (batched) input to {op}, "
                       f"but got input of size: {list(x.shape)}")


class _Conv(Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor, weight: Tensor, bias: Tensor | None, stride: tuple,
                pads: tuple, dilation: tuple, groups: int) -> Tensor:
        d = len(stride)
        ctx.unbatched = x.dim() == d + 1
        if ctx.unbatched:
            x = x.unsqueeze(0)
        n, c = x.shape[:2]
        o, kernel = weight.shape[0], tuple(weight.shape[2:])
        xp = _pad_raw(x, pads, 0.0)
        out = tuple((m - dl * (k - 1) - 1) // s + 1
                    for m, k, s, dl in zip(xp.shape[2:], kernel, stride, dilation))
        cols = windows(xp, kernel, stride, dilation, out)
        cols = cols.reshape(n, groups, c // groups * math.prod(kernel), math.prod(out))
        wm = weight.reshape(groups, o // groups, -1)
        y = (wm @ cols).reshape((n, o) + out)
        if bias is not None:
            y = y + bias.reshape((1, o) + (1,) * d)
        ctx.meta = (kernel, stride, pads, dilation, groups, tuple(xp.shape[2:]), out)
        ctx.save_for_backward(x, weight, cols)
        return y.squeeze(0) if ctx.unbatched else y

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        x, weight, cols = ctx.saved_tensors
        kernel, stride, pads, dilation, groups, padded, out = ctx.meta
        if ctx.unbatched:
            g = g.unsqueeze(0)
        n, c = x.shape[:2]
        o = weight.shape[0]
        gm = g.reshape(n, groups, o // groups, math.prod(out))
        wm = weight.reshape(groups, o // groups, -1)
        gx = gw = gb = None
        if ctx.needs_input_grad[0]:
            gcols = (wm.transpose(1, 2) @ gm).reshape((n, c, math.prod(kernel)) + out)
            gx = Col2Im.apply(gcols, padded, kernel, stride, dilation)
            gx = ConstantPad.apply(gx, tuple((-lo, -hi) for lo, hi in pads), 0.0)
            if ctx.unbatched:
                gx = gx.squeeze(0)
        if ctx.needs_input_grad[1]:
            if ember.is_grad_enabled():  # create_graph: the windows' dependence on x counts
                cols = Im2Col.apply(ConstantPad.apply(x, pads, 0.0), kernel, stride,
                                    dilation, out).reshape(cols.shape)
            gw = (gm @ cols.transpose(2, 3)).sum(0).reshape(weight.shape)
        if len(ctx.needs_input_grad) > 2 and ctx.needs_input_grad[2]:
            gb = g.sum([0] + list(range(2, g.dim())))
        return gx, gw, gb, None, None, None, None


named(_Conv, "ConvolutionBackward0")


def _conv_pads(padding: Any, d: int, kernel: tuple, stride: tuple, dilation: tuple) -> tuple:
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * d
        if padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            total = [dl * (k - 1) for dl, k in zip(dilation, kernel)]
            return tuple((t // 2, t - t // 2) for t in total)
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    pad = ntuple(padding, d, "padding")
    if any(p < 0 for p in pad):
        raise RuntimeError("negative padding is not supported")
    return tuple((p, p) for p in pad)


def _convnd(d: int, input: Tensor, weight: Tensor, bias: Tensor | None, stride: Any,
            padding: Any, dilation: Any, groups: int) -> Tensor:
    if AUTOCAST_ACTIVE[0]:  # NOTE [ Autocast call sites ]
        input, weight, bias = autocast_args(input, weight, bias)
    op = f"conv{d}d"
    batched = _batched(input, d, op)
    stride = ntuple(stride, d, "stride")
    dilation = ntuple(dilation, d, "dilation")
    if weight.dim() != d + 2:
        raise RuntimeError(f"weight should have {d + 2} dimensions for {op}, but got weight "
                           f"of size {list(weight.shape)}")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    c = input.shape[1] if batched else input.shape[0]
    if weight.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by "
                           f"{groups} at dimension 0, but got weight of size "
                           f"[{list(weight.shape)}] instead")
    if c != weight.shape[1] * groups:
        shape = list(input.shape)
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, "
                           f"expected input{shape} to have {weight.shape[1] * groups} "
                           f"channels, but got {c} channels instead")
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != weight.shape[0]):
        raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be "
                           f"1-dimensional with {weight.shape[0]} elements, but got bias of "
                           f"size {list(bias.shape)} instead")
    kernel = tuple(weight.shape[2:])
    pads = _conv_pads(padding, d, kernel, stride, dilation)
    spatial = input.shape[input.dim() - d:]
    for m, k, dl, (lo, hi) in zip(spatial, kernel, dilation, pads):
        if m + lo + hi < dl * (k - 1) + 1:
            raise RuntimeError(f"Calculated padded input size per channel: "
                               f"({' x '.join(str(a + b + e) for a, (b, e) in zip(spatial, pads))}"
                               f"). Kernel size: ({' x '.join(str(dl2 * (k2 - 1) + 1) for k2, dl2 in zip(kernel, dilation))}). "  # noqa: E501
                               f"Kernel size can't be greater than actual input size")
    return _Conv.apply(input, weight, bias, stride, pads, dilation, groups)


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """1-D convolution (cross-correlation) over ``(N, C_in, L)`` or ``(C_in, L)``.

    Args:
        weight: ``(C_out, C_in / groups, kW)``. ``bias``: ``(C_out)``.
        stride, padding, dilation: an int or a 1-tuple; ``padding`` may be ``'valid'`` or
            ``'same'``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.conv1d(ember.ones(1, 2, 5), ember.ones(3, 2, 3)).shape
        ember.Size([1, 3, 3])
    """
    return _convnd(1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-D convolution (cross-correlation) over ``(N, C_in, H, W)`` or ``(C_in, H, W)``.

    Args:
        input: ``(N, C_in, H, W)``.
        weight: ``(C_out, C_in / groups, kH, kW)``.
        bias: ``(C_out)``; optional.
        stride: an int or a pair. Default: 1
        padding: an int, a pair, ``'valid'`` or ``'same'``. Default: 0
        dilation: an int or a pair. Default: 1
        groups: split the channels into this many groups. Default: 1

    Shape:
        - Output: ``(N, C_out, H_out, W_out)`` with
          ``H_out = (H + 2 * padding - dilation * (kH - 1) - 1) // stride + 1``.

    Examples:
        >>> import ember
        >>> x = ember.ones(1, 1, 4, 4)
        >>> ember.nn.functional.conv2d(x, ember.ones(2, 1, 3, 3), padding=1).shape
        ember.Size([1, 2, 4, 4])
    """
    return _convnd(2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """3-D convolution over ``(N, C_in, D, H, W)`` or ``(C_in, D, H, W)``.

    Examples:
        >>> import ember
        >>> x = ember.ones(1, 1, 3, 3, 3)
        >>> ember.nn.functional.conv3d(x, ember.ones(1, 1, 2, 2, 2)).shape
        ember.Size([1, 1, 2, 2, 2])
    """
    return _convnd(3, input, weight, bias, stride, padding, dilation, groups)


class _ConvTranspose(Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor, weight: Tensor, bias: Tensor | None, stride: tuple,
                pads: tuple, dilation: tuple, groups: int, full: tuple) -> Tensor:
        d = len(stride)
        ctx.unbatched = x.dim() == d + 1
        if ctx.unbatched:
            x = x.unsqueeze(0)
        n, cin = x.shape[:2]
        kernel = tuple(weight.shape[2:])
        cout = weight.shape[1] * groups
        insp = tuple(x.shape[2:])
        wm = weight.reshape(groups, cin // groups, -1)
        xm = x.reshape(n, groups, cin // groups, math.prod(insp))
        cols = (wm.transpose(1, 2) @ xm).reshape((n, cout, math.prod(kernel)) + insp)
        y = _pad_raw(_unwindows(cols, full, kernel, stride, dilation),
                     tuple((-lo, -hi) for lo, hi in pads), 0.0)
        if bias is not None:
            y = y + bias.reshape((1, cout) + (1,) * d)
        ctx.meta = (kernel, stride, pads, dilation, groups, insp)
        ctx.save_for_backward(x, weight)
        return y.squeeze(0) if ctx.unbatched else y

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        x, weight = ctx.saved_tensors
        kernel, stride, pads, dilation, groups, insp = ctx.meta
        if ctx.unbatched:
            g = g.unsqueeze(0)
        n, cin = x.shape[:2]
        cout = weight.shape[1] * groups
        gp = ConstantPad.apply(g, pads, 0.0)
        cols = Im2Col.apply(gp, kernel, stride, dilation, insp)
        cols = cols.reshape(n, groups, cout // groups * math.prod(kernel), math.prod(insp))
        wm = weight.reshape(groups, cin // groups, -1)
        gx = gw = gb = None
        if ctx.needs_input_grad[0]:
            gx = (wm @ cols).reshape(x.shape)
            if ctx.unbatched:
                gx = gx.squeeze(0)
        if ctx.needs_input_grad[1]:
            xm = x.reshape(n, groups, cin // groups, math.prod(insp))
            gw = (xm @ cols.transpose(2, 3)).sum(0).reshape(weight.shape)
        if len(ctx.needs_input_grad) > 2 and ctx.needs_input_grad[2]:
            gb = g.sum([0] + list(range(2, g.dim())))
        return gx, gw, gb, None, None, None, None, None


named(_ConvTranspose, "ConvolutionBackward0")


def _conv_transpose(d: int, input: Tensor, weight: Tensor, bias: Tensor | None, stride: Any,
                    padding: Any, output_padding: Any, groups: int, dilation: Any) -> Tensor:
    if AUTOCAST_ACTIVE[0]:  # NOTE [ Autocast call sites ]
        input, weight, bias = autocast_args(input, weight, bias)
    op = f"conv_transpose{d}d"
    batched = _batched(input, d, op)
    stride = ntuple(stride, d, "stride")
    dilation = ntuple(dilation, d, "dilation")
    pad = ntuple(padding, d, "padding")
    opad = ntuple(output_padding, d, "output_padding")
    if weight.dim() != d + 2:
        raise RuntimeError(f"weight should have {d + 2} dimensions for {op}, but got weight "
                           f"of size {list(weight.shape)}")
    c = input.shape[1] if batched else input.shape[0]
    if c != weight.shape[0]:
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected "
                           f"input{list(input.shape)} to have {weight.shape[0]} channels, but "
                           f"got {c} channels instead")
    if weight.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by "
                           f"{groups} at dimension 0, but got weight of size "
                           f"[{list(weight.shape)}] instead")
    for op_, s, dl in zip(opad, stride, dilation):
        if op_ >= s and op_ >= dl:
            raise RuntimeError(f"output padding must be smaller than either stride or "
                               f"dilation, but got output_padding: {op_}, stride: {s}, "
                               f"dilation: {dl}")
    kernel = tuple(weight.shape[2:])
    insp = input.shape[input.dim() - d:]
    full = tuple((m - 1) * s + dl * (k - 1) + 1 + o
                 for m, s, dl, k, o in zip(insp, stride, dilation, kernel, opad))
    pads = tuple((p, p) for p in pad)
    return _ConvTranspose.apply(input, weight, bias, stride, pads, dilation, groups, full)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None,
                     stride: Any = 1, padding: Any = 0, output_padding: Any = 0,
                     groups: int = 1, dilation: Any = 1) -> Tensor:
    """1-D transposed convolution ("deconvolution"); ``weight``: ``(C_in, C_out / groups,
    kW)``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.conv_transpose1d(ember.ones(1, 2, 3), ember.ones(2, 1, 2)).shape
        ember.Size([1, 1, 4])
    """
    return _conv_transpose(1, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None,
                     stride: Any = 1, padding: Any = 0, output_padding: Any = 0,
                     groups: int = 1, dilation: Any = 1) -> Tensor:
    """2-D transposed convolution; ``weight``: ``(C_in, C_out / groups, kH, kW)``.

    Shape:
        - Output: ``H_out = (H - 1) * stride - 2 * padding + dilation * (kH - 1)
          + output_padding + 1``.

    Examples:
        >>> import ember
        >>> x = ember.ones(1, 1, 2, 2)
        >>> ember.nn.functional.conv_transpose2d(x, ember.ones(1, 1, 2, 2), stride=2).shape
        ember.Size([1, 1, 4, 4])
    """
    return _conv_transpose(2, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None,
                     stride: Any = 1, padding: Any = 0, output_padding: Any = 0,
                     groups: int = 1, dilation: Any = 1) -> Tensor:
    """3-D transposed convolution; ``weight``: ``(C_in, C_out / groups, kD, kH, kW)``.

    Examples:
        >>> import ember
        >>> x = ember.ones(1, 1, 2, 2, 2)
        >>> ember.nn.functional.conv_transpose3d(x, ember.ones(1, 1, 2, 2, 2)).shape
        ember.Size([1, 1, 3, 3, 3])
    """
    return _conv_transpose(3, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def unfold(input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
           stride: Any = 1) -> Tensor:
    """Extracts sliding local blocks: ``(N, C, H, W) -> (N, C * kH * kW, L)``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.unfold(ember.ones(1, 2, 3, 3), 2).shape
        ember.Size([1, 8, 4])
    """
    if input.dim() not in (3, 4):
        raise NotImplementedError(f"Input Error: Only 3D or 4D input Tensors are supported "
                                  f"(got {input.dim()}D)")
    k, dl = ntuple(kernel_size, 2, "kernel_size"), ntuple(dilation, 2, "dilation")
    p, s = ntuple(padding, 2, "padding"), ntuple(stride, 2, "stride")
    pads = tuple((a, a) for a in p)
    out = tuple((m + 2 * a - d_ * (kk - 1) - 1) // ss + 1
                for m, a, d_, kk, ss in zip(input.shape[-2:], p, dl, k, s))
    cols = Im2Col.apply(ConstantPad.apply(input, pads, 0.0), k, s, dl, out)
    lead = tuple(input.shape[:-3])
    return cols.reshape(lead + (input.shape[-3] * k[0] * k[1], out[0] * out[1]))


def fold(input: Tensor, output_size: Any, kernel_size: Any, dilation: Any = 1,
         padding: Any = 0, stride: Any = 1) -> Tensor:
    """Combines sliding local blocks into a tensor, summing overlaps (adjoint of
    :func:`unfold`): ``(N, C * kH * kW, L) -> (N, C, H, W)``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.fold(ember.ones(1, 4, 4), (3, 3), 2)[0, 0, 1]
        tensor([2., 4., 2.])
    """
    if input.dim() not in (2, 3):
        raise NotImplementedError(f"Input Error: Only unbatched (2D) or batched (3D) input "
                                  f"Tensors are supported (got {input.dim()}D)")
    size = ntuple(output_size, 2, "output_size")
    k, dl = ntuple(kernel_size, 2, "kernel_size"), ntuple(dilation, 2, "dilation")
    p, s = ntuple(padding, 2, "padding"), ntuple(stride, 2, "stride")
    out = tuple((m + 2 * a - d_ * (kk - 1) - 1) // ss + 1
                for m, a, d_, kk, ss in zip(size, p, dl, k, s))
    kk = k[0] * k[1]
    if input.shape[-2] % kk:
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the "
                           f"product of kernel_size, but got input.size(1)={input.shape[-2]} "
                           f"and kernel_size={k}")
    if input.shape[-1] != out[0] * out[1]:
        raise RuntimeError(f"Given output_size={size}, kernel_size={k}, dilation={dl}, "
                           f"padding={p}, stride={s}, expected size of input's dimension 2 "
                           f"to match the calculated number of sliding blocks "
                           f"{out[0]} * {out[1]} = {out[0] * out[1]}, but got "
                           f"input.size(2)={input.shape[-1]}.")
    lead = tuple(input.shape[:-2])
    cols = input.reshape(lead + (input.shape[-2] // kk, kk) + out)
    padded = tuple(m + 2 * a for m, a in zip(size, p))
    y = Col2Im.apply(cols, padded, k, s, dl)
    return ConstantPad.apply(y, tuple((-a, -a) for a in p), 0.0)
