"""Max pooling: ``max_pool1d/2d/3d``, ``adaptive_max_pool1d/2d/3d`` and
``max_unpool1d/2d/3d`` (average pooling is in ``_pooling_avg``).

# NOTE [ Max pooling ]
Max pooling first finds, without autograd, the flat spatial index of each window's maximum
(the first one in row-major order, as PyTorch picks it; NaN wins). The input is padded
with the dtype's lowest value (also on the high side where ``ceil_mode`` lets the last
window run past the end); then a loop over the kernel offsets compares each offset's
strided slice (a view, see NOTE [ Windows ]) with the running maximum and keeps the flat
index where it is strictly larger -- a few elementwise ops per offset, several times
cheaper than stacking the windows and calling ``argmax`` across them. The values enter
autograd through :class:`PoolGather`, whose backward
sends each gradient to its index only -- written, not added up, when no two windows can
pick the same element. Adaptive max pooling has per-output windows of varying length:
an ``(out, k)`` index table and validity mask per dimension, gathered with
``index_select``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import ember
from ember import Tensor

from ._utils import ntuple
from ._windows import PoolGather, _pad_raw, _slices, out_size

__all__ = ["max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices",
           "max_pool2d_with_indices", "max_pool3d_with_indices", "adaptive_max_pool1d",
           "adaptive_max_pool2d",
           "adaptive_max_pool3d", "adaptive_max_pool1d_with_indices",
           "adaptive_max_pool2d_with_indices", "adaptive_max_pool3d_with_indices"]


def _check_dims(x: Tensor, d: int, op: str) -> None:
    if x.dim() in (d + 1, d + 2) and x.numel():
        return
    if op == "max_pool1d":
        raise RuntimeError(f"max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 "
                           f"dim batch size for input, but got:{list(x.shape)}")
    if op.startswith("adaptive"):
        raise RuntimeError(f"{op}(): Expected {d + 1}D or {d + 2}D tensor, but got "
                           f"{list(x.shape)}")
    raise RuntimeError(f"non-empty {d + 1}D or {d + 2}D (batch mode) tensor expected for input")


def _argmax_index(x: Tensor, tables: Sequence[Tensor], valid: Sequence[Tensor]) -> Tensor:
    """Flat spatial index of each window's maximum; ``tables[i][o, j]`` is the input position
    of element ``j`` of window ``o`` along spatial dimension ``i`` and ``valid[i]`` says
    which positions exist (see NOTE [ Max pooling ])."""
    d = len(tables)
    nlead = x.dim() - d
    sizes = x.shape[nlead:]
    outs = tuple(t.shape[0] for t in tables)
    ks = tuple(t.shape[1] for t in tables)
    with ember.no_grad():
        g = x.detach()
        for i, tab in enumerate(tables):
            pos = nlead + 2 * i
            g = g.index_select(pos, tab.reshape(-1))
            g = g.reshape(tuple(g.shape[:pos]) + (outs[i], ks[i]) + tuple(g.shape[pos + 1:]))
        # (*lead, o1, k1, o2, k2, ...) -> (*lead, o1, o2, ..., k1 * k2 * ...)
        perm = list(range(nlead)) + [nlead + 2 * i for i in range(d)] + \
            [nlead + 2 * i + 1 for i in range(d)]
        g = g.permute(perm).reshape(tuple(x.shape[:nlead]) + outs + (math.prod(ks),))
        mask = None
        for i, v in enumerate(valid):
            shape = [1] * (2 * d)
            shape[i], shape[d + i] = outs[i], ks[i]
            m = v.reshape(shape)
            mask = m if mask is None else mask & m
        mask = mask.reshape(outs + (math.prod(ks),))
        if not bool(mask.all()):
            g = g.masked_fill(~mask, float("-inf"))
        kidx = g.argmax(-1)
        flat = None
        for i in range(d):
            j = (kidx // math.prod(ks[i + 1:])) % ks[i]
            o = ember.arange(outs[i], device=x.device).reshape((outs[i],) + (1,) * (d - 1 - i))
            coord = tables[i].reshape(-1)[o * ks[i] + j]
            term = coord * math.prod(sizes[i + 1:])
            flat = term if flat is None else flat + term
    return flat


def _lowest(x: Tensor) -> Any:
    if x.dtype.is_floating_point:
        return float("-inf")
    return False if x.dtype == ember.bool else ember.iinfo(x.dtype).min


def _window_max(x: Tensor, k: tuple, s: tuple, p: tuple, dl: tuple, outs: tuple) -> tuple:
    """Each window's maximum, the flat spatial index of its first occurrence, and whether
    two windows may pick the same element (see NOTE [ Max pooling ])."""
    d = len(k)
    sizes = tuple(x.shape[x.dim() - d:])
    his = tuple(max(pv, (o - 1) * sv + (kv - 1) * dv + 1 - m - pv)
                for m, o, kv, sv, pv, dv in zip(sizes, outs, k, s, p, dl))
    strides = [math.prod(sizes[i + 1:]) for i in range(d)]
    padded = any(p) or any(h > pv for h, pv in zip(his, p))
    lead = (slice(None),) * (x.dim() - d)
    floating = x.dtype.is_floating_point
    with ember.no_grad():
        g = x.detach()
        if padded:
            g = _pad_raw(g, tuple(zip(p, his)), _lowest(x))
        offsets, pieces = [], []
        for js in itertools.product(*(range(kv) for kv in k)):
            offsets.append(sum(j * dv * st for j, dv, st in zip(js, dl, strides)))
            pieces.append(g[lead + _slices(js, s, dl, outs)])
        win = ember.stack(pieces, 0)  # (K, *lead, *out)
        best = win.amax(0)
        hit = win == best
        if floating and bool(best.isnan().any()):
            hit |= win.isnan()
        nk = len(offsets)
        rank = ember.arange(nk, 0, -1, dtype=ember.uint8 if nk < 256 else ember.int32,
                            device=x.device)
        code = (hit * rank.reshape((nk,) + (1,) * (win.dim() - 1))).amax(0).long()
        flat = ember.tensor([0] + offsets[::-1], device=x.device)[code]
        flat += _grid([[o * sv - pv for o in range(n)] for n, sv, pv in zip(outs, s, p)],
                      strides, x.device)
        if padded:
            flat = _first_valid_where_padding(flat, nk - code, k, s, p, dl, outs, sizes, strides)
    overlap = padded or any(sv < (kv - 1) * dv + 1 for kv, sv, dv in zip(k, s, dl))
    return best, flat, overlap


def _grid(coords: Sequence[Sequence[int]], strides: Sequence[int], device: Any) -> Tensor:
    """``sum_i coords[i][o_i] * strides[i]`` broadcast over the output grid ``(o_1, ...)``."""
    d, out = len(coords), None
    for i, (c, st) in enumerate(zip(coords, strides)):
        t = ember.tensor([v * st for v in c], device=device)
        t = t.reshape((len(c),) + (1,) * (d - 1 - i))
        out = t if out is None else out + t
    return out


def _first_valid_where_padding(flat: Tensor, kidx: Tensor, k: tuple, s: tuple, p: tuple,
                               dl: tuple, outs: tuple, sizes: tuple, strides: list) -> Tensor:
    """Where the maximum fell on padding (a window holding only the lowest value), point at
    the window's first real element instead, as PyTorch does; ``kidx`` is the kernel
    offset each maximum was found at."""
    d = len(k)
    js = list(itertools.product(*(range(kv) for kv in k)))
    valid = None
    firsts = []
    for i in range(d):
        lo = [o * s[i] - p[i] for o in range(outs[i])]
        firsts.append([v + dl[i] * -(-max(0, -v) // dl[i]) for v in lo])
        c = ember.tensor([j[i] * dl[i] for j in js], device=flat.device)[kidx]
        c += ember.tensor(lo, device=flat.device).reshape((outs[i],) + (1,) * (d - 1 - i))
        ok = (c >= 0) & (c < sizes[i])
        valid = ok if valid is None else valid & ok
    return ember.where(valid, flat, _grid(firsts, strides, flat.device))


def _adaptive_tables(size: int, n: int, device: Any) -> tuple:
    starts = [(o * size) // n for o in range(n)]
    ends = [-(-((o + 1) * size) // n) for o in range(n)]
    kmax = max(e - s for s, e in zip(starts, ends))
    tab = [[min(s + j, size - 1) for j in range(kmax)] for s in starts]
    valid = [[s + j < e for j in range(kmax)] for s, e in zip(starts, ends)]
    return (ember.tensor(tab, dtype=ember.int64, device=device),
            ember.tensor(valid, dtype=ember.bool, device=device))


def _max_pool(d: int, input: Tensor, kernel_size: Any, stride: Any, padding: Any,
              dilation: Any, ceil_mode: bool, return_indices: bool) -> Any:
    op = f"max_pool{d}d"
    k = ntuple(kernel_size, d, "kernel_size")
    s = k if stride is None or (not isinstance(stride, int) and len(stride) == 0) else \
        ntuple(stride, d, "stride")
    p, dl = ntuple(padding, d, "padding"), ntuple(dilation, d, "dilation")
    _check_dims(input, d, op)
    if any(v <= 0 for v in s):
        raise RuntimeError("stride should not be zero")
    if any(v <= 0 for v in k):
        raise RuntimeError(f"{op}(): kernel_size must be greater than zero, but got "
                           f"{', '.join(map(str, k))}")
    if any(v <= 0 for v in dl):
        raise RuntimeError(f"{op}(): dilation must be greater than zero, but got "
                           f"{', '.join(map(str, dl))}")
    for pv, kv, dv in zip(p, k, dl):
        if d == 1 and pv > kv // 2:
            raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, "
                               f"but got padding={pv} and kernel_size={kv}")
        if pv < 0 or pv > ((kv - 1) * dv + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                               f"pad={pv}, kernel_size={kv} and dilation={dv}")
    sizes = input.shape[input.dim() - d:]
    outs = [out_size(m, kv, sv, pv, dv, ceil_mode) for m, kv, sv, pv, dv in
            zip(sizes, k, s, p, dl)]
    if any(o <= 0 for o in outs):
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, input.shape[-d - 1:]))}). "
                           f"Calculated output size: ({input.shape[-d - 1]}x"
                           f"{'x'.join(map(str, outs))}). Output size is too small")
    values, index, overlap = _window_max(input, k, s, p, dl, tuple(outs))
    out = PoolGather.apply(input, index, d, overlap, values)
    return (out, index) if return_indices else out


def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """1-D max pooling over ``(N, C, L)`` or ``(C, L)``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.max_pool1d(ember.tensor([[1.0, 3.0, 2.0, 0.0]]), 2)
        tensor([[3., 2.]])
    """
    return _max_pool(1, input, kernel_size, stride, padding, dilation, ceil_mode,
                     return_indices)


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """2-D max pooling over ``(N, C, H, W)`` or ``(C, H, W)``.

    Args:
        kernel_size: window size, an int or a pair.
        stride: window step; defaults to ``kernel_size``.
        padding: implicit ``-inf`` padding on both sides (at most half the kernel).
        dilation: spacing between window elements.
        ceil_mode: use ceil instead of floor for the output size.
        return_indices: also return the flat ``H * W`` index of each maximum (for
            :func:`max_unpool2d`).

    Examples:
        >>> import ember
        >>> x = ember.arange(16.0).reshape(1, 1, 4, 4)
        >>> ember.nn.functional.max_pool2d(x, 2)
        tensor([[[[ 5.,  7.],
                  [13., 15.]]]])
    """
    return _max_pool(2, input, kernel_size, stride, padding, dilation, ceil_mode,
                     return_indices)


def max_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """3-D max pooling over ``(N, C, D, H, W)`` or ``(C, D, H, W)``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.max_pool3d(ember.ones(1, 1, 2, 2, 2), 2).shape
        ember.Size([1, 1, 1, 1, 1])
    """
    return _max_pool(3, input, kernel_size, stride, padding, dilation, ceil_mode,
                     return_indices)


def max_pool1d_with_indices(*args: Any, **kwargs: Any) -> tuple:
    """:func:`max_pool1d` returning ``(output, indices)``."""
    kwargs["return_indices"] = True
    return max_pool1d(*args, **kwargs)


def max_pool2d_with_indices(*args: Any, **kwargs: Any) -> tuple:
    """:func:`max_pool2d` returning ``(output, indices)``."""
    kwargs["return_indices"] = True
    return max_pool2d(*args, **kwargs)


def max_pool3d_with_indices(*args: Any, **kwargs: Any) -> tuple:
    """:func:`max_pool3d` returning ``(output, indices)``."""
    kwargs["return_indices"] = True
    return max_pool3d(*args, **kwargs)


def _adaptive_out(d: int, input: Tensor, output_size: Any, op: str) -> tuple:
    _check_dims(input, d, op)
    sizes = input.shape[input.dim() - d:]
    outs = ntuple(output_size, d, "output_size")
    return tuple(m if o is None else o for m, o in zip(sizes, outs)), tuple(sizes)


def _adaptive_max(d: int, input: Tensor, output_size: Any, return_indices: bool) -> Any:
    outs, sizes = _adaptive_out(d, input, output_size, f"adaptive_max_pool{d}d")
    specs = [_adaptive_tables(m, o, input.device) for m, o in zip(sizes, outs)]
    index = _argmax_index(input, [t for t, _ in specs], [v for _, v in specs])
    out = PoolGather.apply(input, index, d)
    return (out, index) if return_indices else out


def adaptive_max_pool1d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling to a fixed output length.

    Examples:
        >>> import ember
        >>> ember.nn.functional.adaptive_max_pool1d(ember.tensor([[1.0, 3.0, 2.0]]), 1)
        tensor([[3.]])
    """
    return _adaptive_max(1, input, output_size, return_indices)


def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling to a fixed output size; ``return_indices`` also gives the flat indices.

    Examples:
        >>> import ember
        >>> ember.nn.functional.adaptive_max_pool2d(ember.ones(1, 1, 5, 5), 2).shape
        ember.Size([1, 1, 2, 2])
    """
    return _adaptive_max(2, input, output_size, return_indices)


def adaptive_max_pool3d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """3-D max pooling to a fixed output size.

    Examples:
        >>> import ember
        >>> ember.nn.functional.adaptive_max_pool3d(ember.ones(1, 1, 3, 3, 3), 1).shape
        ember.Size([1, 1, 1, 1, 1])
    """
    return _adaptive_max(3, input, output_size, return_indices)


def adaptive_max_pool1d_with_indices(input: Tensor, output_size: Any,
                                     return_indices: bool = True) -> tuple:
    """:func:`adaptive_max_pool1d` returning ``(output, indices)``."""
    return _adaptive_max(1, input, output_size, True)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size: Any,
                                     return_indices: bool = True) -> tuple:
    """:func:`adaptive_max_pool2d` returning ``(output, indices)``."""
    return _adaptive_max(2, input, output_size, True)


def adaptive_max_pool3d_with_indices(input: Tensor, output_size: Any,
                                     return_indices: bool = True) -> tuple:
    """:func:`adaptive_max_pool3d` returning ``(output, indices)``."""
    return _adaptive_max(3, input, output_size, True)
