"""FiveCrop / TenCrop (and five_crop / ten_crop): torchvision's crops, order, errors, reprs."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember.vision import transforms as T
from ember.vision.transforms import functional as F

Image = pytest.importorskip("PIL.Image", reason="Pillow (the 'examples' extra)")

A = np.random.default_rng(5).integers(0, 256, (9, 11, 3), dtype=np.uint8)  # H=9, W=11


def five(a: np.ndarray, h: int, w: int) -> list[np.ndarray]:
    """tl, tr, bl, br, center of an (H, W, ...) array, as torchvision documents them."""
    hh, ww = a.shape[:2]
    top, left = int(round((hh - h) / 2)), int(round((ww - w) / 2))
    return [a[:h, :w], a[:h, ww - w:], a[hh - h:, :w], a[hh - h:, ww - w:],
            a[top:top + h, left:left + w]]


@pytest.mark.parametrize("size,hw", [(4, (4, 4)), ((3, 5), (3, 5)), ([6], (6, 6))])
def test_five_crop_pil(size, hw):
    out = T.FiveCrop(size)(Image.fromarray(A))
    assert isinstance(out, tuple) and len(out) == 5
    for got, want in zip(out, five(A, *hw)):
        assert isinstance(got, Image.Image)
        np.testing.assert_array_equal(np.asarray(got), want)


@pytest.mark.parametrize("device", ["cpu", "ref"])
def test_five_crop_tensor_keeps_leading_dims(device):
    x = ember.tensor(A.transpose(2, 0, 1).copy(), device=device).unsqueeze(0)  # (1, 3, 9, 11)
    out = F.five_crop(x, (3, 5))
    assert len(out) == 5
    for got, want in zip(out, five(A, 3, 5)):
        assert tuple(got.shape) == (1, 3, 3, 5)
        np.testing.assert_array_equal(got.cpu().numpy()[0], want.transpose(2, 0, 1))


@pytest.mark.parametrize("vertical", [False, True])
def test_ten_crop_tensor_and_pil(vertical):
    flipped = A[::-1] if vertical else A[:, ::-1]
    want = five(A, 4, 6) + five(flipped, 4, 6)
    out = T.TenCrop((4, 6), vertical_flip=vertical)(Image.fromarray(A))
    assert isinstance(out, tuple) and len(out) == 10
    for got, w in zip(out, want):
        np.testing.assert_array_equal(np.asarray(got), w)
    out = T.TenCrop((4, 6), vertical_flip=vertical)(ember.tensor(A.transpose(2, 0, 1).copy()))
    for got, w in zip(out, want):
        np.testing.assert_array_equal(got.numpy(), w.transpose(2, 0, 1))


def test_full_size_crops_are_the_image():
    x = ember.arange(6).reshape(1, 2, 3)
    for crop in T.FiveCrop((2, 3))(x):
        np.testing.assert_array_equal(crop.numpy(), x.numpy())


def test_errors_match_torchvision():
    with pytest.raises(ValueError, match=r"Requested crop size \(10, 4\) is bigger than input "
                                         r"size \(9, 11\)"):
        T.FiveCrop((10, 4))(Image.fromarray(A))
    with pytest.raises(ValueError, match=r"Requested crop size \(2, 12\) is bigger"):
        F.ten_crop(ember.zeros(3, 9, 11), (2, 12))
    for bad in ((1, 2, 3), []):
        with pytest.raises(ValueError, match=r"Please provide only two dimensions \(h, w\)"):
            T.FiveCrop(bad)
        with pytest.raises(ValueError, match=r"Please provide only two dimensions \(h, w\)"):
            T.TenCrop(bad)
        with pytest.raises(ValueError, match=r"Please provide only two dimensions \(h, w\)"):
            F.five_crop(ember.zeros(1, 4, 4), bad)


def test_reprs():
    assert repr(T.FiveCrop(4)) == "FiveCrop(size=(4, 4))"
    assert repr(T.FiveCrop([3, 5])) == "FiveCrop(size=[3, 5])"
    assert repr(T.TenCrop(4)) == "TenCrop(size=(4, 4), vertical_flip=False)"
    assert repr(T.TenCrop((2, 3), vertical_flip=True)) == \
        "TenCrop(size=(2, 3), vertical_flip=True)"


def test_stacking_crops_in_a_pipeline():
    # torchvision's documented recipe: FiveCrop, then stack the crops into one tensor.
    pipeline = T.Compose([T.FiveCrop(4), T.Lambda(lambda crops: ember.stack(
        [T.ToTensor()(c) for c in crops]))])
    out = pipeline(Image.fromarray(A))
    assert tuple(out.shape) == (5, 3, 4, 4)
    np.testing.assert_allclose(out.numpy()[1], A[:4, 7:].transpose(2, 0, 1) / 255, rtol=1e-6)
