"""MNIST / FashionMNIST: IDX parsing (plain and gzipped), samples, errors, downloads."""

from __future__ import annotations

import gzip
import hashlib
import os

import numpy as np
import pytest
from _vision_files import idx_bytes, make_mnist, write_idx

import ember
from ember.utils.data import DataLoader
from ember.vision import datasets, transforms
from ember.vision.datasets.mnist import read_sn3_pascalvincent_tensor

pytest.importorskip("PIL", reason="Pillow (the 'examples' extra) makes MNIST's PIL images")


@pytest.mark.parametrize("gz", [False, True])
def test_loads_both_splits(tmp_path, gz):
    arrays = make_mnist(str(tmp_path), gz=gz)
    train = datasets.MNIST(str(tmp_path), train=True)
    test = datasets.MNIST(str(tmp_path), train=False)
    assert len(train) == 5 and len(test) == 3
    assert train.data.dtype is ember.uint8 and tuple(train.data.shape) == (5, 28, 28)
    assert train.targets.dtype is ember.int64
    np.testing.assert_array_equal(train.data.numpy(), arrays["train-images-idx3-ubyte"])
    np.testing.assert_array_equal(test.targets.numpy(), arrays["t10k-labels-idx1-ubyte"])


def test_getitem_is_a_pil_L_image_and_int_target(tmp_path):
    arrays = make_mnist(str(tmp_path))
    ds = datasets.MNIST(str(tmp_path))
    img, target = ds[2]
    assert img.mode == "L" and img.size == (28, 28)
    np.testing.assert_array_equal(np.asarray(img), arrays["train-images-idx3-ubyte"][2])
    assert type(target) is int and target == int(arrays["train-labels-idx1-ubyte"][2])
    np.testing.assert_array_equal(np.asarray(ds[-1][0]), arrays["train-images-idx3-ubyte"][-1])


def test_index_out_of_range_is_an_index_error(tmp_path):
    make_mnist(str(tmp_path))
    ds = datasets.MNIST(str(tmp_path))
    with pytest.raises(IndexError):
        ds[5]
    with pytest.raises(IndexError):
        ds[-6]


def test_transforms_and_metadata(tmp_path):
    arrays = make_mnist(str(tmp_path))
    ds = datasets.MNIST(str(tmp_path), transform=transforms.ToTensor(),
                        target_transform=lambda y: y + 100)
    x, y = ds[0]
    assert tuple(x.shape) == (1, 28, 28) and x.dtype is ember.float32
    np.testing.assert_allclose(x.numpy()[0], arrays["train-images-idx3-ubyte"][0] / 255.0,
                               rtol=1e-6)
    assert y == int(arrays["train-labels-idx1-ubyte"][0]) + 100
    assert ds.classes[3] == "3 - three" and ds.class_to_idx["9 - nine"] == 9
    assert ds.raw_folder == os.path.join(str(tmp_path), "MNIST", "raw")


def test_dataloader_batches_of_normalized_tensors(tmp_path):
    arrays = make_mnist(str(tmp_path))
    t = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    loader = DataLoader(datasets.MNIST(str(tmp_path), transform=t), batch_size=4)
    batches = list(loader)
    x, y = batches[0]
    assert tuple(x.shape) == (4, 1, 28, 28) and x.dtype is ember.float32
    assert tuple(y.shape) == (4,) and y.dtype is ember.int64
    assert tuple(batches[1][0].shape) == (1, 1, 28, 28)
    expected = (arrays["train-images-idx3-ubyte"][:4] / 255.0 - 0.1307) / 0.3081
    np.testing.assert_allclose(x.numpy()[:, 0], expected, rtol=1e-5, atol=1e-5)


def test_repr(tmp_path):
    make_mnist(str(tmp_path))
    ds = datasets.MNIST(str(tmp_path), train=False)
    assert repr(ds) == (f"Dataset MNIST\n    Number of datapoints: 3\n    Root location: "
                        f"{tmp_path}\n    Split: Test")
    ds = datasets.MNIST(str(tmp_path), transform=transforms.Compose([transforms.ToTensor()]))
    assert repr(ds) == (f"Dataset MNIST\n    Number of datapoints: 5\n    Root location: "
                        f"{tmp_path}\n    Split: Train\n    StandardTransform\n"
                        f"Transform: Compose(\n               ToTensor()\n           )")


def test_fashion_mnist_uses_its_own_folder_and_classes(tmp_path):
    make_mnist(str(tmp_path), name="FashionMNIST")
    ds = datasets.FashionMNIST(str(tmp_path))
    assert len(ds) == 5 and ds.classes[9] == "Ankle boot"
    with pytest.raises(RuntimeError, match="MNIST"):
        datasets.MNIST(str(tmp_path))


def test_missing_files_error_names_directory_and_files(tmp_path):
    with pytest.raises(RuntimeError) as info:
        datasets.MNIST(str(tmp_path))
    msg = str(info.value)
    assert "download=True" in msg and os.path.join(str(tmp_path), "MNIST", "raw") in msg
    assert "train-images-idx3-ubyte.gz" in msg and "t10k-labels-idx1-ubyte.gz" in msg


def test_bad_magic_number_names_the_file(tmp_path):
    make_mnist(str(tmp_path))
    bad = os.path.join(str(tmp_path), "MNIST", "raw", "train-images-idx3-ubyte")
    with open(bad, "r+b") as f:
        f.write(b"\x12\x34\x56\x78")
    with pytest.raises(RuntimeError, match="train-images-idx3-ubyte: not an IDX file"):
        datasets.MNIST(str(tmp_path))


def test_truncated_file_names_the_file(tmp_path):
    make_mnist(str(tmp_path))
    path = os.path.join(str(tmp_path), "MNIST", "raw", "train-images-idx3-ubyte")
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data[:-10])
    with pytest.raises(RuntimeError, match="train-images-idx3-ubyte: truncated"):
        datasets.MNIST(str(tmp_path))
    with open(path, "wb") as f:
        f.write(data[:6])  # not even a whole header
    with pytest.raises(RuntimeError, match="truncated IDX file"):
        datasets.MNIST(str(tmp_path))


def test_corrupt_gzip_names_the_file(tmp_path):
    make_mnist(str(tmp_path), gz=True)
    path = os.path.join(str(tmp_path), "MNIST", "raw", "train-labels-idx1-ubyte.gz")
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data[: len(data) // 2])
    with pytest.raises(RuntimeError, match="train-labels-idx1-ubyte.gz: corrupted gzip"):
        datasets.MNIST(str(tmp_path))


def test_images_and_labels_must_agree_in_count(tmp_path):
    make_mnist(str(tmp_path))
    write_idx(os.path.join(str(tmp_path), "MNIST", "raw", "train-labels-idx1-ubyte"),
              np.zeros(4, dtype=np.uint8))
    with pytest.raises(RuntimeError, match="5 images but .* 4 labels"):
        datasets.MNIST(str(tmp_path))


def test_wrong_dtype_or_rank_is_refused(tmp_path):
    make_mnist(str(tmp_path))
    write_idx(os.path.join(str(tmp_path), "MNIST", "raw", "train-images-idx3-ubyte"),
              np.zeros((5, 28, 28), dtype=np.int16))
    with pytest.raises(RuntimeError, match="dtype uint8"):
        datasets.MNIST(str(tmp_path))


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32,
                                   np.float64])
def test_idx_reader_handles_every_type_big_endian(tmp_path, dtype):
    arr = (np.arange(24).reshape(2, 3, 4) - 7).astype(dtype)
    path = write_idx(str(tmp_path / "x.idx"), arr)
    out = read_sn3_pascalvincent_tensor(path)
    np.testing.assert_array_equal(out.numpy(), arr)
    assert out.numpy().dtype == np.dtype(dtype)


def _serve(tmp_path, arrays):
    """A file:// mirror holding gzipped MNIST files; returns (mirror, resources)."""
    mirror_dir = tmp_path / "mirror"
    mirror_dir.mkdir()
    resources = []
    for name, arr in arrays.items():
        data = gzip.compress(idx_bytes(arr))
        (mirror_dir / (name + ".gz")).write_bytes(data)
        resources.append((name + ".gz", hashlib.md5(data).hexdigest()))
    return mirror_dir.as_uri() + "/", resources


def test_download_from_a_mirror_checks_md5(tmp_path, monkeypatch):
    source = tmp_path / "src"
    arrays = make_mnist(str(source))
    mirror, resources = _serve(tmp_path, arrays)
    monkeypatch.setattr(datasets.MNIST, "mirrors", ["file:///nonexistent/", mirror])
    monkeypatch.setattr(datasets.MNIST, "resources", resources)
    root = tmp_path / "root"
    ds = datasets.MNIST(str(root), download=True)
    assert len(ds) == 5
    np.testing.assert_array_equal(ds.data.numpy(), arrays["train-images-idx3-ubyte"])
    assert sorted(os.listdir(root / "MNIST" / "raw")) == sorted(f for f, _ in resources)

    bad = [(f, "0" * 32) for f, _ in resources]
    monkeypatch.setattr(datasets.MNIST, "resources", bad)
    with pytest.raises(RuntimeError, match="train-images-idx3-ubyte.gz: downloaded .* MD5"):
        datasets.MNIST(str(tmp_path / "other"), download=True)
    assert os.listdir(tmp_path / "other" / "MNIST" / "raw") == []


def test_download_without_network_names_files_and_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets.MNIST, "mirrors", [(tmp_path / "offline").as_uri() + "/"])
    with pytest.raises(RuntimeError) as info:
        datasets.MNIST(str(tmp_path), download=True)
    msg = str(info.value)
    assert "Error downloading train-images-idx3-ubyte.gz" in msg
    assert os.path.join(str(tmp_path), "MNIST", "raw") in msg
    assert "t10k-images-idx3-ubyte.gz" in msg


def test_worker_processes_with_seeded_random_transforms(tmp_path):
    make_mnist(str(tmp_path), n_train=12)
    ds = datasets.MNIST(str(tmp_path), transform=transforms.Compose(
        [transforms.RandomRotation(15), transforms.ToTensor()]))

    def run(seed):
        ember.manual_seed(seed)
        return [x.numpy() for x, _ in DataLoader(ds, batch_size=4, num_workers=2)]

    a, b, c = run(0), run(0), run(1)
    assert [x.shape for x in a] == [(4, 1, 28, 28)] * 3
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not all(np.array_equal(x, y) for x, y in zip(a, c))
