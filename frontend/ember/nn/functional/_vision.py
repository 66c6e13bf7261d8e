"""Resampling and padding: ``pad``, ``interpolate`` (nearest, nearest-exact, linear,
bilinear, trilinear, bicubic, area), ``upsample*`` and ``pixel_shuffle``/``pixel_unshuffle``.

# NOTE [ Separable resampling ]
Every interpolation mode (and every non-constant padding mode) is separable: along each
spatial dimension the output is a fixed combination of input positions. So each dimension
is handled on its own with :class:`Gather1d` (``index_select`` whose backward is
``index_add``): nearest picks one index, linear blends two, bicubic four. The source
coordinates are computed as PyTorch computes them (``area_pixel_compute_source_index``),
in the input's floating dtype.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import ember
from ember import Tensor

from ._utils import Gather1d
from ._windows import ConstantPad

__all__ = ["pad", "interpolate", "upsample", "upsample_nearest", "upsample_bilinear",
           "pixel_shuffle", "pixel_unshuffle", "channel_shuffle"]

_NONCONST = "Supported combinations for non-constant padding:\n" \
    "  - 2D or 3D input: padding size = 2 (pads last dimension)\n" \
    "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n" \
    "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"


def _index(n: int, lo: int, hi: int, mode: str) -> list[int]:
    out = []
    for i in range(-lo, n + hi):
        if mode == "reflect":
            j = abs(i) if i < 0 else (2 * (n - 1) - i if i >= n else i)
        elif mode == "replicate":
            j = min(max(i, 0), n - 1)
        else:  # circular
            j = i % n
        out.append(j)
    return out


def pad(input: Tensor, pad: Any, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pads the last ``len(pad) // 2`` dimensions: ``pad = (left, right, top, bottom, ...)``
    starting from the last dimension. Modes: ``'constant'`` (``value``, negative widths
    crop), ``'reflect'``, ``'replicate'``, ``'circular'``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.pad(ember.tensor([[1.0, 2.0]]), (1, 1))
        tensor([[0., 1., 2., 0.]])
        >>> ember.nn.functional.pad(ember.tensor([[1.0, 2.0, 3.0]]), (2, 0), mode='reflect')
        tensor([[3., 2., 1., 2., 3.]])
    """
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.dim():
        raise RuntimeError(f"Padding length should be less than or equal to two times the "
                           f"input dimension but got padding length {len(pad)} and input of "
                           f"dimension {input.dim()}")
    pairs = tuple((pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2))[::-1]
    if mode == "constant":
        return ConstantPad.apply(input, pairs, 0.0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    k = len(pairs)
    if k not in (1, 2, 3) or input.dim() not in (k + 1, k + 2):
        raise NotImplementedError(f"Padding size {len(pad)} is not supported for "
                                  f"{input.dim()}D input tensor.\n{_NONCONST}")
    out = input
    first = input.dim() - k
    for i, (lo, hi) in enumerate(pairs):
        dim = first + i
        n = input.shape[dim]
        if mode == "reflect" and (lo >= n or hi >= n):
            arg = 2 * k + 2
            raise RuntimeError(f"Argument #{arg}: Padding size should be less than the "
                               f"corresponding input dimension, but got: padding ({lo}, {hi}) "
                               f"at dimension {dim} of input {list(input.shape)}")
        if mode == "circular" and (lo > n or hi > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        idx = ember.tensor(_index(n, lo, hi, mode), dtype=ember.int64, device=input.device)
        out = Gather1d.apply(out, dim, idx)
    return out


def _scales(input: Tensor, d: int, size: Any, scale_factor: Any,
            recompute: bool | None) -> tuple[list[int], list[float | None]]:
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    spatial = list(input.shape[2:])
    if size is not None:
        sizes = [int(size)] * d if isinstance(size, (int, float)) else [int(s) for s in size]
        if len(sizes) != d:
            raise ValueError(f"Input and output must have the same number of spatial "
                             f"dimensions, but got input with spatial dimensions of "
                             f"{spatial} and output size of {sizes}. Please provide input "
                             f"tensor in (N, C, d1, d2, ...,dK) format and output size in "
                             f"(o1, o2, ...,oK) format.")
        return sizes, [None] * d
    if scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    factors = [float(scale_factor)] * d if isinstance(scale_factor, (int, float)) else \
        [float(s) for s in scale_factor]
    if len(factors) != d:
        raise ValueError(f"Input and scale_factor must have the same number of spatial "
                         f"dimensions, but got input with spatial dimensions of {spatial} and "
                         f"scale_factor of shape {factors}. Please provide input tensor in "
                         f"(N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) "
                         f"format.")
    sizes = [int(math.floor(n * f)) for n, f in zip(spatial, factors)]
    return sizes, [None] * d if recompute else list(factors)


def _coords(n_in: int, n_out: int, scale: float | None, align: bool, cubic: bool,
            dtype: Any, device: Any) -> Tensor:
    dst = ember.arange(n_out, dtype=dtype, device=device)
    if align:
        ratio = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
        return dst * ratio
    ratio = 1.0 / scale if scale is not None and scale > 0 else n_in / n_out
    src = (dst + 0.5) * ratio - 0.5
    return src if cubic else src.clamp(min=0)


def _cubic_weights(t: Tensor) -> list[Tensor]:
    a = -0.75

    def near(x: Tensor) -> Tensor:  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x: Tensor) -> Tensor:  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def _resample_dim(x: Tensor, dim: int, n_out: int, scale: float | None, mode: str,
                  align: bool) -> Tensor:
    n_in = x.shape[dim]
    dev = x.device
    shape = [1] * x.dim()
    shape[dim] = n_out
    if mode in ("nearest", "nearest-exact"):
        ratio = 1.0 / scale if scale is not None and scale > 0 else n_in / n_out
        pos = ember.arange(n_out, dtype=ember.float32, device=dev)
        if mode == "nearest-exact":
            pos = pos + 0.5
        src = (pos * ember.tensor(ratio, dtype=ember.float32, device=dev)).floor().long()
        return Gather1d.apply(x, dim, src.clamp(max=n_in - 1))
    cubic = mode == "bicubic"
    src = _coords(n_in, n_out, scale, align, cubic, x.dtype, dev)
    i0 = src.floor()
    t = (src - i0).reshape(shape)
    i0 = i0.long()
    if not cubic:
        i1 = (i0 + 1).clamp(max=n_in - 1)
        a = Gather1d.apply(x, dim, i0.clamp(max=n_in - 1))
        b = Gather1d.apply(x, dim, i1)
        return a * (1 - t) + b * t
    out = None
    for k, w in enumerate(_cubic_weights(t)):
        idx = (i0 + (k - 1)).clamp(0, n_in - 1)
        term = Gather1d.apply(x, dim, idx) * w
        out = term if out is None else out + term
    return out


_MODES = {"nearest": (1, 2, 3), "nearest-exact": (1, 2, 3), "linear": (1,), "bilinear": (2,),
          "trilinear": (3,), "bicubic": (2,), "area": (1, 2, 3)}


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None,
                mode: str = "nearest", align_corners: bool | None = None,
                recompute_scale_factor: bool | None = None, antialias: bool = False) -> Tensor:
    """Resizes ``(N, C, *spatial)`` to ``size`` or by ``scale_factor``.

    Args:
        size: output spatial size (an int or a tuple).
        scale_factor: multiplier for the spatial size (an int/float or a tuple).
        mode: ``'nearest'``, ``'nearest-exact'``, ``'linear'`` (3-D), ``'bilinear'`` (4-D),
            ``'bicubic'`` (4-D), ``'trilinear'`` (5-D) or ``'area'``.
        align_corners: for the linear modes, align the corner pixels' centres.
        recompute_scale_factor: compute the coordinate scale from the output size.

    Examples:
        >>> import ember
        >>> x = ember.tensor([[[1.0, 2.0]]])
        >>> ember.nn.functional.interpolate(x, scale_factor=2)
        tensor([[[1., 1., 2., 2.]]])
        >>> ember.nn.functional.interpolate(x, size=3, mode='linear', align_corners=True)
        tensor([[[1.0000, 1.5000, 2.0000]]])
    """
    d = input.dim() - 2
    if mode not in _MODES:
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported "
                                  f"(got {input.dim()}D) for the modes: nearest | linear | "
                                  f"bilinear | bicubic | trilinear | lanczos | area | "
                                  f"nearest-exact (got {mode})")
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating "
                             "modes: linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    if antialias:
        raise NotImplementedError("interpolate(): antialias=True is not supported by Ember")
    if d not in _MODES[mode]:
        if d not in (1, 2, 3):
            raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors "
                                      f"supported (got {input.dim()}D) for the modes: nearest "
                                      f"| linear | bilinear | bicubic | trilinear | lanczos | "
                                      f"area | nearest-exact (got {mode})")
        raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs "
                                  f"{_MODES[mode][0] + 2}D input")
    sizes, scales = _scales(input, d, size, scale_factor, recompute_scale_factor)
    if mode == "area":
        from ._pooling_avg import _adaptive_avg

        return _adaptive_avg(d, input, tuple(sizes))
    out = input
    for i, (n, s) in enumerate(zip(sizes, scales)):
        out = _resample_dim(out, 2 + i, n, s, mode, bool(align_corners))
    return out


def upsample(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Deprecated alias of :func:`interpolate`."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    """Deprecated: ``interpolate(..., mode='nearest')``."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    """Deprecated: ``interpolate(..., mode='bilinear', align_corners=True)``."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """Rearranges ``(*, C * r**2, H, W)`` into ``(*, C, H * r, W * r)``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.pixel_shuffle(ember.ones(1, 4, 2, 3), 2).shape
        ember.Size([1, 1, 4, 6])
    """
    r = upscale_factor
    if input.dim() < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but "
                           f"got input with {input.dim()} dimension(s)")
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be "
                           f"divisible by the square of upscale_factor, but input.size(-3)={c} "
                           f"is not divisible by {r * r}")
    n = len(lead)
    x = input.reshape(tuple(lead) + (c // (r * r), r, r, h, w))
    x = x.permute(list(range(n)) + [n, n + 3, n + 1, n + 4, n + 2])
    return x.reshape(tuple(lead) + (c // (r * r), h * r, w * r))


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """Inverse of :func:`pixel_shuffle`: ``(*, C, H * r, W * r)`` into
    ``(*, C * r**2, H, W)``.

    Examples:
        >>> import ember
        >>> ember.nn.functional.pixel_unshuffle(ember.ones(1, 1, 4, 6), 2).shape
        ember.Size([1, 4, 2, 3])
    """
    r = downscale_factor
    if input.dim() < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but "
                           f"got input with {input.dim()} dimension(s)")
    *lead, c, h, w = input.shape
    if h % r or w % r:
        raise RuntimeError(f"pixel_unshuffle expects height and width to be divisible by "
                           f"downscale_factor, but got height={h} and width={w} with "
                           f"downscale_factor={r}")
    n = len(lead)
    x = input.reshape(tuple(lead) + (c, h // r, r, w // r, r))
    x = x.permute(list(range(n)) + [n, n + 2, n + 4, n + 1, n + 3])
    return x.reshape(tuple(lead) + (c * r * r, h // r, w // r))


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """Splits the channels of ``(N, C, *)`` into ``groups`` groups and interleaves them.

    Examples:
        >>> import ember
        >>> x = ember.arange(4.0).reshape(1, 4, 1)
        >>> ember.nn.functional.channel_shuffle(x, 2).reshape(-1)
        tensor([0., 2., 1., 3.])
    """
    if input.dim() < 3:
        raise RuntimeError(f"channel_shuffle expects input to have at least 3 dimensions, but "
                           f"got input with {input.dim()} dimension(s)")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")
    n, c = input.shape[:2]
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels "
                           f"and {groups} groups.")
    rest = tuple(input.shape[2:])
    x = input.reshape((n, groups, c // groups) + rest).transpose(1, 2)
    return x.reshape((n, c) + rest)
