"""CIFAR-10/100: pickle batches, restricted unpickling, samples and errors."""

from __future__ import annotations

import io
import os
import pickle

import numpy as np
import pytest
from _vision_files import make_cifar10, make_cifar100, write_pickle

import ember
from ember.utils.data import DataLoader
from ember.vision import datasets, transforms
from ember.vision.datasets.cifar import RestrictedUnpickler, load_pickle

pytest.importorskip("PIL", reason="Pillow (the 'examples' extra) makes CIFAR's PIL images")


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_cifar10_train_and_test(tmp_path, protocol):
    batches = make_cifar10(str(tmp_path), protocol=protocol)
    train = datasets.CIFAR10(str(tmp_path), train=True)
    test = datasets.CIFAR10(str(tmp_path), train=False)
    assert len(train) == 10 and len(test) == 2
    assert isinstance(train.data, np.ndarray) and train.data.shape == (10, 32, 32, 3)
    raw = np.concatenate([batches[f"data_batch_{i}"][0] for i in range(1, 6)])
    # The rows hold the red plane, then green, then blue; data is HWC.
    np.testing.assert_array_equal(train.data, raw.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
    assert train.targets == sum((batches[f"data_batch_{i}"][1] for i in range(1, 6)), [])
    assert test.targets == batches["test_batch"][1]
    assert train.classes[0] == "airplane" and train.class_to_idx["truck"] == 9


def test_cifar10_getitem_is_an_rgb_pil_image(tmp_path):
    batches = make_cifar10(str(tmp_path))
    ds = datasets.CIFAR10(str(tmp_path), train=False)
    img, target = ds[1]
    assert img.mode == "RGB" and img.size == (32, 32)
    expected = batches["test_batch"][0][1].reshape(3, 32, 32).transpose(1, 2, 0)
    np.testing.assert_array_equal(np.asarray(img), expected)
    assert target == batches["test_batch"][1][1]
    with pytest.raises(IndexError):
        ds[2]


def test_cifar10_with_transforms_in_a_dataloader(tmp_path):
    make_cifar10(str(tmp_path))
    t = transforms.Compose([transforms.RandomCrop(32, padding=4),
                            transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                            transforms.Normalize((0.5, 0.5, 0.5), (0.25, 0.25, 0.25))])
    ds = datasets.CIFAR10(str(tmp_path), transform=t)
    x, y = next(iter(DataLoader(ds, batch_size=4, shuffle=True)))
    assert tuple(x.shape) == (4, 3, 32, 32) and x.dtype is ember.float32
    assert tuple(y.shape) == (4,)
    assert float(x.min()) >= -2.0 - 1e-6 and float(x.max()) <= 2.0 + 1e-6


def test_cifar10_repr(tmp_path):
    make_cifar10(str(tmp_path))
    ds = datasets.CIFAR10(str(tmp_path))
    assert repr(ds) == (f"Dataset CIFAR10\n    Number of datapoints: 10\n    Root location: "
                        f"{tmp_path}\n    Split: Train")


def test_cifar100_uses_fine_labels(tmp_path):
    batches = make_cifar100(str(tmp_path))
    ds = datasets.CIFAR100(str(tmp_path), train=True)
    assert len(ds) == 3 and ds.targets == batches["train"][1]
    assert len(ds.classes) == 100 and ds.classes[7] == "c7"
    assert ds[0][0].size == (32, 32)


def test_batches_with_str_keys_and_raw_bytes_also_load(tmp_path):
    make_cifar10(str(tmp_path))
    folder = os.path.join(str(tmp_path), "cifar-10-batches-py")
    pixels = bytes(range(256)) * 12  # one image
    write_pickle(os.path.join(folder, "test_batch"), {"data": pixels, "labels": [4]}, 2)
    ds = datasets.CIFAR10(str(tmp_path), train=False)
    assert len(ds) == 1 and ds.targets == [4]
    assert ds.data[0, 0, 0].tolist() == [0, 0, 0] and ds.data[0, 0, 1].tolist() == [1, 1, 1]


class _Exploit:
    def __reduce__(self):
        return (os.system, ("touch PWNED",))


def test_restricted_unpickler_refuses_a_planted_malicious_pickle(tmp_path, monkeypatch):
    make_cifar10(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    path = os.path.join(str(tmp_path), "cifar-10-batches-py", "data_batch_3")
    write_pickle(path, {b"data": _Exploit(), b"labels": [1]})
    with pytest.raises(RuntimeError, match="data_batch_3: corrupted or unsafe pickle") as info:
        datasets.CIFAR10(str(tmp_path))
    assert "refusing to load global" in str(info.value)
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("payload", [
    pickle.dumps(eval),  # builtins.eval
    pickle.dumps(print),
    pickle.dumps(os.path.join),
    b"cbuiltins\nexec\n(S'import os'\ntR.",
    b"cposix\nsystem\n(S'true'\ntR.",
])
def test_restricted_unpickler_refuses_every_global(payload):
    with pytest.raises(pickle.UnpicklingError, match="refusing to load global"):
        RestrictedUnpickler(io.BytesIO(payload)).load()


def test_restricted_unpickler_stand_ins_cannot_be_abused():
    from ember.vision.datasets.cifar import _encode, _reconstruct

    with pytest.raises(pickle.UnpicklingError):
        _reconstruct(dict, (0,), b"b")
    with pytest.raises(pickle.UnpicklingError):
        _encode("x", "zlib_codec")


def test_restricted_unpickler_reads_plain_data():
    obj = {b"a": [1, 2.5, None, True], "b": (b"x", "y"), b"c": {1: -3}}
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert RestrictedUnpickler(io.BytesIO(pickle.dumps(obj, protocol))).load() == obj


def test_truncated_pickle_names_the_file(tmp_path):
    make_cifar10(str(tmp_path))
    path = os.path.join(str(tmp_path), "cifar-10-batches-py", "test_batch")
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data[: len(data) // 2])
    with pytest.raises(RuntimeError, match="test_batch: corrupted or unsafe pickle"):
        datasets.CIFAR10(str(tmp_path), train=False)
    with pytest.raises(RuntimeError, match="test_batch"):
        load_pickle(path)


def test_batch_with_wrong_content_is_refused(tmp_path):
    make_cifar10(str(tmp_path))
    folder = os.path.join(str(tmp_path), "cifar-10-batches-py")
    write_pickle(os.path.join(folder, "test_batch"), {b"labels": [1]})
    with pytest.raises(RuntimeError, match="test_batch: not a CIFAR batch"):
        datasets.CIFAR10(str(tmp_path), train=False)
    write_pickle(os.path.join(folder, "test_batch"), {b"data": b"\x00" * 100, b"labels": [1]})
    with pytest.raises(RuntimeError, match="100 bytes of pixels for 1 labels"):
        datasets.CIFAR10(str(tmp_path), train=False)
    write_pickle(os.path.join(folder, "test_batch"),
                 {b"data": np.zeros((1, 3072), np.int16), b"labels": [1]})
    with pytest.raises(RuntimeError, match="uint8 array"):
        datasets.CIFAR10(str(tmp_path), train=False)


def test_missing_files_error_names_directory_and_files(tmp_path):
    with pytest.raises(RuntimeError) as info:
        datasets.CIFAR10(str(tmp_path))
    msg = str(info.value)
    assert os.path.join(str(tmp_path), "cifar-10-batches-py") in msg
    assert "data_batch_5" in msg and "batches.meta" in msg and "download=True" in msg


def test_download_without_network_names_files_and_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets.CIFAR10, "url", (tmp_path / "nowhere.tar.gz").as_uri())
    with pytest.raises(RuntimeError) as info:
        datasets.CIFAR10(str(tmp_path), download=True)
    msg = str(info.value)
    assert "Error downloading" in msg and "test_batch" in msg
    assert os.path.join(str(tmp_path), "cifar-10-batches-py") in msg


def test_download_extracts_a_verified_archive(tmp_path, monkeypatch):
    import hashlib
    import tarfile

    src = tmp_path / "src"
    make_cifar10(str(src))
    archive = tmp_path / "cifar.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(src / "cifar-10-batches-py", arcname="cifar-10-batches-py")
    monkeypatch.setattr(datasets.CIFAR10, "url", archive.as_uri())
    monkeypatch.setattr(datasets.CIFAR10, "tgz_md5",
                        hashlib.md5(archive.read_bytes()).hexdigest())
    ds = datasets.CIFAR10(str(tmp_path / "root"), download=True)
    assert len(ds) == 10
