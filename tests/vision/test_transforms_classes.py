"""Transform classes: torchvision's reprs, argument checks, and deterministic behaviour."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember import nn
from ember.vision import transforms as T
from ember.vision.transforms import functional as F

Image = pytest.importorskip("PIL.Image", reason="Pillow (the 'examples' extra)")

U8 = np.random.default_rng(3).integers(0, 256, (8, 12, 3), dtype=np.uint8)


def pil() -> Image.Image:
    return Image.fromarray(U8, "RGB")


@pytest.mark.parametrize("t,expected", [
    (T.Compose([T.ToTensor(), T.Normalize(mean=(0.5,), std=(0.25,))]),
     "Compose(\n    ToTensor()\n    Normalize(mean=(0.5,), std=(0.25,))\n)"),
    (T.ToTensor(), "ToTensor()"),
    (T.PILToTensor(), "PILToTensor()"),
    (T.ToPILImage(), "ToPILImage()"),
    (T.ToPILImage(mode="RGB"), "ToPILImage(mode=RGB)"),
    (T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
     "Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])"),
    (T.ConvertImageDtype(ember.float32), "ConvertImageDtype()"),
    (T.Lambda(lambda x: x), "Lambda()"),
    (T.Resize(256), "Resize(size=256, interpolation=bilinear, max_size=None, antialias=True)"),
    (T.Resize((32, 48), T.InterpolationMode.NEAREST, antialias=False),
     "Resize(size=(32, 48), interpolation=nearest, max_size=None, antialias=False)"),
    (T.CenterCrop(224), "CenterCrop(size=(224, 224))"),
    (T.CenterCrop([3, 4]), "CenterCrop(size=[3, 4])"),
    (T.Pad(4), "Pad(padding=4, fill=0, padding_mode=constant)"),
    (T.RandomCrop(32, padding=4), "RandomCrop(size=(32, 32), padding=4)"),
    (T.RandomResizedCrop(224),
     "RandomResizedCrop(size=(224, 224), scale=(0.08, 1.0), ratio=(0.75, 1.3333), "
     "interpolation=bilinear, antialias=True)"),
    (T.RandomHorizontalFlip(), "RandomHorizontalFlip(p=0.5)"),
    (T.RandomVerticalFlip(0.3), "RandomVerticalFlip(p=0.3)"),
    (T.RandomRotation(30), "RandomRotation(degrees=[-30.0, 30.0], interpolation=nearest, "
                           "expand=False, fill=0)"),
    (T.RandomRotation((0, 90), center=(1, 2), expand=True),
     "RandomRotation(degrees=[0.0, 90.0], interpolation=nearest, expand=True, center=(1, 2), "
     "fill=0)"),
    (T.RandomAffine(10), "RandomAffine(degrees=[-10.0, 10.0])"),
    (T.RandomAffine(0, translate=(0.1, 0.2), scale=(0.9, 1.1), shear=5,
                    interpolation=T.InterpolationMode.BILINEAR, fill=1),
     "RandomAffine(degrees=[0.0, 0.0], translate=(0.1, 0.2), scale=(0.9, 1.1), "
     "shear=[-5.0, 5.0], interpolation=bilinear, fill=1)"),
    (T.ColorJitter(0.4, 0.4, 0.4, 0.1),
     "ColorJitter(brightness=(0.6, 1.4), contrast=(0.6, 1.4), saturation=(0.6, 1.4), "
     "hue=(-0.1, 0.1))"),
    (T.ColorJitter(brightness=2), "ColorJitter(brightness=(0.0, 3.0), contrast=None, "
                                  "saturation=None, hue=None)"),
    (T.Grayscale(), "Grayscale(num_output_channels=1)"),
    (T.RandomGrayscale(), "RandomGrayscale(p=0.1)"),
    (T.RandomApply([T.RandomHorizontalFlip()], p=0.3),
     "RandomApply(\n    p=0.3\n    RandomHorizontalFlip(p=0.5)\n)"),
    (T.RandomChoice([T.Grayscale(), T.ToTensor()]),
     "RandomChoice(\n    Grayscale(num_output_channels=1)\n    ToTensor()\n)(p=None)"),
    (T.RandomOrder([T.Grayscale()]), "RandomOrder(\n    Grayscale(num_output_channels=1)\n)"),
    (T.RandomErasing(), "RandomErasing(p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0, "
                        "inplace=False)"),
])
def test_reprs_match_torchvision(t, expected):
    assert repr(t) == expected


def test_module_transforms_are_modules_and_compose_in_sequential():
    for t in (T.Normalize([0.5], [0.5]), T.Resize(3), T.CenterCrop(2), T.Pad(1), T.RandomCrop(2),
              T.RandomResizedCrop(2), T.RandomHorizontalFlip(), T.ColorJitter(),
              T.RandomRotation(1), T.RandomAffine(1), T.Grayscale(), T.RandomErasing(),
              T.ConvertImageDtype(ember.float32), T.RandomApply([])):
        assert isinstance(t, nn.Module)
    for t in (T.Compose([]), T.ToTensor(), T.ToPILImage(), T.Lambda(abs)):
        assert not isinstance(t, nn.Module)
    seq = nn.Sequential(T.CenterCrop(2), T.Normalize([0.5], [0.5]))
    assert seq(ember.ones(1, 4, 4)).tolist() == [[[1.0, 1.0], [1.0, 1.0]]]


def test_argument_checks():
    with pytest.raises(TypeError, match="Size should be int or sequence"):
        T.Resize(2.5)
    with pytest.raises(ValueError, match="1 or 2 values"):
        T.Resize((1, 2, 3))
    with pytest.raises(ValueError, match="only two dimensions"):
        T.CenterCrop((1, 2, 3))
    with pytest.raises(ValueError, match="Padding mode"):
        T.Pad(1, padding_mode="wrap")
    with pytest.raises(ValueError, match="not a 3 element tuple"):
        T.Pad((1, 2, 3))
    with pytest.raises(TypeError, match="Lambda|callable"):
        T.Lambda(3)
    with pytest.raises(ValueError, match="must be non negative"):
        T.ColorJitter(brightness=-1)
    with pytest.raises(ValueError, match=r"hue values should be between \(-0.5, 0.5\)"):
        T.ColorJitter(hue=0.7)
    with pytest.raises(TypeError, match="single number or a list/tuple"):
        T.ColorJitter(contrast=[1, 2, 3])
    with pytest.raises(ValueError, match="must be positive"):
        T.RandomRotation(-3)
    with pytest.raises(ValueError, match="degrees should be a sequence of length 2"):
        T.RandomRotation([1, 2, 3])
    with pytest.raises(ValueError, match="translation values should be between 0 and 1"):
        T.RandomAffine(0, translate=(0.5, 1.5))
    with pytest.raises(ValueError, match="scale values should be positive"):
        T.RandomAffine(0, scale=(0, 1))
    with pytest.raises(ValueError, match="shear should be a sequence of length 2 or 4"):
        T.RandomAffine(0, shear=[1, 2, 3])
    with pytest.raises(ValueError, match="should be 'random'"):
        T.RandomErasing(value="noise")
    with pytest.raises(ValueError, match="Scale should be between 0 and 1"):
        T.RandomErasing(scale=(0.5, 2.0))
    with pytest.raises(ValueError, match="probability should be between 0 and 1"):
        T.RandomErasing(p=1.5)
    with pytest.raises(TypeError, match="Argument p should be a sequence"):
        T.RandomChoice([T.ToTensor()], p=0.5)
    with pytest.raises(TypeError, match="transforms should be a sequence"):
        T.RandomOrder(T.ToTensor())
    with pytest.warns(UserWarning, match="Scale and ratio"):
        T.RandomResizedCrop(3, scale=(1.0, 0.5))


def test_deterministic_classes_on_pil_and_tensor():
    x = F.to_tensor(pil())
    assert tuple(T.Resize(4)(x).shape) == (3, 4, 6) and T.Resize(4)(pil()).size == (6, 4)
    np.testing.assert_array_equal(T.CenterCrop(4)(x).numpy(), x.numpy()[:, 2:6, 4:8])
    np.testing.assert_array_equal(np.asarray(T.CenterCrop(4)(pil())), U8[2:6, 4:8])
    assert tuple(T.Pad((1, 2))(x).shape) == (3, 12, 14) and T.Pad((1, 2))(pil()).size == (14, 12)
    g = T.Grayscale(3)(x)
    assert tuple(g.shape) == (3, 8, 12) and g[0].equal(g[1])
    assert T.Grayscale()(pil()).mode == "L"
    u = T.PILToTensor()(pil())
    np.testing.assert_allclose(T.ConvertImageDtype(ember.float32)(u).numpy(), x.numpy(),
                               rtol=1e-6)
    back = T.ToPILImage()(x)
    np.testing.assert_array_equal(np.asarray(back), U8)


def test_full_pipelines_produce_model_ready_batches():
    train = T.Compose([T.RandomResizedCrop(6), T.RandomHorizontalFlip(), T.ColorJitter(0.2, 0.2),
                       T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3), T.RandomErasing()])
    out = train(pil())
    assert tuple(out.shape) == (3, 6, 6) and out.dtype is ember.float32
    assert float(out.min()) >= -1.0 - 1e-6 and float(out.max()) <= 1.0 + 1e-6
    test = T.Compose([T.Resize(6), T.CenterCrop(6), T.ToTensor()])
    assert tuple(test(pil()).shape) == (3, 6, 6)
