"""The tensor side of ``functional``: images are ``(..., C, H, W)`` tensors.

Written against Ember's public tensor API only (flip, indexing, ``nn.functional.pad`` and
``interpolate``), so it runs on every backend; semantics follow
``torchvision.transforms._functional_tensor`` (integer images are resampled in float32 and
rounded back; colour blends clamp to the dtype's range).
"""

from __future__ import annotations

from typing import Any

import ember
import ember.nn.functional as nnF
from ember import Tensor

__all__ = ["assert_image_tensor", "get_dimensions", "max_value", "convert_image_dtype", "hflip",
           "vflip", "crop", "edge_index", "pad", "resize", "rgb_to_grayscale", "adjust_brightness",
           "adjust_contrast", "adjust_saturation", "adjust_hue", "cast_squeeze_in",
           "cast_squeeze_out"]

_INT_TYPES = (ember.uint8, ember.int8, ember.int16, ember.int32, ember.int64)


def assert_image_tensor(img: Tensor) -> None:
    if img.ndim < 2:
        raise TypeError("Tensor is not a torch image.")


def get_dimensions(img: Tensor) -> list[int]:
    """``[channels, height, width]`` of a ``(..., C, H, W)`` (or ``(H, W)``) tensor."""
    assert_image_tensor(img)
    channels = 1 if img.ndim == 2 else img.shape[-3]
    return [channels, img.shape[-2], img.shape[-1]]


def _assert_channels(img: Tensor, permitted: list[int]) -> None:
    c = get_dimensions(img)[0]
    if c not in permitted:
        raise TypeError(f"Input image tensor permitted channel values are {permitted}, but "
                        f"found {c}")


def max_value(dtype: Any) -> float | int:
    """The largest value of an image of ``dtype``: 1.0 for floats, the type's max for ints."""
    if dtype.is_floating_point:
        return 1.0
    if dtype is ember.bool:
        return 1
    return ember.iinfo(dtype).max


def convert_image_dtype(image: Tensor, dtype: Any = ember.float) -> Tensor:
    """Converts ``image`` to ``dtype``, rescaling values between the two types' ranges."""
    if not isinstance(image, Tensor):
        raise TypeError("Input img should be Tensor Image")
    if image.dtype is dtype:
        return image
    if image.is_floating_point():
        if dtype.is_floating_point:
            return image.to(dtype)
        if (image.dtype is ember.float32 and dtype in (ember.int32, ember.int64)) or (
                image.dtype is ember.float64 and dtype is ember.int64):
            raise RuntimeError(f"The cast from {image.dtype} to {dtype} cannot be performed "
                               f"safely.")
        # 1 - eps keeps 1.0 from landing one past the integer maximum.
        eps = 1e-3
        return image.mul(max_value(dtype) + 1.0 - eps).to(dtype)
    input_max = max_value(image.dtype)
    if dtype.is_floating_point:
        return image.to(dtype) / input_max
    output_max = max_value(dtype)
    if input_max > output_max:
        factor = int((input_max + 1) // (output_max + 1))
        return ember.div(image, factor, rounding_mode="floor").to(dtype)
    factor = int((output_max + 1) // (input_max + 1))
    return image.to(dtype) * factor


def hflip(img: Tensor) -> Tensor:
    assert_image_tensor(img)
    return img.flip(-1)


def vflip(img: Tensor) -> Tensor:
    assert_image_tensor(img)
    return img.flip(-2)


def crop(img: Tensor, top: int, left: int, height: int, width: int) -> Tensor:
    """Crops ``img[..., top:top+height, left:left+width]``; outside the image is zero."""
    assert_image_tensor(img)
    _, h, w = get_dimensions(img)
    right, bottom = left + width, top + height
    if left < 0 or top < 0 or right > w or bottom > h:
        padding_ltrb = [max(-left + min(0, right), 0), max(-top + min(0, bottom), 0),
                        max(right - max(w, left), 0), max(bottom - max(h, top), 0)]
        return pad(img[..., max(top, 0):bottom, max(left, 0):right], padding_ltrb, fill=0)
    return img[..., top:bottom, left:right]


def edge_index(n: int, lo: int, hi: int, mode: str) -> list[int]:
    """Source indices for padding ``n`` items by ``lo``/``hi`` in a non-constant mode
    (NumPy's ``edge``, ``reflect``, ``symmetric``); negative widths crop."""
    out = []
    for i in range(-lo, n + hi):
        if mode == "edge":
            j = min(max(i, 0), n - 1)
        elif mode == "reflect":  # mirror without repeating the edge pixel
            period = 2 * (n - 1) or 1
            j = i % period
            j = period - j if j >= n else j
        else:  # symmetric: mirror repeating the edge pixel
            period = 2 * n
            j = i % period
            j = period - 1 - j if j >= n else j
        out.append(j)
    return out


def pad(img: Tensor, padding: list[int], fill: Any = 0, padding_mode: str = "constant") -> Tensor:
    """Pads the last two dimensions by ``padding = [left, top, right, bottom]``."""
    assert_image_tensor(img)
    if fill is None:
        fill = 0
    if isinstance(fill, (list, tuple)) and len(fill) == 1:
        fill = fill[0]
    if not isinstance(fill, (int, float)):
        raise TypeError("Got inappropriate fill arg")
    left, top, right, bottom = padding
    if padding_mode == "constant":
        return nnF.pad(img, (left, right, top, bottom), value=float(fill))
    if img.ndim < 3 and padding_mode == "symmetric":
        raise RuntimeError("Symmetric padding of N-D tensors are not supported yet")
    # NOTE: every non-constant mode is an index gather per dimension; negative widths crop.
    for dim, lo, hi in ((-2, top, bottom), (-1, left, right)):
        n = img.shape[dim]
        idx = edge_index(n, lo, hi, padding_mode)
        img = img.index_select(dim, ember.tensor(idx, dtype=ember.int64, device=img.device))
    return img


def cast_squeeze_in(img: Tensor, req_dtypes: list[Any]) -> tuple[Tensor, bool, bool, Any]:
    """``img`` as a 4-D tensor of one of ``req_dtypes``, and how to undo that."""
    need_squeeze = img.ndim < 4
    if need_squeeze:
        img = img.unsqueeze(0)
    out_dtype = img.dtype
    need_cast = out_dtype not in req_dtypes
    if need_cast:
        img = img.to(req_dtypes[0])
    return img, need_cast, need_squeeze, out_dtype


def cast_squeeze_out(img: Tensor, need_cast: bool, need_squeeze: bool, out_dtype: Any) -> Tensor:
    if need_squeeze:
        img = img.squeeze(0)
    if need_cast:
        if out_dtype in _INT_TYPES:
            img = img.round()  # the float result lands on the nearest integer value
        img = img.to(out_dtype)
    return img


def _aa_filter(mode: str):
    if mode == "bilinear":
        return 2, lambda x: max(0.0, 1.0 - abs(x))

    def cubic(x: float, a: float = -0.5) -> float:  # Keys' kernel with PIL's a = -0.5
        x = abs(x)
        if x < 1.0:
            return ((a + 2) * x - (a + 3)) * x * x + 1
        if x < 2.0:
            return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
        return 0.0

    return 4, cubic


def _aa_resample_last(x: Tensor, n_out: int, mode: str) -> Tensor:
    """Antialiased resampling of the last dimension, as PIL and PyTorch's ``_aa`` kernels:
    each output sample averages the inputs under a filter stretched by the scale factor."""
    n_in = x.shape[-1]
    interp_size, filt = _aa_filter(mode)
    scale = n_in / n_out
    support = interp_size * 0.5 * scale if scale >= 1.0 else interp_size * 0.5
    invscale = 1.0 / scale if scale >= 1.0 else 1.0
    rows_idx, rows_w = [], []
    for i in range(n_out):
        center = scale * (i + 0.5)
        xmin = max(int(center - support + 0.5), 0)
        xsize = min(int(center + support + 0.5), n_in) - xmin
        ws = [filt((j + xmin - center + 0.5) * invscale) for j in range(xsize)]
        total = sum(ws)
        rows_idx.append(list(range(xmin, xmin + xsize)))
        rows_w.append([w / total for w in ws] if total != 0.0 else ws)
    k = max(len(r) for r in rows_idx)
    idx = [r + [0] * (k - len(r)) for r in rows_idx]
    wts = [r + [0.0] * (k - len(r)) for r in rows_w]
    idx_t = ember.tensor(idx, dtype=ember.int64, device=x.device)
    w_t = ember.tensor(wts, dtype=x.dtype, device=x.device)
    return (x[..., idx_t] * w_t).sum(-1)


def resize(img: Tensor, size: list[int], interpolation: str = "bilinear",
           antialias: bool | None = True) -> Tensor:
    """Resizes the last two dimensions to ``size = [h, w]`` with ``interpolate``'s modes,
    or with an antialiasing filter when downsampling bilinearly or bicubically."""
    assert_image_tensor(img)
    if antialias is None:
        antialias = False
    if antialias and interpolation not in ("bilinear", "bicubic"):
        antialias = False
    img, need_cast, need_squeeze, out_dtype = cast_squeeze_in(img, [ember.float32,
                                                                    ember.float64])
    if antialias:
        img = _aa_resample_last(img, size[1], interpolation)
        img = _aa_resample_last(img.transpose(-1, -2), size[0], interpolation).transpose(-1, -2)
    else:
        align_corners = False if interpolation in ("bilinear", "bicubic") else None
        img = nnF.interpolate(img, size=list(size), mode=interpolation,
                              align_corners=align_corners)
    if interpolation == "bicubic" and out_dtype is ember.uint8:
        img = img.clamp(min=0, max=255)
    return cast_squeeze_out(img, need_cast, need_squeeze, out_dtype)


def rgb_to_grayscale(img: Tensor, num_output_channels: int = 1) -> Tensor:
    """ITU-R 601-2 luma ``0.2989 R + 0.587 G + 0.114 B`` (as torchvision's tensor path)."""
    if img.ndim < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found "
                        f"{img.ndim}")
    _assert_channels(img, [1, 3])
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    if img.shape[-3] == 3:
        r, g, b = img.unbind(dim=-3)
        l_img = (0.2989 * r + 0.587 * g + 0.114 * b).to(img.dtype).unsqueeze(-3)
    else:
        l_img = img.clone()
    if num_output_channels == 3:
        return l_img.expand(img.shape)
    return l_img


def _blend(img1: Tensor, img2: Tensor, ratio: float) -> Tensor:
    ratio = float(ratio)
    bound = max_value(img1.dtype)
    return (ratio * img1 + (1.0 - ratio) * img2).clamp(0, bound).to(img1.dtype)


def adjust_brightness(img: Tensor, brightness_factor: float) -> Tensor:
    if brightness_factor < 0:
        raise ValueError(f"brightness_factor ({brightness_factor}) is not non-negative.")
    assert_image_tensor(img)
    _assert_channels(img, [1, 3])
    return _blend(img, ember.zeros_like(img), brightness_factor)


def adjust_contrast(img: Tensor, contrast_factor: float) -> Tensor:
    if contrast_factor < 0:
        raise ValueError(f"contrast_factor ({contrast_factor}) is not non-negative.")
    assert_image_tensor(img)
    _assert_channels(img, [3, 1])
    c = get_dimensions(img)[0]
    dtype = img.dtype if img.is_floating_point() else ember.float32
    gray = rgb_to_grayscale(img) if c == 3 else img
    mean = ember.mean(gray.to(dtype), dim=(-3, -2, -1), keepdim=True)
    return _blend(img, mean, contrast_factor)


def adjust_saturation(img: Tensor, saturation_factor: float) -> Tensor:
    if saturation_factor < 0:
        raise ValueError(f"saturation_factor ({saturation_factor}) is not non-negative.")
    assert_image_tensor(img)
    _assert_channels(img, [1, 3])
    if get_dimensions(img)[0] == 1:  # Match PIL behaviour
        return img
    return _blend(img, rgb_to_grayscale(img), saturation_factor)


def _rgb2hsv(img: Tensor) -> Tensor:
    r, g, b = img.unbind(dim=-3)
    maxc = ember.max(img, dim=-3).values
    minc = ember.min(img, dim=-3).values
    eqc = maxc == minc
    cr = maxc - minc
    ones = ember.ones_like(maxc)
    s = cr / ember.where(eqc, ones, maxc)
    cr_divisor = ember.where(eqc, ones, cr)
    rc = (maxc - r) / cr_divisor
    gc = (maxc - g) / cr_divisor
    bc = (maxc - b) / cr_divisor
    hr = (maxc == r) * (bc - gc)
    hg = ((maxc == g) & (maxc != r)) * (2.0 + rc - bc)
    hb = ((maxc != g) & (maxc != r)) * (4.0 + gc - rc)
    h = ember.fmod((hr + hg + hb) / 6.0 + 1.0, 1.0)
    return ember.stack((h, s, maxc), dim=-3)


def _hsv2rgb(img: Tensor) -> Tensor:
    h, s, v = img.unbind(dim=-3)
    i = ember.floor(h * 6.0)
    f = h * 6.0 - i
    i = i.to(ember.int32) % 6
    p = ember.clamp(v * (1.0 - s), 0.0, 1.0)
    q = ember.clamp(v * (1.0 - s * f), 0.0, 1.0)
    t = ember.clamp(v * (1.0 - s * (1.0 - f)), 0.0, 1.0)
    mask = i.unsqueeze(dim=-3) == ember.arange(6, device=i.device).view(-1, 1, 1)
    a1 = ember.stack((v, q, p, p, t, v), dim=-3)
    a2 = ember.stack((t, v, v, q, p, p), dim=-3)
    a3 = ember.stack((p, p, t, v, v, q), dim=-3)
    a4 = ember.stack((a1, a2, a3), dim=-4)
    return ember.einsum("...ijk, ...xijk -> ...xjk", mask.to(img.dtype), a4)


def adjust_hue(img: Tensor, hue_factor: float) -> Tensor:
    if not (-0.5 <= hue_factor <= 0.5):
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    assert_image_tensor(img)
    _assert_channels(img, [1, 3])
    if get_dimensions(img)[0] == 1:  # Match PIL behaviour
        return img
    orig_dtype = img.dtype
    hsv = _rgb2hsv(convert_image_dtype(img, ember.float32))
    h, s, v = hsv.unbind(dim=-3)
    h = (h + hue_factor) % 1.0
    rgb = _hsv2rgb(ember.stack((h, s, v), dim=-3))
    return convert_image_dtype(rgb, orig_dtype)
