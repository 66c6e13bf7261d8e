"""Functional geometry on tensors and PIL images: exact values where deterministic, and
PyTorch's ``interpolate``/``grid_sample`` as the oracle for resampling."""

from __future__ import annotations

import numpy as np
import pytest
from _vision_images import F32, U8, chw, pil_rgb

import ember
import ember.vision.transforms.functional as F
from ember.vision.transforms.functional import InterpolationMode as IM

Image = pytest.importorskip("PIL.Image", reason="Pillow (the 'examples' extra)")

# --- geometry ------------------------------------------------------------------------------

def test_flips_agree_between_pil_and_tensor():
    np.testing.assert_array_equal(F.hflip(chw(U8)).numpy(), U8[:, ::-1].transpose(2, 0, 1))
    np.testing.assert_array_equal(F.vflip(chw(U8)).numpy(), U8[::-1].transpose(2, 0, 1))
    np.testing.assert_array_equal(np.asarray(F.hflip(pil_rgb())), U8[:, ::-1])
    np.testing.assert_array_equal(np.asarray(F.vflip(pil_rgb())), U8[::-1])
    with pytest.raises(TypeError, match="img should be PIL Image or Tensor"):
        F.hflip(U8)


def test_crop_and_center_crop():
    np.testing.assert_array_equal(F.crop(chw(U8), 1, 2, 3, 4).numpy(),
                                  U8[1:4, 2:6].transpose(2, 0, 1))
    np.testing.assert_array_equal(np.asarray(F.crop(pil_rgb(), 1, 2, 3, 4)), U8[1:4, 2:6])
    # beyond the border reads zero
    out = F.crop(chw(U8), -1, 8, 3, 4).numpy()
    assert out.shape == (3, 3, 4) and (out[:, 0] == 0).all() and (out[:, :, 2:] == 0).all()
    np.testing.assert_array_equal(out[:, 1:, :2], U8[0:2, 8:10].transpose(2, 0, 1))
    np.testing.assert_array_equal(np.asarray(F.crop(pil_rgb(), -1, 8, 3, 4)),
                                  out.transpose(1, 2, 0))
    # centre: top = round((7 - 3) / 2) = 2, left = round((10 - 4) / 2) = 3
    np.testing.assert_array_equal(F.center_crop(chw(U8), [3, 4]).numpy(),
                                  U8[2:5, 3:7].transpose(2, 0, 1))
    np.testing.assert_array_equal(np.asarray(F.center_crop(pil_rgb(), [3, 4])), U8[2:5, 3:7])
    big = F.center_crop(chw(U8), 12).numpy()  # pads (1, 2) left/right, (2, 3) top/bottom
    assert big.shape == (3, 12, 12)
    np.testing.assert_array_equal(big[:, 2:9, 1:11], U8.transpose(2, 0, 1))
    assert big[:, :2].sum() == 0 and big[:, 9:].sum() == 0
    np.testing.assert_array_equal(np.asarray(F.center_crop(pil_rgb(), 12)),
                                  big.transpose(1, 2, 0))


@pytest.mark.parametrize("mode,np_mode", [("edge", "edge"), ("reflect", "reflect"),
                                          ("symmetric", "symmetric")])
def test_pad_modes_match_numpy(mode, np_mode):
    padding = [2, 1, 3, 4]  # left, top, right, bottom
    expected = np.pad(U8, ((1, 4), (2, 3), (0, 0)), np_mode)
    np.testing.assert_array_equal(F.pad(chw(U8), padding, padding_mode=mode).numpy(),
                                  expected.transpose(2, 0, 1))
    np.testing.assert_array_equal(np.asarray(F.pad(pil_rgb(), padding, padding_mode=mode)),
                                  expected)


def test_pad_constant_fill_and_negative_padding():
    out = F.pad(chw(U8), 2, fill=7).numpy()
    assert out.shape == (3, 11, 14) and (out[:, :2] == 7).all()
    np.testing.assert_array_equal(out[:, 2:9, 2:12], U8.transpose(2, 0, 1))
    pil = np.asarray(F.pad(pil_rgb(), [1, 2], fill=(1, 2, 3)))
    assert pil.shape == (11, 12, 3) and pil[0, 0].tolist() == [1, 2, 3]
    np.testing.assert_array_equal(pil[2:9, 1:11], U8)
    cropped = F.pad(chw(U8), [-1, 0, -2, -3], padding_mode="reflect").numpy()
    np.testing.assert_array_equal(cropped, U8[0:4, 1:8].transpose(2, 0, 1))
    np.testing.assert_array_equal(
        np.asarray(F.pad(pil_rgb(), [-1, 0, -2, -3], padding_mode="edge")), U8[0:4, 1:8])


def test_pad_errors():
    with pytest.raises(ValueError, match="Padding mode should be"):
        F.pad(chw(U8), 1, padding_mode="wrap")
    with pytest.raises(ValueError, match="not a 3 element tuple"):
        F.pad(chw(U8), [1, 2, 3])
    with pytest.raises(TypeError, match="inappropriate padding"):
        F.pad(chw(U8), "1")
    with pytest.raises(TypeError, match="inappropriate fill"):
        F.pad(chw(U8), 1, fill=(1, 2, 3))


@pytest.mark.parametrize("size", [[4, 6], [20, 7], [7, 40], [3, 3]])
@pytest.mark.parametrize("mode", ["bilinear", "bicubic", "nearest"])
@pytest.mark.parametrize("antialias", [True, False])
def test_tensor_resize_matches_torch_interpolate(torch, size, mode, antialias):
    ref = torch.nn.functional.interpolate(
        torch.tensor(F32)[None], size=size, mode=mode,
        align_corners=False if mode != "nearest" else None,
        antialias=antialias and mode != "nearest")[0].numpy()
    out = F.resize(ember.tensor(F32), size, IM(mode), antialias=antialias).numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=2e-6)


def test_resize_uint8_tensor_rounds_like_torch(torch):
    u = chw(U8)
    ref = torch.nn.functional.interpolate(torch.tensor(u.numpy()).float()[None], size=(3, 4),
                                          mode="bilinear", antialias=True)[0]
    expected = ref.round().to(torch.uint8).numpy()
    out = F.resize(u, [3, 4])
    assert out.dtype is ember.uint8
    np.testing.assert_array_equal(out.numpy(), expected)


def test_resize_sizes_and_pil_agreement():
    assert tuple(F.resize(chw(U8), 14).shape) == (3, 14, 20)  # smaller edge 7 -> 14
    assert F.resize(pil_rgb(), 14).size == (20, 14)
    assert tuple(F.resize(chw(U8), [5]).shape) == (3, 5, 7)  # int(5 * 10 / 7) = 7
    assert tuple(F.resize(chw(U8), 14, max_size=16).shape) == (3, 11, 16)
    assert F.resize(chw(U8), [7, 10]) is not None
    with pytest.raises(ValueError, match="max_size"):
        F.resize(chw(U8), [5, 6], max_size=10)
    with pytest.raises(ValueError, match="strictly greater"):
        F.resize(chw(U8), 14, max_size=14)
    # Downsampling with antialias: the tensor path matches Pillow within one grey level.
    t = F.resize(chw(U8), [3, 5]).numpy().transpose(1, 2, 0).astype(int)
    p = np.asarray(F.resize(pil_rgb(), [3, 5])).astype(int)
    assert np.abs(t - p).max() <= 1
    with pytest.warns(UserWarning, match="Anti-alias option is always applied"):
        F.resize(pil_rgb(), [3, 5], antialias=False)
    with pytest.raises(TypeError, match="InterpolationMode"):
        F.resize(chw(U8), 3, interpolation="bilinear")


def _grid_sample_reference(torch, img_np, matrix, ow, oh, mode, fill):
    """torchvision's tensor affine path: affine grid of pixel centres + grid_sample."""
    img = torch.tensor(img_np)[None]
    w, h = img.shape[-1], img.shape[-2]
    theta = torch.tensor(matrix, dtype=img.dtype).reshape(1, 2, 3)
    base = torch.empty(1, oh, ow, 3, dtype=img.dtype)
    base[..., 0].copy_(torch.linspace(-ow * 0.5 + 0.5, ow * 0.5 - 0.5, steps=ow))
    base[..., 1].copy_(torch.linspace(-oh * 0.5 + 0.5, oh * 0.5 - 0.5, steps=oh)[:, None])
    base[..., 2].fill_(1)
    rescaled = theta.transpose(1, 2) / torch.tensor([0.5 * w, 0.5 * h], dtype=img.dtype)
    grid = base.view(1, oh * ow, 3).bmm(rescaled).view(1, oh, ow, 2)
    if fill is not None:
        img = torch.cat((img, torch.ones_like(img[:, :1])), dim=1)
    out = torch.nn.functional.grid_sample(img, grid, mode=mode, padding_mode="zeros",
                                          align_corners=False)
    if fill is not None:
        mask = out[:, -1:].expand_as(out[:, :-1])
        out = out[:, :-1]
        fill_img = torch.tensor(fill, dtype=out.dtype).view(1, -1, 1, 1).expand_as(out)
        if mode == "nearest":
            out = torch.where(mask < 0.5, fill_img, out)
        else:
            out = out * mask + (1.0 - mask) * fill_img
    return out[0].numpy()


@pytest.mark.parametrize("angle", [30.0, -17.0, 90.0, 45.0])
@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
@pytest.mark.parametrize("expand", [False, True])
@pytest.mark.parametrize("fill", [None, [0.5, 0.25, 1.0]])
def test_tensor_rotate_matches_grid_sample(torch, angle, mode, expand, fill):
    from ember.vision.transforms._functional_affine import (
        compute_affine_output_size,
        get_inverse_affine_matrix,
    )

    m = get_inverse_affine_matrix([0.0, 0.0], -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
    ow, oh = compute_affine_output_size(m, 13, 9) if expand else (13, 9)
    ref = _grid_sample_reference(torch, F32, m, ow, oh, mode, fill)
    out = F.rotate(ember.tensor(F32), angle, IM(mode), expand=expand, fill=fill).numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
def test_tensor_affine_matches_grid_sample(torch, mode):
    from ember.vision.transforms._functional_affine import get_inverse_affine_matrix

    m = get_inverse_affine_matrix([0.0, 0.0], 20.0, [2.0, -1.0], 1.2, [10.0, 5.0])
    ref = _grid_sample_reference(torch, F32, m, 13, 9, mode, None)
    out = F.affine(ember.tensor(F32), 20.0, [2, -1], 1.2, [10.0, 5.0], IM(mode)).numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


def _random_warps(count: int, seed: int):
    """Random inverse matrices, sizes and modes, right angles and expansions included (where
    a nearest source coordinate can be an exact tie)."""
    from ember.vision.transforms._functional_affine import (
        compute_affine_output_size,
        get_inverse_affine_matrix,
    )

    rng = np.random.default_rng(seed)
    for _ in range(count):
        h, w = (int(v) for v in rng.integers(2, 21, 2))
        angle = float(rng.choice([rng.uniform(-180, 180), 90.0, -90.0, 180.0, 45.0, 135.0]))
        m = get_inverse_affine_matrix([float(rng.choice([0.0, 0.5, -1.0])), 0.0], angle,
                                      [float(rng.integers(-2, 3)), 0.0],
                                      float(rng.choice([1.0, 0.8, 1.3])),
                                      [float(rng.choice([0.0, 10.0])), 0.0])
        ow, oh = compute_affine_output_size(m, w, h) if rng.random() < 0.3 else (w, h)
        yield rng.random((2, h, w), dtype=np.float32), m, ow, oh


@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
def test_warp_matches_grid_sample_on_random_warps(torch, mode):
    # Nearest must pick exactly torchvision's pixels: the grid is rounded as torch rounds it.
    from ember.vision.transforms._functional_affine import warp_affine

    for img, m, ow, oh in _random_warps(60 if mode == "nearest" else 20, 7):
        for fill in (None, [0.0, 0.0], [0.5, 2.0]):
            ref = _grid_sample_reference(torch, img, m, ow, oh, mode, fill)
            out = warp_affine(ember.tensor(img), m, mode, fill, (ow, oh)).numpy()
            if mode == "nearest":
                np.testing.assert_array_equal(out, ref)
            else:
                np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


def test_warp_on_the_reference_backend_matches_cpu():
    from ember.vision.transforms._functional_affine import warp_affine

    for img, m, ow, oh in _random_warps(6, 3):
        for mode in ("nearest", "bilinear"):
            cpu = warp_affine(ember.tensor(img), m, mode, [0.25, 0.0], (ow, oh)).numpy()
            ref = warp_affine(ember.tensor(img, device="ref"), m, mode, [0.25, 0.0], (ow, oh))
            np.testing.assert_allclose(ref.cpu().numpy(), cpu, rtol=1e-6, atol=1e-6)


def test_rotations_by_right_angles_are_exact_and_agree_with_pil():
    for angle, k in ((90, 1), (180, 2), (270, 3)):
        expected = np.rot90(U8[:6, :6], k)  # square: no expand needed
        t = F.rotate(chw(U8[:6, :6]), float(angle)).numpy().transpose(1, 2, 0)
        np.testing.assert_array_equal(t, expected)
        p = np.asarray(F.rotate(Image.fromarray(np.ascontiguousarray(U8[:6, :6])), angle))
        np.testing.assert_array_equal(p, expected)
    even = np.ascontiguousarray(U8[:6])
    wide = F.rotate(chw(even), 90.0, expand=True)
    assert tuple(wide.shape) == (3, 10, 6)
    np.testing.assert_array_equal(wide.numpy().transpose(1, 2, 0), np.rot90(even))
    np.testing.assert_array_equal(np.asarray(F.rotate(Image.fromarray(even), 90, expand=True)),
                                  np.rot90(even))
    # As torchvision: the tensor path sizes the canvas from the input's half-extents, so an
    # odd/even image gains a row and a column (Pillow transposes exactly).
    assert tuple(F.rotate(chw(U8), 90.0, expand=True).shape) == (3, 11, 8)
    assert F.rotate(pil_rgb(), 90, expand=True).size == (7, 10)


def test_rotate_center_and_affine_identity():
    x = chw(U8)
    np.testing.assert_array_equal(F.affine(x, 0.0, [0, 0], 1.0, 0.0).numpy(), x.numpy())
    np.testing.assert_array_equal(np.asarray(F.affine(pil_rgb(), 0.0, [0, 0], 1.0, 0.0)), U8)
    shifted = F.affine(x, 0.0, [2, 1], 1.0, [0.0, 0.0]).numpy()
    np.testing.assert_array_equal(shifted[:, 1:, 2:], x.numpy()[:, :-1, :-2])
    assert shifted[:, 0].sum() == 0 and shifted[:, :, :2].sum() == 0
    pil_shift = np.asarray(F.affine(pil_rgb(), 0.0, [2, 1], 1.0, [0.0, 0.0]))
    np.testing.assert_array_equal(pil_shift, shifted.transpose(1, 2, 0))
    # rotating 180 degrees about the top-left pixel's corner moves everything off-image
    assert F.rotate(x, 180.0, center=[0, 0]).sum().item() == 0
    with pytest.raises(TypeError, match="angle"):
        F.rotate(x, "90")
    with pytest.raises(ValueError, match="scale should be positive"):
        F.affine(x, 0.0, [0, 0], 0.0, 0.0)
    with pytest.raises(ValueError, match="unsupported with Tensor input"):
        F.rotate(x.float(), 10.0, IM.BICUBIC)
    with pytest.raises(ValueError, match="fill"):
        F.rotate(x.float(), 10.0, fill=[1.0, 2.0])


def test_rotate_uint8_tensor_rounds_back_to_uint8():
    out = F.rotate(chw(U8), 33.0, IM.BILINEAR)
    assert out.dtype is ember.uint8 and tuple(out.shape) == (3, 7, 10)
