"""MNIST and Fashion-MNIST, read from the IDX files (plain or gzipped) in ``root/<Name>/raw``.

# NOTE [ IDX format ]
An IDX file is a big-endian header and a packed array: two zero bytes, a type byte (0x08
uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), a byte giving the
number of dimensions ``nd``, then ``nd`` 32-bit sizes, then the values. MNIST's images are
``0x00000803`` (uint8, 3-D: N x 28 x 28) and its labels ``0x00000801`` (uint8, 1-D).
"""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from collections.abc import Callable
from typing import Any

import ember
from ember import Tensor

from .._buffers import pil_image_module, tensor_from_bytes, tensor_to_bytes
from .utils import check_integrity, download_from_mirrors, not_found_error
from .vision import VisionDataset

__all__ = ["MNIST", "FashionMNIST", "read_sn3_pascalvincent_tensor", "read_image_file",
           "read_label_file"]

_IDX_TYPES = {0x08: (ember.uint8, 1), 0x09: (ember.int8, 1), 0x0B: (ember.int16, 2),
              0x0C: (ember.int32, 4), 0x0D: (ember.float32, 4), 0x0E: (ember.float64, 8)}


def _read_bytes(path: str) -> bytes:
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as f:
                return f.read()
        with open(path, "rb") as f:
            return f.read()
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:
        raise RuntimeError(f"{path}: corrupted gzip file ({err})") from err


def read_sn3_pascalvincent_tensor(path: str, strict: bool = True) -> Tensor:
    """The array stored in the IDX file ``path`` (see NOTE [ IDX format ]).

    Raises:
        RuntimeError: naming ``path``, when the magic number is not an IDX one, or the file
            is shorter (or, with ``strict``, longer) than its header says.
    """
    data = _read_bytes(os.fspath(path))
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_TYPES \
            or data[3] < 1:
        magic = data[:4].hex() or "(empty file)"
        raise RuntimeError(f"{path}: not an IDX file (bad magic number 0x{magic}; expected "
                           f"00 00, a type byte in 08/09/0b/0c/0d/0e, and a dimension count)")
    dtype, itemsize = _IDX_TYPES[data[2]]
    nd = data[3]
    header = 4 * (nd + 1)
    if len(data) < header:
        raise RuntimeError(f"{path}: truncated IDX file: the header needs {header} bytes, "
                           f"the file has {len(data)}")
    dims = struct.unpack(f">{nd}I", data[4:header])
    expected = header + math.prod(dims) * itemsize
    if len(data) < expected or (strict and len(data) > expected):
        raise RuntimeError(f"{path}: truncated or corrupted IDX file: shape {list(dims)} needs "
                           f"{expected} bytes, the file has {len(data)}")
    return tensor_from_bytes(memoryview(data)[header:expected], dtype, dims, byteorder=">")


def read_label_file(path: str) -> Tensor:
    """The labels of an IDX label file, as an int64 tensor."""
    x = read_sn3_pascalvincent_tensor(path, strict=True)
    if x.dtype is not ember.uint8:
        raise RuntimeError(f"{path}: labels should be of dtype uint8, not {x.dtype}")
    if x.ndim != 1:
        raise RuntimeError(f"{path}: labels should have 1 dimension, not {x.ndim}")
    return x.long()


def read_image_file(path: str) -> Tensor:
    """The images of an IDX image file, as an ``(N, H, W)`` uint8 tensor."""
    x = read_sn3_pascalvincent_tensor(path, strict=True)
    if x.dtype is not ember.uint8:
        raise RuntimeError(f"{path}: images should be of dtype uint8, not {x.dtype}")
    if x.ndim != 3:
        raise RuntimeError(f"{path}: images should have 3 dimensions, not {x.ndim}")
    return x


class MNIST(VisionDataset):
    """The MNIST handwritten digits: 60,000 training and 10,000 test 28x28 greyscale images.

    The four IDX files (``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
    ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``, each plain or ``.gz``) are read
    from ``root/MNIST/raw``. MD5 sums are checked when downloading.

    Args:
        root (str or path): the directory holding ``MNIST/raw``.
        train (bool): the training split (True) or the test split.
        transform (callable, optional): applied to the PIL image (mode ``'L'``).
        target_transform (callable, optional): applied to the int label.
        download (bool): fetch the files from the standard mirrors if they are missing.

    Attributes:
        data (Tensor): uint8 images ``(N, 28, 28)``.
        targets (Tensor): int64 labels ``(N,)``.
        classes (list of str): the class names.

    Example:
        >>> from ember.vision import datasets, transforms
        >>> ds = datasets.MNIST("data", transform=transforms.ToTensor())  # doctest: +SKIP
        >>> ds[0][0].shape  # doctest: +SKIP
        ember.Size([1, 28, 28])
    """

    mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/",
               "http://yann.lecun.com/exdb/mnist/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six",
               "7 - seven", "8 - eight", "9 - nine"]

    def __init__(self, root: str | os.PathLike, train: bool = True,
                 transform: Callable | None = None, target_transform: Callable | None = None,
                 download: bool = False) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        if not self._check_exists():
            raise not_found_error(self.__class__.__name__, self.raw_folder,
                                  [f for f, _ in self.resources])
        self.data, self.targets = self._load_data()

    @property
    def raw_folder(self) -> str:
        return os.path.join(self.root, self.__class__.__name__, "raw")

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {_class: i for i, _class in enumerate(self.classes)}

    def _find(self, name: str) -> str | None:
        """The path of ``name`` in the raw folder, plain or gzipped, or None."""
        for candidate in (name, name + ".gz"):
            path = os.path.join(self.raw_folder, candidate)
            if check_integrity(path):
                return path
        return None

    def _check_exists(self) -> bool:
        return all(self._find(os.path.splitext(f)[0]) is not None for f, _ in self.resources)

    def _load_data(self) -> tuple[Tensor, Tensor]:
        prefix = "train" if self.train else "t10k"
        image_path = self._find(f"{prefix}-images-idx3-ubyte")
        label_path = self._find(f"{prefix}-labels-idx1-ubyte")
        data = read_image_file(image_path)
        targets = read_label_file(label_path)
        if data.shape[0] != targets.shape[0]:
            raise RuntimeError(f"{image_path} holds {data.shape[0]} images but {label_path} "
                               f"holds {targets.shape[0]} labels")
        return data, targets

    def download(self) -> None:
        """Downloads the gzipped IDX files into :attr:`raw_folder` (checking MD5 sums)."""
        if self._check_exists():
            return
        os.makedirs(self.raw_folder, exist_ok=True)
        download_from_mirrors(self.__class__.__name__, self.resources, self.mirrors,
                              self.raw_folder, extract=False)

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        img, target = self.data[index], int(self.targets[index])
        height, width = img.shape
        img = pil_image_module().frombytes("L", (width, height), tensor_to_bytes(img))
        return self._apply(img, target)

    def __len__(self) -> int:
        return len(self.data)

    def extra_repr(self) -> str:
        split = "Train" if self.train is True else "Test"
        return f"Split: {split}"


class FashionMNIST(MNIST):
    """Fashion-MNIST: Zalando's 28x28 greyscale clothing images in 10 classes, laid out
    exactly as :class:`MNIST` (files in ``root/FashionMNIST/raw``)."""

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    ]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]
