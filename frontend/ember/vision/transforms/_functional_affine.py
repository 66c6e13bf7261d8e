"""Affine warps of tensor images (``rotate``, ``affine``) by inverse mapping.

# NOTE [ Affine grid ]
As in torchvision, an affine transform is given by its *inverse* matrix ``[a, b, c, d, e,
f]``, which maps output coordinates to input coordinates, both measured from the image
centre. Every output pixel centre ``(x, y)`` is mapped to the grid value
``((a x + b y + c) / (w/2), (d x + e y + f) / (h/2))`` and then sampled as
``grid_sample(..., padding_mode="zeros", align_corners=False)`` would: nearest rounds half to
even, bilinear blends the four neighbours, and outside the image reads zero. With ``fill``, a
channel of ones is warped too and tells where the fill colour goes.
"""

from __future__ import annotations

import math
from typing import Any

import ember
from ember import Tensor

from ._functional_tensor import assert_image_tensor, cast_squeeze_in, cast_squeeze_out

__all__ = ["get_inverse_affine_matrix", "compute_affine_output_size", "warp_affine"]


def get_inverse_affine_matrix(center: list[float], angle: float, translate: list[float],
                              scale: float, shear: list[float],
                              inverted: bool = True) -> list[float]:
    """The matrix of ``T * C * RotateScaleShear * C^-1`` (or its inverse), as a 6-list.

    ``angle`` and ``shear`` are in degrees; ``center`` and ``translate`` in pixels.
    """
    rot = math.radians(angle)
    sx, sy = math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    # Rotation-scale-shear without the scaling.
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    if inverted:
        # det([[a, b], [c, d]]) == 1, so the inverse is the adjugate, then scaled.
        matrix = [x / scale for x in (d, -b, 0.0, -c, a, 0.0)]
        matrix[2] += matrix[0] * (-cx - tx) + matrix[1] * (-cy - ty)
        matrix[5] += matrix[3] * (-cx - tx) + matrix[4] * (-cy - ty)
        matrix[2] += cx
        matrix[5] += cy
    else:
        matrix = [x * scale for x in (a, b, 0.0, c, d, 0.0)]
        matrix[2] += matrix[0] * (-cx) + matrix[1] * (-cy)
        matrix[5] += matrix[3] * (-cx) + matrix[4] * (-cy)
        matrix[2] += cx + tx
        matrix[5] += cy + ty
    return matrix


def compute_affine_output_size(matrix: list[float], w: int, h: int) -> tuple[int, int]:
    """``(width, height)`` that holds the whole warped image (as PIL's ``expand=True``).

    Computed in float32 as torchvision does: in float64, ``30000 * 1e-4`` is a hair above
    3 and a 90-degree rotation would gain a column.
    """
    pts = ember.tensor([[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0],
                        [0.5 * w, 0.5 * h, 1.0], [0.5 * w, -0.5 * h, 1.0]])
    theta = ember.tensor(matrix, dtype=ember.float32).reshape(2, 3)
    new_pts = ember.matmul(pts, theta.T)
    half = ember.tensor([0.5 * w, 0.5 * h])
    min_vals = new_pts.amin(dim=0) + half
    max_vals = new_pts.amax(dim=0) + half
    tol = 1e-4  # truncate to 1e-4 so that ceil(1e-15) does not add a pixel
    cmax = ember.ceil((max_vals / tol).trunc() * tol)
    cmin = ember.floor((min_vals / tol).trunc() * tol)
    size = (cmax - cmin).tolist()
    return int(size[0]), int(size[1])


def _gather(flat: Tensor, xs: Tensor, ys: Tensor, w: int, h: int) -> Tensor:
    """``flat[..., ys * w + xs]`` for integer-valued float coordinates, zero outside."""
    valid = (xs >= 0) & (xs <= w - 1) & (ys >= 0) & (ys <= h - 1)
    idx = (ys.clamp(0, h - 1) * w + xs.clamp(0, w - 1)).long().reshape(-1)
    return flat[..., idx] * valid.reshape(-1).to(flat.dtype)


def _sample(img: Tensor, ix: Tensor, iy: Tensor, mode: str) -> Tensor:
    n, c, h, w = img.shape
    oh, ow = ix.shape
    flat = img.reshape(n, c, h * w)
    if mode == "nearest":
        out = _gather(flat, ix.round(), iy.round(), w, h)
    else:
        x0, y0 = ix.floor(), iy.floor()
        wx1, wy1 = (ix - x0).reshape(-1), (iy - y0).reshape(-1)
        wx0, wy0 = 1 - wx1, 1 - wy1
        out = (_gather(flat, x0, y0, w, h) * (wx0 * wy0)
               + _gather(flat, x0 + 1, y0, w, h) * (wx1 * wy0)
               + _gather(flat, x0, y0 + 1, w, h) * (wx0 * wy1)
               + _gather(flat, x0 + 1, y0 + 1, w, h) * (wx1 * wy1))
    return out.reshape(n, c, oh, ow)


def warp_affine(img: Tensor, matrix: list[float], interpolation: str = "nearest",
                fill: Any = None, out_size: tuple[int, int] | None = None) -> Tensor:
    """Warps ``img`` by the inverse affine ``matrix`` into ``out_size = (ow, oh)``
    (default: the input size); see NOTE [ Affine grid ]."""
    if not isinstance(img, Tensor):
        raise TypeError("Input img should be Tensor")
    assert_image_tensor(img)
    if not isinstance(matrix, list) or len(matrix) != 6:
        raise ValueError("Argument matrix should have 6 float values")
    num_channels = 1 if img.ndim == 2 else img.shape[-3]
    if fill is not None and isinstance(fill, (tuple, list)) and len(fill) > 1 \
            and len(fill) != num_channels:
        raise ValueError("The number of elements in 'fill' cannot broadcast to match the number "
                         f"of channels of the image ({len(fill)} != {num_channels})")
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"Interpolation mode '{interpolation}' is unsupported with Tensor input")
    h, w = img.shape[-2], img.shape[-1]
    ow, oh = out_size if out_size is not None else (w, h)
    dtype = img.dtype if img.is_floating_point() else ember.float32
    lead = tuple(img.shape[:-2])
    img = img.reshape(-1, num_channels, h, w)
    img, need_cast, _, out_dtype = cast_squeeze_in(img, [dtype])
    dev = img.device
    x = ember.linspace(-ow * 0.5 + 0.5, ow * 0.5 - 0.5, ow, dtype=dtype, device=dev)[None, :]
    y = ember.linspace(-oh * 0.5 + 0.5, oh * 0.5 - 0.5, oh, dtype=dtype, device=dev)[:, None]
    a, b, c = (m / (0.5 * w) for m in matrix[:3])
    d, e, f = (m / (0.5 * h) for m in matrix[3:])
    gx = x * a + y * b + c
    gy = x * d + y * e + f
    ix = ((gx + 1) * w - 1) / 2
    iy = ((gy + 1) * h - 1) / 2
    if fill is not None:
        ones = ember.ones((img.shape[0], 1, h, w), dtype=img.dtype, device=dev)
        img = ember.cat((img, ones), dim=1)
    img = _sample(img, ix, iy, interpolation)
    if fill is not None:
        mask = img[:, -1:, :, :]
        img = img[:, :-1, :, :]
        fill_list = list(fill) if isinstance(fill, (tuple, list)) else [float(fill)]
        fill_img = ember.tensor(fill_list, dtype=img.dtype, device=dev).view(1, -1, 1, 1)
        if interpolation == "nearest":
            img = ember.where(mask < 0.5, fill_img.expand_as(img), img)
        else:
            img = img * mask + (1.0 - mask) * fill_img
    img = cast_squeeze_out(img, need_cast, False, out_dtype)
    return img.reshape(lead + (oh, ow))
