"""CIFAR-10 and CIFAR-100, read from the "python version" pickle batches.

# NOTE [ Restricted unpickling ]
A pickle can name any importable callable and make the loader call it, so unpickling a
downloaded file runs whatever it says. The batches are read with :class:`RestrictedUnpickler`,
which resolves no global at all except the four NumPy names an array pickle uses
(``numpy.ndarray``, ``numpy.dtype``, ``_reconstruct``, ``_frombuffer``) and the
``_codecs.encode(str, 'latin1')`` that pickle protocols 0-2 write for ``bytes``; those
resolve to inert stand-ins here that only record the shape, dtype and raw bytes: no NumPy
code (and no other code) runs while loading. Everything else in a batch is dicts, lists,
ints, bytes and str, which pickle builds without calling anything.
"""

from __future__ import annotations

import io
import math
import os
import pickle
from collections.abc import Callable
from typing import Any

from .._buffers import pil_image_module
from .utils import check_integrity, download_and_extract_archive, not_found_error
from .vision import VisionDataset

__all__ = ["CIFAR10", "CIFAR100", "RestrictedUnpickler", "load_pickle"]


class _DTypeStub:
    """Records ``numpy.dtype(name, ...)`` while unpickling."""

    def __init__(self, name: Any = None, *args: Any) -> None:
        self.name = name.decode("latin1") if isinstance(name, bytes) else str(name)
        self.byteorder = "|"

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, tuple) and len(state) > 1:
            order = state[1]
            self.byteorder = order.decode("latin1") if isinstance(order, bytes) else str(order)


class _ArrayStub:
    """Records an ndarray's shape, dtype and raw bytes while unpickling."""

    def __init__(self, *args: Any) -> None:
        self.shape: tuple[int, ...] = ()
        self.dtype: _DTypeStub | None = None
        self.fortran = False
        self.raw = b""

    def __setstate__(self, state: Any) -> None:
        if not isinstance(state, tuple) or len(state) not in (4, 5):
            raise pickle.UnpicklingError("malformed ndarray state")
        shape, dtype, fortran, raw = state[-4:]
        if not isinstance(dtype, _DTypeStub):
            raise pickle.UnpicklingError("ndarray state without a dtype")
        self.shape, self.dtype, self.fortran = tuple(int(s) for s in shape), dtype, bool(fortran)
        self.raw = raw.encode("latin1") if isinstance(raw, str) else bytes(raw)


def _reconstruct(cls: Any, shape: Any, typecode: Any) -> _ArrayStub:
    if cls is not _ArrayStub:
        raise pickle.UnpicklingError("_reconstruct of something other than an ndarray")
    return _ArrayStub()


def _frombuffer(buf: Any, dtype: Any, shape: Any, order: Any) -> _ArrayStub:
    if not isinstance(dtype, _DTypeStub):
        raise pickle.UnpicklingError("_frombuffer without a dtype")
    out = _ArrayStub()
    out.__setstate__((tuple(shape), dtype, order == "F", bytes(buf)))
    return out


def _encode(text: Any, encoding: Any = "utf-8") -> bytes:
    """How pickle protocols 0-2 write ``bytes``: ``_codecs.encode(str, 'latin1')``."""
    if not isinstance(text, str) or encoding != "latin1":
        raise pickle.UnpicklingError("_codecs.encode is allowed only for latin1 bytes")
    return text.encode("latin1")


_ALLOWED = {
    ("_codecs", "encode"): _encode,
    ("numpy", "ndarray"): _ArrayStub,
    ("numpy", "dtype"): _DTypeStub,
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy.core.numeric", "_frombuffer"): _frombuffer,
    ("numpy._core.numeric", "_frombuffer"): _frombuffer,
}


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that builds only plain data (see NOTE [ Restricted unpickling ]).

    Example:
        >>> import io, pickle
        >>> from ember.vision.datasets.cifar import RestrictedUnpickler
        >>> RestrictedUnpickler(io.BytesIO(pickle.dumps({b"labels": [1, 2]}))).load()
        {b'labels': [1, 2]}
    """

    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"refusing to load global {module}.{name}: dataset "
                                         f"pickles may hold only plain data") from None


def load_pickle(path: str) -> Any:
    """The plain data pickled in ``path``, read with :class:`RestrictedUnpickler`.

    Raises:
        RuntimeError: naming ``path``, when the pickle is corrupted or names a global.
    """
    with open(path, "rb") as f:
        data = f.read()
    try:
        return RestrictedUnpickler(io.BytesIO(data), encoding="bytes").load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
            IndexError, KeyError) as err:
        raise RuntimeError(f"{path}: corrupted or unsafe pickle ({err})") from err


def _key(entry: dict, *names: str) -> Any:
    for name in names:
        for k in (name, name.encode("latin1")):
            if k in entry:
                return entry[k]
    raise KeyError(names[0])


def _as_bytes(data: Any, path: str) -> bytes:
    """The uint8 pixel bytes of a batch's ``data`` (an array stand-in, bytes or a list)."""
    if isinstance(data, _ArrayStub):
        if data.dtype is None or data.dtype.name not in ("u1", "uint8", "|u1"):
            name = data.dtype.name if data.dtype is not None else None
            raise RuntimeError(f"{path}: data should be a uint8 array, not {name}")
        if len(data.raw) != math.prod(data.shape):
            raise RuntimeError(f"{path}: array of shape {data.shape} holds {len(data.raw)} "
                               f"bytes")
        if data.fortran and len(data.shape) > 1:  # column-major bytes: reorder to row-major
            import numpy as np

            arr = np.frombuffer(data.raw, dtype=np.uint8).reshape(data.shape[::-1])
            return arr.T.tobytes()
        return data.raw
    if isinstance(data, (bytes, bytearray)):
        return bytes(data)
    if isinstance(data, list):
        return bytes(data)
    raise RuntimeError(f"{path}: unexpected data of type {type(data).__name__}")


class CIFAR10(VisionDataset):
    """CIFAR-10: 50,000 training and 10,000 test 32x32 colour images in 10 classes.

    The pickle batches (``data_batch_1`` ... ``data_batch_5``, ``test_batch``,
    ``batches.meta``) are read from ``root/cifar-10-batches-py`` with a restricted
    unpickler (NOTE [ Restricted unpickling ]). MD5 sums are checked when downloading.

    Args:
        root (str or path): the directory holding ``cifar-10-batches-py``.
        train (bool): the training batches (True) or the test batch.
        transform (callable, optional): applied to the PIL image (mode ``'RGB'``).
        target_transform (callable, optional): applied to the int label.
        download (bool): fetch and extract the archive if the batches are missing.

    Attributes:
        data (numpy.ndarray): uint8 images ``(N, 32, 32, 3)``.
        targets (list of int): the labels.
        classes (list of str): the class names, from the meta file.

    Example:
        >>> from ember.vision import datasets
        >>> ds = datasets.CIFAR10("data", train=False)  # doctest: +SKIP
        >>> ds[0][0].size  # doctest: +SKIP
        (32, 32)
    """

    base_folder = "cifar-10-batches-py"
    url = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    filename = "cifar-10-python.tar.gz"
    tgz_md5 = "c58f30108f718f92721af3b95e74349a"
    train_list = [
        ["data_batch_1", "c99cafc152244af753f735de768cd75f"],
        ["data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"],
        ["data_batch_3", "54ebc095f3ab1f0389bbae665268c751"],
        ["data_batch_4", "634d18415352ddfa80567beed471001a"],
        ["data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb"],
    ]
    test_list = [["test_batch", "40351d587109b95175f43aff81a1287e"]]
    meta = {"filename": "batches.meta", "key": "label_names",
            "md5": "5ff9c542aee3614f3951f8cda6e48888"}
    label_keys = ("labels", "fine_labels")

    def __init__(self, root: str | os.PathLike, train: bool = True,
                 transform: Callable | None = None, target_transform: Callable | None = None,
                 download: bool = False) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        if not self._check_exists():
            files = [f for f, _ in self.train_list + self.test_list] + [self.meta["filename"]]
            raise not_found_error(self.__class__.__name__, self._folder, files)
        import numpy as np

        chunks: list[bytes] = []
        self.targets: list[int] = []
        for file_name, _ in self.train_list if self.train else self.test_list:
            path = os.path.join(self._folder, file_name)
            entry = load_pickle(path)
            try:
                raw = _as_bytes(_key(entry, "data"), path)
                labels = [int(v) for v in _key(entry, *self.label_keys)]
            except (KeyError, TypeError) as err:
                raise RuntimeError(f"{path}: not a CIFAR batch (missing or bad {err})") from err
            if len(raw) != 3072 * len(labels):
                raise RuntimeError(f"{path}: {len(raw)} bytes of pixels for {len(labels)} "
                                   f"labels (expected 3072 bytes per image)")
            chunks.append(raw)
            self.targets.extend(labels)
        self.data = np.frombuffer(b"".join(chunks), dtype=np.uint8).reshape(-1, 3, 32, 32)
        self.data = self.data.transpose((0, 2, 3, 1))  # HWC
        self._load_meta()

    @property
    def _folder(self) -> str:
        return os.path.join(self.root, self.base_folder)

    def _load_meta(self) -> None:
        path = os.path.join(self._folder, self.meta["filename"])
        try:
            names = _key(load_pickle(path), self.meta["key"])
        except (KeyError, TypeError) as err:
            raise RuntimeError(f"{path}: not a CIFAR meta file (missing {err})") from err
        self.classes = [n.decode("latin1") if isinstance(n, bytes) else str(n) for n in names]
        self.class_to_idx = {_class: i for i, _class in enumerate(self.classes)}

    def _check_exists(self) -> bool:
        files = [f for f, _ in self.train_list + self.test_list] + [self.meta["filename"]]
        return all(check_integrity(os.path.join(self._folder, f)) for f in files)

    def download(self) -> None:
        """Downloads and extracts the archive into ``root`` (checking its MD5)."""
        if self._check_exists():
            return
        try:
            download_and_extract_archive(self.url, self.root, filename=self.filename,
                                         md5=self.tgz_md5)
        except (OSError, ValueError) as err:
            files = [f for f, _ in self.train_list + self.test_list] + [self.meta["filename"]]
            raise not_found_error(self.__class__.__name__, self._folder, files,
                                  reason=f"Error downloading {self.url}: {err}") from err

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        img, target = self.data[index], self.targets[index]
        img = pil_image_module().frombytes("RGB", (img.shape[1], img.shape[0]), img.tobytes())
        return self._apply(img, target)

    def __len__(self) -> int:
        return len(self.data)

    def extra_repr(self) -> str:
        split = "Train" if self.train is True else "Test"
        return f"Split: {split}"


class CIFAR100(CIFAR10):
    """CIFAR-100: as :class:`CIFAR10` with 100 fine classes (targets are the fine labels),
    read from ``root/cifar-100-python`` (``train``, ``test``, ``meta``)."""

    base_folder = "cifar-100-python"
    url = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
    filename = "cifar-100-python.tar.gz"
    tgz_md5 = "eb9058c3a382ffc7106e4002c42a8d85"
    train_list = [["train", "16019d7e3df5f24257cddd939b257f8d"]]
    test_list = [["test", "f0ef6b0ae62326f3e7ffdfab6717acfc"]]
    meta = {"filename": "meta", "key": "fine_label_names",
            "md5": "7973b15100ade9c7d40fb424638fde48"}
    label_keys = ("fine_labels",)
