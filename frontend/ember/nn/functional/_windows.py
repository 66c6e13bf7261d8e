"""Sliding windows, the building block of convolution and pooling.

# NOTE [ Windows ]
``Im2Col`` turns ``x`` of shape ``(*lead, *spatial)`` into ``(*lead, K, *out)``: one strided
slice of ``x`` per kernel offset (``K = prod(kernel)`` slices, stacked), so the Python loop
runs over kernel offsets, never over output pixels, and the work is a handful of array
copies. ``Col2Im`` is its adjoint: it adds each slice back where it came from. Each is the
other's backward, so both are differentiable to any order. ``ConstantPad`` pads (or, with
negative widths, crops) the trailing dimensions; its backward is the opposite pad.
``PoolGather`` picks elements by flat spatial index (max pooling); its backward scatters
the gradient back to those indices.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import ember
from ember import Tensor
from ember.autograd import Function

from ._utils import named

__all__ = ["Im2Col", "Col2Im", "ConstantPad", "PoolGather", "PoolScatter", "out_size",
           "windows"]


def _slices(offsets: Sequence[int], stride: Sequence[int], dilation: Sequence[int],
            out: Sequence[int]) -> tuple:
    return tuple(slice(o * d, o * d + s * (n - 1) + 1, s)
                 for o, s, d, n in zip(offsets, stride, dilation, out))


def windows(x: Tensor, kernel: Sequence[int], stride: Sequence[int],
            dilation: Sequence[int], out: Sequence[int]) -> Tensor:
    """The windows of ``x`` as ``(*lead, K, *out)`` (no autograd: see :class:`Im2Col`)."""
    lead = (slice(None),) * (x.dim() - len(kernel))
    pieces = [x[lead + _slices(offs, stride, dilation, out)]
              for offs in itertools.product(*(range(k) for k in kernel))]
    return ember.stack(pieces, len(lead))


def _unwindows(cols: Tensor, size: Sequence[int], kernel: Sequence[int],
               stride: Sequence[int], dilation: Sequence[int]) -> Tensor:
    d = len(kernel)
    nlead = cols.dim() - d - 1
    out = tuple(cols.shape[nlead + 1:])
    lead = (slice(None),) * nlead
    buf = cols.new_zeros(tuple(cols.shape[:nlead]) + tuple(size))
    for k, offs in enumerate(itertools.product(*(range(n) for n in kernel))):
        idx = lead + _slices(offs, stride, dilation, out)
        buf[idx] += cols[lead + (k,)]
    return buf


class Im2Col(Function):
    """``(*lead, *size) -> (*lead, K, *out)`` (see NOTE [ Windows ])."""

    @staticmethod
    def forward(ctx: Any, x: Tensor, kernel: tuple, stride: tuple, dilation: tuple,
                out: tuple) -> Tensor:
        ctx.args = (tuple(x.shape[x.dim() - len(kernel):]), kernel, stride, dilation)
        return windows(x, kernel, stride, dilation, out)

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        return (Col2Im.apply(g, *ctx.args), None, None, None, None)


class Col2Im(Function):
    """``(*lead, K, *out) -> (*lead, *size)``, the adjoint of :class:`Im2Col`."""

    @staticmethod
    def forward(ctx: Any, cols: Tensor, size: tuple, kernel: tuple, stride: tuple,
                dilation: tuple) -> Tensor:
        ctx.args = (kernel, stride, dilation, tuple(cols.shape[cols.dim() - len(kernel):]))
        return _unwindows(cols, size, kernel, stride, dilation)

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        return (Im2Col.apply(g, *ctx.args), None, None, None, None)


named(Im2Col, "Im2ColBackward0")
named(Col2Im, "Col2ImBackward0")


def _pad_raw(x: Tensor, pads: Sequence[tuple[int, int]], value: float) -> Tensor:
    d = len(pads)
    nlead = x.dim() - d
    sizes = x.shape[nlead:]
    new = tuple(n + lo + hi for n, (lo, hi) in zip(sizes, pads))
    if any(n < 0 for n in new):
        raise RuntimeError(f"The input size {sizes[0]}, plus negative padding "
                           f"{pads[0][0]} and {pads[0][1]} resulted in a negative output size, "
                           f"which is invalid. Check dimension {nlead} of your input.")
    buf = x.new_full(tuple(x.shape[:nlead]) + new, value)
    src = tuple(slice(max(-lo, 0), n - max(-hi, 0)) for n, (lo, hi) in zip(sizes, pads))
    dst = tuple(slice(max(lo, 0), m - max(hi, 0)) for m, (lo, hi) in zip(new, pads))
    lead = (slice(None),) * nlead
    if all(s.stop > s.start for s in src):
        buf[lead + dst] = x[lead + src]
    return buf


class ConstantPad(Function):
    """Pad the trailing ``len(pads)`` dimensions by ``(low, high)`` each with ``value``."""

    @staticmethod
    def forward(ctx: Any, x: Tensor, pads: tuple, value: float) -> Tensor:
        ctx.pads = pads
        return _pad_raw(x, pads, value)

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        return ConstantPad.apply(g, tuple((-lo, -hi) for lo, hi in ctx.pads), 0.0), None, None


named(ConstantPad, "ConstantPadNdBackward0")


def _flat(t: Tensor, d: int) -> Tensor:
    return t.reshape(tuple(t.shape[:t.dim() - d]) + (-1,))


class PoolGather(Function):
    """``out[..., o] = x[..., index[..., o]]`` over the flattened trailing ``d`` dims;
    ``repeats=False`` promises that no index repeats, so the backward writes instead of
    adding up; ``values``, when given, are those elements, already taken."""

    @staticmethod
    def forward(ctx: Any, x: Tensor, index: Tensor, d: int, repeats: bool = True,
                values: Tensor | None = None) -> Tensor:
        ctx.shape, ctx.d, ctx.repeats = tuple(x.shape), d, repeats
        ctx.save_for_backward(index)
        if values is not None:  # the caller found them with the index
            return values
        return _flat(x, d).gather(-1, _flat(index, d)).reshape(index.shape)

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        (index,) = ctx.saved_tensors
        grad = PoolScatter.apply(g, index, ctx.shape, ctx.d, ctx.repeats)
        return grad, None, None, None, None


class PoolScatter(Function):
    """Put ``x[..., o]`` at ``out[..., index[..., o]]``: added up (``accumulate``, the adjoint
    of :class:`PoolGather` and the backward of max pooling) or written (``max_unpool``)."""

    @staticmethod
    def forward(ctx: Any, x: Tensor, index: Tensor, shape: tuple, d: int,
                accumulate: bool) -> Tensor:
        ctx.d = d
        ctx.save_for_backward(index)
        nlead = len(shape) - d
        buf = x.new_zeros(tuple(shape[:nlead]) + (math.prod(shape[nlead:]),))
        scatter = buf.scatter_add if accumulate else buf.scatter
        return scatter(-1, _flat(index, d), _flat(x, d)).reshape(shape)

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        (index,) = ctx.saved_tensors
        return PoolGather.apply(g, index, ctx.d), None, None, None, None


named(PoolGather, "MaxPoolWithIndicesBackward0")
named(PoolScatter, "MaxUnpoolBackward0")


def out_size(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool,
             p_hi: int | None = None) -> int:
    """PyTorch's pooling/convolution output length (``ceil_mode`` as in pooling_shape)."""
    p_hi = p if p_hi is None else p_hi
    span = size + p + p_hi - d * (k - 1) - 1
    if ceil_mode:
        n = -(-span // s) + 1
        if (n - 1) * s >= size + p:
            n -= 1
        return n
    return span // s + 1
