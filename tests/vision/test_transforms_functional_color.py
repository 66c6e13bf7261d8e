"""Functional colour adjustments, erase, helpers, batches and the reference backend."""

from __future__ import annotations

import numpy as np
import pytest
from _vision_images import F32, U8, chw, pil_rgb

import ember
import ember.vision.transforms.functional as F
from ember.vision.transforms.functional import InterpolationMode as IM

Image = pytest.importorskip("PIL.Image", reason="Pillow (the 'examples' extra)")

# --- colour --------------------------------------------------------------------------------

def test_grayscale_weights():
    x = ember.tensor(F32)
    r, g, b = F32
    np.testing.assert_allclose(F.rgb_to_grayscale(x).numpy()[0],
                               0.2989 * r + 0.587 * g + 0.114 * b, rtol=1e-6)
    three = F.rgb_to_grayscale(x, num_output_channels=3).numpy()
    assert three.shape == (3, 9, 13) and (three[0] == three[2]).all()
    u = U8.astype(int)
    pil = np.asarray(F.rgb_to_grayscale(pil_rgb())).astype(int)
    np.testing.assert_array_equal(pil, (u[..., 0] * 299 + u[..., 1] * 587 + u[..., 2] * 114
                                        + 500) // 1000)
    pil3 = F.rgb_to_grayscale(pil_rgb(), 3)
    assert pil3.mode == "RGB" and np.asarray(pil3)[..., 1].tolist() == pil.tolist()
    with pytest.raises(ValueError, match="num_output_channels"):
        F.rgb_to_grayscale(x, 2)
    with pytest.raises(TypeError, match="channel"):
        F.rgb_to_grayscale(ember.zeros(2, 3, 3))


def test_brightness_contrast_saturation_formulas():
    x = ember.tensor(F32)
    np.testing.assert_allclose(F.adjust_brightness(x, 1.5).numpy(),
                               np.clip(F32 * 1.5, 0, 1), rtol=1e-6)
    gray = 0.2989 * F32[0] + 0.587 * F32[1] + 0.114 * F32[2]
    np.testing.assert_allclose(F.adjust_contrast(x, 0.4).numpy(),
                               np.clip(0.4 * F32 + 0.6 * gray.mean(), 0, 1), rtol=1e-5)
    np.testing.assert_allclose(F.adjust_saturation(x, 1.7).numpy(),
                               np.clip(1.7 * F32 - 0.7 * gray, 0, 1), rtol=1e-5, atol=1e-6)
    u = F.adjust_brightness(chw(U8), 2.0)
    assert u.dtype is ember.uint8
    np.testing.assert_array_equal(u.numpy(), np.clip(U8.astype(int) * 2, 0, 255)
                                  .astype(np.uint8).transpose(2, 0, 1))
    with pytest.raises(ValueError, match="is not non-negative"):
        F.adjust_brightness(x, -0.1)


@pytest.mark.parametrize("fn,factor", [(F.adjust_brightness, 1.3), (F.adjust_contrast, 0.6),
                                       (F.adjust_saturation, 1.7)])
def test_colour_adjustments_agree_between_pil_and_tensor(fn, factor):
    t = fn(chw(U8), factor).numpy().transpose(1, 2, 0).astype(int)
    p = np.asarray(fn(pil_rgb(), factor)).astype(int)
    assert np.abs(t - p).max() <= 1


def test_adjust_hue():
    red = ember.tensor([[[1.0]], [[0.0]], [[0.0]]])
    np.testing.assert_allclose(F.adjust_hue(red, 0.5).flatten().numpy(), [0.0, 1.0, 1.0],
                               atol=1e-6)
    np.testing.assert_allclose(F.adjust_hue(red, 1 / 3).flatten().numpy(), [0.0, 1.0, 0.0],
                               atol=1e-6)
    x = ember.tensor(F32)
    np.testing.assert_allclose(F.adjust_hue(x, 0.0).numpy(), F32, atol=1e-5)
    t = F.adjust_hue(chw(U8), 0.2).numpy().transpose(1, 2, 0).astype(int)
    p = np.asarray(F.adjust_hue(pil_rgb(), 0.2)).astype(int)
    assert np.abs(t - p).mean() < 2  # Pillow quantizes hue to 8 bits
    gray_pil = Image.fromarray(U8[..., 0], "L")
    assert F.adjust_hue(gray_pil, 0.3) is gray_pil
    with pytest.raises(ValueError, match=r"is not in \[-0.5, 0.5\]"):
        F.adjust_hue(x, 0.6)


def test_erase():
    x = ember.zeros(2, 4, 5)
    out = F.erase(x, 1, 2, 2, 3, ember.tensor(7.0))
    assert x.sum().item() == 0 and out.sum().item() == 7.0 * 2 * 2 * 3
    assert out[:, 1:3, 2:5].eq(7.0).all()
    F.erase(x, 0, 0, 1, 1, ember.tensor([[[1.0]], [[2.0]]]), inplace=True)
    assert x[:, 0, 0].tolist() == [1.0, 2.0]
    with pytest.raises(TypeError):
        F.erase(pil_rgb(), 0, 0, 1, 1, ember.tensor(0.0))


def test_dimension_helpers():
    assert F.get_dimensions(chw(U8)) == [3, 7, 10] == F.get_dimensions(pil_rgb())
    assert F.get_image_size(pil_rgb()) == [10, 7] and F.get_image_num_channels(chw(U8)) == 3
    assert F.get_dimensions(ember.zeros(4, 5)) == [1, 4, 5]


def test_batched_tensors():
    batch = ember.tensor(np.stack([F32, F32[::-1].copy()]))
    assert tuple(F.resize(batch, [4, 5]).shape) == (2, 3, 4, 5)
    assert tuple(F.rotate(batch, 10.0).shape) == (2, 3, 9, 13)
    np.testing.assert_allclose(F.rotate(batch, 10.0).numpy()[1],
                               F.rotate(ember.tensor(F32[::-1].copy()), 10.0).numpy())
    assert tuple(F.center_crop(batch, 4).shape) == (2, 3, 4, 4)


def test_reference_backend_gives_the_same_results():
    x = ember.tensor(F32)
    xr = x.to("ref")
    for fn in (lambda t: F.hflip(t), lambda t: F.crop(t, 1, 1, 4, 5),
               lambda t: F.resize(t, [4, 6]), lambda t: F.rotate(t, 30.0, IM.BILINEAR),
               lambda t: F.normalize(t, [0.5] * 3, [0.2] * 3),
               lambda t: F.pad(t, [1, 2], padding_mode="symmetric"),
               lambda t: F.adjust_hue(t, 0.1)):
        a, b = fn(x), fn(xr)
        assert b.device.type == "ref"
        np.testing.assert_allclose(b.cpu().numpy(), a.numpy(), rtol=1e-5, atol=1e-6)
