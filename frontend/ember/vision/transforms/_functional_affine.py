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
import struct
from typing import Any

import ember
from ember import Tensor

from ._functional_tensor import assert_image_tensor, cast_squeeze_in, cast_squeeze_out

__all__ = ["get_inverse_affine_matrix", "compute_affine_output_size", "warp_affine",
           "round_f32"]


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


# NOTE [ Affine sampling in a few tensor ops ]
# A per-sample warp of a small image costs per-op overhead, not arithmetic, so it is written
# in few ops, and everything that depends only on the sizes is built once and cached
# (``_Plan``). A product and a sum map the cached output pixel centres ``[x, y, 1]`` to grid
# values and four ops unnormalize them, rounding as torchvision's ``affine_grid`` and
# ``grid_sample`` do (so nearest picks the same pixels, ties included). The rest is exact
# integer arithmetic: integer source coordinates are clamped into a border of ``pad`` pixels
# around the image and turned into an index of that padded grid; a lookup table maps it to
# the flattened image, or to one zero appended after it for a border pixel. So reads outside
# the image are zero without a validity mask or a padded copy of the image. Bilinear gathers
# its four neighbours with one ``(N, 4)`` index (a top-left corner is clamped one pixel short
# of the far border, so its right and lower neighbours stay inside the padded grid).


class _Plan:
    """The size-only tensors of one warp: ``oh x ow`` output from an ``h x w`` input."""

    def __init__(self, oh: int, ow: int, h: int, w: int, mode: str, dtype: Any,
                 dev: Any) -> None:
        pad = 1 if mode == "nearest" else 2
        stride = w + 2 * pad
        x = ember.linspace(-ow * 0.5 + 0.5, ow * 0.5 - 0.5, ow, dtype=dtype, device=dev)
        y = ember.linspace(-oh * 0.5 + 0.5, oh * 0.5 - 0.5, oh, dtype=dtype, device=dev)
        self.grid = ember.stack([x.expand(oh, ow), y[:, None].expand(oh, ow),
                                 ember.ones(oh, ow, dtype=dtype, device=dev)],
                                dim=-1).reshape(-1, 3, 1)
        self.size = ember.tensor([float(w), float(h)], dtype=dtype, device=dev)
        # corners clamp to [-pad, w] x [-pad, h]: nearest's one pixel, or bilinear's corner and
        # its right/lower neighbour, stay inside the padded grid
        self.lo = ember.tensor([-float(pad)] * 2, dtype=dtype, device=dev)
        self.hi = ember.tensor([float(w), float(h)], dtype=dtype, device=dev)
        self.stride = ember.tensor([1, stride], dtype=ember.int64, device=dev)
        self.shift = pad * stride + pad
        py = ember.arange(h + 2 * pad, device=dev)[:, None] - pad
        px = ember.arange(stride, device=dev)[None, :] - pad
        inside = (py >= 0) & (py < h) & (px >= 0) & (px < w)
        self.lut = ember.where(inside, py * w + px, h * w).reshape(-1)
        self.offsets = ember.tensor([0, 1, stride, stride + 1], device=dev)


_PLANS: dict[tuple[Any, ...], _Plan] = {}


def _plan(oh: int, ow: int, h: int, w: int, mode: str, dtype: Any, dev: Any) -> _Plan:
    key = (oh, ow, h, w, mode, dtype, str(dev))
    plan = _PLANS.get(key)
    if plan is None:
        if len(_PLANS) >= 8:  # a plan holds a few tensors of the output's size
            _PLANS.clear()
        plan = _PLANS[key] = _Plan(oh, ow, h, w, mode, dtype, dev)
    return plan


def round_f32(value: float) -> float:
    """``value`` rounded to the nearest float32."""
    return struct.unpack("f", struct.pack("f", value))[0]


def _source_coords(plan: _Plan, matrix: list[float], w: int, h: int, dtype: Any,
                   dev: Any) -> Tensor:
    """``(oh * ow, 2)`` input pixel coordinates ``(ix, iy)`` of every output pixel centre."""
    rnd = round_f32 if dtype == ember.float32 else float  # round as torchvision's float32 theta
    half = (0.5 * w, 0.5 * h)
    theta = [[rnd(rnd(matrix[3 * r + k]) / half[r]) for r in range(2)] for k in range(3)]
    # (x a + y b) + c, summed in this order: torchvision's float32 grid, rounding included
    g = (plan.grid * ember.tensor(theta, dtype=dtype, device=dev)).sum(1)
    return ((g + 1) * plan.size - 1) / 2


def _flat_index(plan: _Plan, corner: Tensor, offsets: Tensor | None = None) -> Tensor:
    """Indices into the flattened image (plus its trailing zero) of integer-valued
    ``(x, y)`` rows (each with ``offsets`` neighbours); outside the image, the zero."""
    padded = ember.matmul(corner.clamp(plan.lo, plan.hi).long(), plan.stride) + plan.shift
    if offsets is not None:
        padded = (padded[:, None] + offsets).reshape(-1)
    return plan.lut[padded]


def _sample(img: Tensor, coords: Tensor, plan: _Plan, mode: str, oh: int, ow: int) -> Tensor:
    n, c, h, w = img.shape
    flat = ember.cat((img.reshape(n, c, h * w), img.new_zeros((n, c, 1))), dim=-1)
    if mode == "nearest":
        out = flat.index_select(-1, _flat_index(plan, coords.round()))
    else:
        corner = coords.floor()
        frac = coords - corner
        idx = _flat_index(plan, corner, plan.offsets)
        weights = ember.stack([1 - frac, frac], dim=-1)  # (N, xy, 2): (1 - f, f) per axis
        w4 = (weights[:, 1, :, None] * weights[:, 0, None, :]).reshape(-1, 4)
        out = (flat.index_select(-1, idx).reshape(n, c, -1, 4) * w4).sum(-1)
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
    plan = _plan(oh, ow, h, w, interpolation, dtype, dev)
    coords = _source_coords(plan, matrix, w, h, dtype, dev)
    if fill is not None and interpolation == "nearest" and not any(
            float(v) for v in (fill if isinstance(fill, (tuple, list)) else [fill])):
        fill = None  # nearest reads zero outside the image already: a zero fill is a no-op
    if fill is not None:
        ones = ember.ones((img.shape[0], 1, h, w), dtype=img.dtype, device=dev)
        img = ember.cat((img, ones), dim=1)
    img = _sample(img, coords, plan, interpolation, oh, ow)
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
