"""Functional conversions (to_tensor, to_pil_image, ...) and normalize: exact values."""

from __future__ import annotations

import numpy as np
import pytest
from _vision_images import F32, RNG, U8, chw, pil_rgb

import ember
import ember.vision.transforms.functional as F

Image = pytest.importorskip("PIL.Image", reason="Pillow (the 'examples' extra)")

# --- conversions ---------------------------------------------------------------------------

def test_to_tensor_scales_uint8_pil_and_ndarray():
    for pic in (pil_rgb(), U8):
        t = F.to_tensor(pic)
        assert t.dtype is ember.float32 and tuple(t.shape) == (3, 7, 10)
        np.testing.assert_allclose(t.numpy(), U8.transpose(2, 0, 1) / 255.0, rtol=1e-6)
    gray = F.to_tensor(Image.fromarray(U8[..., 0], "L"))
    assert tuple(gray.shape) == (1, 7, 10)
    assert tuple(F.to_tensor(U8[..., 0]).shape) == (1, 7, 10)
    ember.set_default_dtype(ember.float64)
    try:
        assert F.to_tensor(U8).dtype is ember.float64
    finally:
        ember.set_default_dtype(ember.float32)


def test_to_tensor_keeps_non_byte_data():
    f = RNG.random((4, 5)).astype(np.float32)
    t = F.to_tensor(Image.fromarray(f, "F"))
    assert t.dtype is ember.float32
    np.testing.assert_array_equal(t.numpy()[0], f)
    arr = RNG.random((4, 5, 2))  # float64 ndarray: no scaling
    np.testing.assert_array_equal(F.to_tensor(arr).numpy(), arr.transpose(2, 0, 1))
    i32 = Image.fromarray(np.array([[70000, -3]], dtype=np.int32), "I")
    assert F.to_tensor(i32).tolist() == [[[70000, -3]]]
    one_bit = Image.fromarray(np.array([[0, 255]], dtype=np.uint8), "L").convert("1")
    assert F.to_tensor(one_bit).tolist() == [[[0.0, 1.0]]]
    with pytest.raises(TypeError, match="pic should be PIL Image or ndarray"):
        F.to_tensor(ember.zeros(3, 2, 2))


def test_pil_to_tensor_does_not_scale():
    t = F.pil_to_tensor(pil_rgb())
    assert t.dtype is ember.uint8
    np.testing.assert_array_equal(t.numpy(), U8.transpose(2, 0, 1))
    with pytest.raises(TypeError):
        F.pil_to_tensor(U8)


def test_to_pil_image_modes_and_round_trip():
    img = F.to_pil_image(chw(U8))
    assert img.mode == "RGB" and img.size == (10, 7)
    np.testing.assert_array_equal(np.asarray(img), U8)
    np.testing.assert_array_equal(np.asarray(F.to_pil_image(U8)), U8)
    assert F.to_pil_image(ember.zeros(1, 2, 3)).mode == "L"
    assert F.to_pil_image(ember.zeros(2, 3)).mode == "L"
    assert F.to_pil_image(ember.zeros(2, 2, 3, dtype=ember.uint8)).mode == "LA"
    assert F.to_pil_image(ember.zeros(4, 2, 3, dtype=ember.uint8)).mode == "RGBA"
    assert F.to_pil_image(ember.zeros(1, 2, 3, dtype=ember.int32)).mode == "I"
    f = F.to_pil_image(ember.tensor([[[0.25, 2.5]]]), mode="F")
    assert f.mode == "F" and np.asarray(f).tolist() == [[0.25, 2.5]]
    # floats are multiplied by 255 and truncated
    assert np.asarray(F.to_pil_image(ember.tensor([[[0.5, 1.0, 0.999]]]))).tolist() == [
        [127, 255, 254]]
    back = F.to_tensor(F.to_pil_image(ember.tensor(F32)))
    np.testing.assert_allclose(back.numpy(), np.floor(F32 * 255) / 255, atol=1e-6)


def test_to_pil_image_errors():
    with pytest.raises(ValueError, match="pic should not have > 4 channels"):
        F.to_pil_image(ember.zeros(5, 2, 2))
    with pytest.raises(ValueError, match="2/3 dimensional"):
        F.to_pil_image(ember.zeros(1, 1, 2, 2))
    with pytest.raises(ValueError, match="Incorrect mode"):
        F.to_pil_image(ember.zeros(1, 2, 2), mode="RGB")
    with pytest.raises(ValueError, match="Only modes"):
        F.to_pil_image(ember.zeros(3, 2, 2), mode="RGBA")
    with pytest.raises(TypeError, match="pic should be Tensor or ndarray"):
        F.to_pil_image([[1, 2]])


def test_normalize_values_inplace_and_errors():
    x = ember.tensor(F32)
    out = F.normalize(x, [0.1, 0.2, 0.3], [0.5, 0.25, 2.0])
    mean = np.array([0.1, 0.2, 0.3], np.float32)[:, None, None]
    std = np.array([0.5, 0.25, 2.0], np.float32)[:, None, None]
    np.testing.assert_allclose(out.numpy(), (F32 - mean) / std, rtol=1e-6)
    np.testing.assert_array_equal(x.numpy(), F32)  # not in place by default
    batch = ember.tensor(np.stack([F32, F32]))
    same = F.normalize(batch, [0.1, 0.2, 0.3], [0.5, 0.25, 2.0], inplace=True)
    assert same is batch
    np.testing.assert_allclose(batch.numpy()[1], (F32 - mean) / std, rtol=1e-6)
    with pytest.raises(TypeError, match="float tensor"):
        F.normalize(chw(U8), [0.0], [1.0])
    with pytest.raises(ValueError, match="std evaluated to zero"):
        F.normalize(ember.tensor(F32), [0.0], [0.0])
    with pytest.raises(ValueError, match="tensor image of size"):
        F.normalize(ember.zeros(2, 2), [0.0], [1.0])


def test_convert_image_dtype():
    u = ember.tensor([[[0, 128, 255]]], dtype=ember.uint8)
    np.testing.assert_allclose(F.convert_image_dtype(u, ember.float32).numpy(),
                               [[[0.0, 128 / 255, 1.0]]], rtol=1e-6)
    f = ember.tensor([[[0.0, 0.5, 1.0]]])
    assert F.convert_image_dtype(f, ember.uint8).tolist() == [[[0, 127, 255]]]
    assert F.convert_image_dtype(u, ember.int16).tolist() == [[[0, 128 * 128, 255 * 128]]]
    big = ember.tensor([[[0, 32767]]], dtype=ember.int16)
    assert F.convert_image_dtype(big, ember.uint8).tolist() == [[[0, 255]]]
    assert F.convert_image_dtype(f, ember.float64).dtype is ember.float64
    with pytest.raises(RuntimeError, match="cannot be performed safely"):
        F.convert_image_dtype(f, ember.int32)
