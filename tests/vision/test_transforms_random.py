"""Random transforms: draws come from Ember's generator (seeded reproducibility),
``get_params`` contracts, and the probability arguments."""

from __future__ import annotations

import random

import numpy as np
import pytest

import ember
from ember.vision import transforms as T
from ember.vision.transforms import functional as F

Image = pytest.importorskip("PIL.Image", reason="Pillow (the 'examples' extra)")

U8 = np.random.default_rng(5).integers(0, 256, (16, 20, 3), dtype=np.uint8)


def pil() -> Image.Image:
    return Image.fromarray(U8, "RGB")


def tensor() -> ember.Tensor:
    return F.to_tensor(pil())


def as_array(img) -> np.ndarray:
    return img.numpy() if isinstance(img, ember.Tensor) else np.asarray(img)


RANDOM = [
    T.RandomCrop(10, padding=2),
    T.RandomResizedCrop(8),
    T.RandomHorizontalFlip(),
    T.RandomVerticalFlip(),
    T.RandomRotation(40),
    T.RandomAffine(20, translate=(0.2, 0.2), scale=(0.8, 1.2), shear=(-5, 5, -5, 5)),
    T.ColorJitter(0.5, 0.5, 0.5, 0.2),
    T.RandomGrayscale(p=0.5),
    T.RandomApply([T.ColorJitter(brightness=0.9)], p=0.5),
    T.RandomChoice([T.RandomHorizontalFlip(1.0), T.RandomVerticalFlip(1.0), T.Grayscale(3)]),
    T.RandomOrder([T.ColorJitter(brightness=0.9), T.RandomRotation(30)]),
]


CASES = [(t, kind) for t in RANDOM for kind in ("tensor", "pil")] + [
    (T.RandomErasing(p=0.7, value="random"), "tensor")]  # RandomErasing takes tensors only


@pytest.mark.parametrize("t,kind", CASES, ids=lambda v: repr(v).split("(")[0])
def test_same_seed_same_output_different_seeds_differ(t, kind):
    def run(seed):
        ember.manual_seed(seed)
        random.seed(1000 + seed)  # Python's generator must not matter
        return as_array(t(tensor() if kind == "tensor" else pil()))

    first = run(0)
    ember.manual_seed(0)
    random.seed(12345)
    again = as_array(t(tensor() if kind == "tensor" else pil()))
    np.testing.assert_array_equal(first, again)
    others = [run(s) for s in range(1, 9)]
    assert any(o.shape != first.shape or not np.array_equal(o, first) for o in others)


def test_a_seeded_pipeline_is_reproducible():
    pipeline = T.Compose(RANDOM[:8] + [T.ToTensor(), T.RandomErasing(p=1.0)])
    ember.manual_seed(7)
    a = [pipeline(pil()).numpy() for _ in range(3)]
    ember.manual_seed(7)
    b = [pipeline(pil()).numpy() for _ in range(3)]
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], a[1])


def test_random_crop_params_and_output():
    x = tensor()
    for seed in range(20):
        ember.manual_seed(seed)
        i, j, h, w = T.RandomCrop.get_params(x, (10, 7))
        assert (h, w) == (10, 7) and 0 <= i <= 6 and 0 <= j <= 13
        ember.manual_seed(seed)
        np.testing.assert_array_equal(T.RandomCrop((10, 7))(x).numpy(),
                                      x.numpy()[:, i:i + 10, j:j + 7])
        ember.manual_seed(seed)
        np.testing.assert_array_equal(np.asarray(T.RandomCrop((10, 7))(pil())),
                                      U8[i:i + 10, j:j + 7])
    assert T.RandomCrop.get_params(x, (16, 20)) == (0, 0, 16, 20)
    with pytest.raises(ValueError, match="larger than input image size"):
        T.RandomCrop.get_params(x, (17, 5))
    padded = T.RandomCrop(24, pad_if_needed=True, padding_mode="edge")(x)
    assert tuple(padded.shape) == (3, 24, 24)
    assert T.RandomCrop(24, pad_if_needed=True, fill=(1, 2, 3))(pil()).size == (24, 24)
    with_pad = T.RandomCrop(20, padding=2)(x)
    assert tuple(with_pad.shape) == (3, 20, 20)


def test_random_resized_crop_params():
    x = tensor()
    scale, ratio = (0.08, 1.0), (3 / 4, 4 / 3)
    for seed in range(50):
        ember.manual_seed(seed)
        i, j, h, w = T.RandomResizedCrop.get_params(x, scale, ratio)
        assert 0 < h <= 16 and 0 < w <= 20 and i + h <= 16 and j + w <= 20 and i >= 0
        ember.manual_seed(seed)
        expected = F.resized_crop(x, i, j, h, w, [5, 5])
        np.testing.assert_array_equal(T.RandomResizedCrop(5)(x).numpy(), expected.numpy())
    # Impossible areas fall back to the centre crop of the clamped aspect ratio.
    assert T.RandomResizedCrop.get_params(x, (2.0, 3.0), ratio) == (0, 0, 16, 20)
    tall = ember.zeros(1, 40, 10)
    assert T.RandomResizedCrop.get_params(tall, (2.0, 3.0), ratio) == (13, 0, 13, 10)
    wide = ember.zeros(1, 10, 40)
    assert T.RandomResizedCrop.get_params(wide, (2.0, 3.0), ratio) == (0, 13, 10, 13)
    assert T.RandomResizedCrop((6, 4))(pil()).size == (4, 6)


def test_flip_probabilities():
    x = tensor()
    np.testing.assert_array_equal(T.RandomHorizontalFlip(1.0)(x).numpy(), x.numpy()[..., ::-1])
    np.testing.assert_array_equal(T.RandomVerticalFlip(1.0)(x).numpy(), x.numpy()[:, ::-1])
    assert T.RandomHorizontalFlip(0.0)(x) is x
    ember.manual_seed(0)
    flips = sum(not T.RandomHorizontalFlip()(x).equal(x) for _ in range(400))
    assert 150 < flips < 250


def test_rotation_and_affine_params():
    ember.manual_seed(0)
    angles = [T.RandomRotation.get_params([-10.0, 25.0]) for _ in range(100)]
    assert all(-10.0 <= a <= 25.0 for a in angles) and max(angles) - min(angles) > 20
    x = tensor()
    np.testing.assert_allclose(T.RandomRotation((90, 90))(x).numpy(), F.rotate(x, 90.0).numpy())
    for _ in range(30):
        angle, (tx, ty), scale, (sx, sy) = T.RandomAffine.get_params(
            [-5.0, 5.0], (0.1, 0.25), (0.5, 2.0), [-3.0, 3.0, 10.0, 20.0], [20, 16])
        assert -5 <= angle <= 5 and 0.5 <= scale <= 2.0
        assert isinstance(tx, int) and abs(tx) <= 2 and abs(ty) <= 4
        assert -3 <= sx <= 3 and 10 <= sy <= 20
    assert T.RandomAffine.get_params([0.0, 0.0], None, None, None, [5, 5]) == (
        0.0, (0, 0), 1.0, (0.0, 0.0))
    filled = T.RandomAffine((0, 0), translate=(0.5, 0.5), fill=1)(ember.zeros(3, 20, 20))
    assert tuple(filled.shape) == (3, 20, 20)


def test_color_jitter_params():
    ember.manual_seed(0)
    for _ in range(20):
        order, b, c, s, h = T.ColorJitter.get_params((0.5, 1.5), None, (0.0, 2.0), (-0.1, 0.1))
        assert sorted(order.tolist()) == [0, 1, 2, 3]
        assert 0.5 <= b <= 1.5 and c is None and 0 <= s <= 2 and -0.1 <= h <= 0.1
    x = tensor()
    assert T.ColorJitter()(x).equal(x)
    assert T.ColorJitter(0.5, 0.5, 0.5, 0.1)(pil()).size == (20, 16)


def test_random_grayscale_apply_choice_order():
    x = tensor()
    g = T.RandomGrayscale(p=1.0)(x)
    assert tuple(g.shape) == (3, 16, 20) and g[0].equal(g[2])
    assert T.RandomGrayscale(p=0.0)(x) is x
    assert T.RandomGrayscale(p=1.0)(pil()).mode == "RGB"
    add = T.Lambda(lambda v: v + 1)
    assert T.RandomApply([add], p=0.0)(ember.zeros(1)).item() == 0
    assert T.RandomApply([add, add], p=1.0)(ember.zeros(1)).item() == 2
    choose = T.RandomChoice([T.Lambda(lambda v: "a"), T.Lambda(lambda v: "b")], p=[0.0, 1.0])
    assert {choose(None) for _ in range(20)} == {"b"}
    ember.manual_seed(0)
    uniform = T.RandomChoice([T.Lambda(lambda v: "a"), T.Lambda(lambda v: "b")])
    assert {uniform(None) for _ in range(40)} == {"a", "b"}
    ember.manual_seed(0)
    seen = set()
    order = T.RandomOrder([T.Lambda(lambda v, k=k: v + k) for k in "abc"])
    for _ in range(60):
        seen.add(order(""))
    assert seen == {"abc", "acb", "bac", "bca", "cab", "cba"}


def test_random_erasing():
    x = ember.ones(3, 16, 20)
    for seed in range(10):
        ember.manual_seed(seed)
        out = T.RandomErasing(p=1.0, value=(0.0, 0.5, 2.0))(x)
        erased = out.ne(1.0)
        assert erased.any() and x.eq(1.0).all()
        zone = out.numpy()[:, erased.any(0).numpy()]
        assert (zone[0] == 0.0).all() and (zone[1] == 0.5).all() and (zone[2] == 2.0).all()
        ember.manual_seed(seed)
        i, j, h, w, v = T.RandomErasing.get_params(x, (0.02, 0.33), (0.3, 3.3), [1.0])
        assert 0 <= i and i + h <= 16 and 0 <= j and j + w <= 20 and h < 16 and w < 20
    same = ember.ones(3, 16, 20)
    assert T.RandomErasing(p=1.0, inplace=True)(same) is not None and same.eq(0).any()
    assert T.RandomErasing(p=0.0)(x) is x
    # No box fits: the image comes back untouched.
    i, j, h, w, v = T.RandomErasing.get_params(x, (0.99, 1.0), (1.0, 1.0))
    assert (i, j, h, w) == (0, 0, 16, 20) and v is x
    ember.manual_seed(1)
    noisy = T.RandomErasing(p=1.0, value="random")(x)
    assert noisy.ne(1.0).sum().item() > 0
    with pytest.raises(ValueError, match="number of input channels"):
        T.RandomErasing(p=1.0, value=(1.0, 2.0))(x)


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
def test_draw_helpers_equal_the_tensor_forms(dtype):
    # uniform(a, b) and draw_below(p) are the values of torch.empty(1).uniform_(a, b).item()
    # and bool(torch.rand(1) < p), at the same stream position, computed without the tensors.
    from ember.vision.transforms._utils import draw_below, uniform

    previous = ember.get_default_dtype()
    ember.set_default_dtype(dtype)
    try:
        rng = np.random.default_rng(0)
        for i in range(100):
            lo = float(rng.uniform(-50, 50))
            hi = lo + float(rng.choice([0.0, rng.uniform(0, 30), 1e-3]))
            lo, hi = (0.0, 1.0) if i % 10 == 0 else (lo, hi)
            ember.manual_seed(i)
            want = (ember.empty(1).uniform_(lo, hi).item(), ember.rand(1).item())
            ember.manual_seed(i)
            assert (uniform(lo, hi), ember.rand(1).item()) == want
            p = float(rng.choice([rng.random(), 0.0, 1.0, 0.1, -3.0, 7.0]))
            ember.manual_seed(i)
            want_below = (bool(ember.rand(1) < p), ember.rand(1).item())
            ember.manual_seed(i)
            assert (draw_below(p), ember.rand(1).item()) == want_below
    finally:
        ember.set_default_dtype(previous)
