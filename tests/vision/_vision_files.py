"""Writers for tiny dataset files in the standard formats (IDX, CIFAR pickles, PNG trees)."""

from __future__ import annotations

import gzip
import os
import pickle
import struct

import numpy as np

IDX_CODES = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C, np.float32: 0x0D,
             np.float64: 0x0E}


def idx_bytes(arr: np.ndarray) -> bytes:
    """An IDX file: 0, 0, type byte, ndim, big-endian sizes, big-endian values."""
    code = IDX_CODES[arr.dtype.type]
    header = bytes([0, 0, code, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    return header + arr.astype(arr.dtype.newbyteorder(">")).tobytes()


def write_idx(path: str, arr: np.ndarray, gz: bool = False) -> str:
    data = idx_bytes(arr)
    if gz:
        path += ".gz"
        with gzip.open(path, "wb") as f:
            f.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)
    return path


def make_mnist(root: str, name: str = "MNIST", n_train: int = 5, n_test: int = 3,
               gz: bool = False, seed: int = 0) -> dict[str, np.ndarray]:
    """Writes the four MNIST IDX files under ``root/name/raw`` and returns the arrays."""
    rng = np.random.default_rng(seed)
    raw = os.path.join(root, name, "raw")
    os.makedirs(raw, exist_ok=True)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": rng.integers(0, 10, n_train, dtype=np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    for fname, arr in arrays.items():
        write_idx(os.path.join(raw, fname), arr, gz=gz)
    return arrays


def write_pickle(path: str, obj: object, protocol: int = pickle.HIGHEST_PROTOCOL) -> None:
    with open(path, "wb") as f:
        pickle.dump(obj, f, protocol=protocol)


def make_cifar10(root: str, per_batch: int = 2, seed: int = 0,
                 protocol: int = pickle.HIGHEST_PROTOCOL) -> dict[str, tuple]:
    """``root/cifar-10-batches-py`` with 5 training batches, a test batch and the meta file,
    using the standard byte-string keys; returns ``{name: (data, labels)}``."""
    rng = np.random.default_rng(seed)
    folder = os.path.join(root, "cifar-10-batches-py")
    os.makedirs(folder, exist_ok=True)
    out = {}
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        data = rng.integers(0, 256, (per_batch, 3072), dtype=np.uint8)
        labels = [int(v) for v in rng.integers(0, 10, per_batch)]
        write_pickle(os.path.join(folder, name),
                     {b"batch_label": name.encode(), b"labels": labels, b"data": data,
                      b"filenames": [b"x.png"] * per_batch}, protocol)
        out[name] = (data, labels)
    names = [n.encode() for n in ("airplane", "automobile", "bird", "cat", "deer", "dog",
                                  "frog", "horse", "ship", "truck")]
    write_pickle(os.path.join(folder, "batches.meta"),
                 {b"num_cases_per_batch": per_batch, b"label_names": names, b"num_vis": 3072},
                 protocol)
    return out


def make_cifar100(root: str, n: int = 3, seed: int = 1) -> dict[str, tuple]:
    rng = np.random.default_rng(seed)
    folder = os.path.join(root, "cifar-100-python")
    os.makedirs(folder, exist_ok=True)
    out = {}
    for name in ("train", "test"):
        data = rng.integers(0, 256, (n, 3072), dtype=np.uint8)
        fine = [int(v) for v in rng.integers(0, 100, n)]
        coarse = [int(v) for v in rng.integers(0, 20, n)]
        write_pickle(os.path.join(folder, name),
                     {b"data": data, b"fine_labels": fine, b"coarse_labels": coarse})
        out[name] = (data, fine)
    write_pickle(os.path.join(folder, "meta"),
                 {b"fine_label_names": [f"c{i}".encode() for i in range(100)],
                  b"coarse_label_names": [f"s{i}".encode() for i in range(20)]})
    return out


def make_image_tree(root: str, layout: dict[str, int], size: tuple[int, int] = (6, 4),
                    seed: int = 0) -> dict[str, np.ndarray]:
    """``root/<class>/img<k>.png`` RGB images; returns ``{path: HWC uint8 array}``."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    out = {}
    for cls, count in layout.items():
        os.makedirs(os.path.join(root, cls), exist_ok=True)
        for k in range(count):
            arr = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
            path = os.path.join(root, cls, f"img{k}.png")
            Image.fromarray(arr, "RGB").save(path)
            out[path] = arr
    return out
