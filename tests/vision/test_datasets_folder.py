"""ImageFolder / DatasetFolder over a tree of small PNGs."""

from __future__ import annotations

import os

import numpy as np
import pytest
from _vision_files import make_image_tree

import ember
from ember.utils.data import DataLoader
from ember.vision import datasets, transforms
from ember.vision.datasets.folder import IMG_EXTENSIONS, find_classes, make_dataset

pytest.importorskip("PIL", reason="Pillow (the 'examples' extra) reads ImageFolder's images")


def test_classes_samples_and_targets(tmp_path):
    images = make_image_tree(str(tmp_path), {"dog": 2, "cat": 3})
    (tmp_path / "cat" / "notes.txt").write_text("not an image")
    ds = datasets.ImageFolder(str(tmp_path))
    assert ds.classes == ["cat", "dog"] and ds.class_to_idx == {"cat": 0, "dog": 1}
    assert len(ds) == 5 and ds.targets == [0, 0, 0, 1, 1]
    assert ds.imgs == ds.samples
    assert [os.path.basename(p) for p, _ in ds.samples] == ["img0.png", "img1.png",
                                                            "img2.png", "img0.png", "img1.png"]
    img, target = ds[3]
    assert img.mode == "RGB" and img.size == (6, 4) and target == 1
    np.testing.assert_array_equal(np.asarray(img), images[ds.samples[3][0]])
    with pytest.raises(IndexError):
        ds[5]


def test_transform_and_dataloader(tmp_path):
    images = make_image_tree(str(tmp_path), {"a": 2, "b": 2})
    ds = datasets.ImageFolder(str(tmp_path), transform=transforms.ToTensor(),
                              target_transform=lambda y: y * 10)
    x, y = next(iter(DataLoader(ds, batch_size=4)))
    assert tuple(x.shape) == (4, 3, 4, 6) and x.dtype is ember.float32
    assert y.tolist() == [0, 0, 10, 10]
    first = images[ds.samples[0][0]]
    np.testing.assert_allclose(x[0].numpy(), first.transpose(2, 0, 1) / 255.0, rtol=1e-6)


def test_nested_folders_and_is_valid_file(tmp_path):
    make_image_tree(str(tmp_path), {"a": 1, os.path.join("a", "deep"): 1, "b": 1})
    ds = datasets.ImageFolder(str(tmp_path))
    assert ds.classes == ["a", "b"] and ds.targets == [0, 0, 1]
    only_zero = datasets.ImageFolder(str(tmp_path), is_valid_file=lambda p: "deep" not in p,
                                     allow_empty=False)
    assert len(only_zero) == 2


def test_empty_class_is_an_error_unless_allowed(tmp_path):
    make_image_tree(str(tmp_path), {"a": 1})
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="Found no valid file for the classes empty"):
        datasets.ImageFolder(str(tmp_path))
    assert len(datasets.ImageFolder(str(tmp_path), allow_empty=True)) == 1


def test_find_classes_and_make_dataset(tmp_path):
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder"):
        find_classes(str(tmp_path))
    make_image_tree(str(tmp_path), {"x": 1, "y": 1})
    assert find_classes(str(tmp_path)) == (["x", "y"], {"x": 0, "y": 1})
    with pytest.raises(ValueError, match="Both extensions and is_valid_file"):
        make_dataset(str(tmp_path), extensions=IMG_EXTENSIONS, is_valid_file=lambda p: True)
    with pytest.raises(ValueError, match="Both extensions and is_valid_file"):
        make_dataset(str(tmp_path))
    assert len(make_dataset(str(tmp_path), {"y": 0}, extensions=(".png",))) == 1


def test_dataset_folder_with_a_custom_loader(tmp_path):
    for cls in ("neg", "pos"):
        (tmp_path / cls).mkdir()
        (tmp_path / cls / "v.txt").write_text(cls)
    ds = datasets.DatasetFolder(str(tmp_path), loader=lambda p: open(p).read(),
                                extensions=(".txt",))
    assert [ds[i] for i in range(len(ds))] == [("neg", 0), ("pos", 1)]
    assert repr(ds) == f"Dataset DatasetFolder\n    Number of datapoints: 2\n    Root location: " \
                       f"{tmp_path}"


@pytest.mark.parametrize("content", [b"not a png at all", b"\x89PNG\r\n\x1a\n\x00\x00"])
def test_corrupt_image_error_names_the_file(tmp_path, content):
    make_image_tree(str(tmp_path), {"a": 1})
    bad = tmp_path / "a" / "broken.png"
    bad.write_bytes(content)
    ds = datasets.ImageFolder(str(tmp_path))
    index = [p for p, _ in ds.samples].index(str(bad))
    with pytest.raises(OSError, match="broken.png"):
        ds[index]


def test_truncated_image_error_names_the_file(tmp_path):
    make_image_tree(str(tmp_path), {"a": 1}, size=(64, 64))
    path = tmp_path / "a" / "img0.png"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(OSError, match="img0.png"):
        datasets.ImageFolder(str(tmp_path))[0]
