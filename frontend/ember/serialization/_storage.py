"""Storages read from a checkpoint: raw bytes, an element type and a target device.

# NOTE [ Loaded storages ]
A checkpoint stores each storage once (``data/<key>``); tensors are ``(offset, size,
stride)`` views of it. :class:`Storage` holds those bytes in host memory (a NumPy ``uint8``
array, possibly a memory map) and, per element type, one flat tensor on the target device:
on the CPU that tensor shares the host bytes (``ember.from_numpy``), elsewhere it is one
copy (``Tensor.to``). Each rebuilt tensor is a strided view of the flat tensor made with
the backend's ``as_strided`` (capability ``"as_strided"``; other backends get a gathered
copy), so tensors that shared a storage when saved share memory again: writing one shows
in the others. They also share one version counter, which is what lets ``ember.save``
recognise them as one storage when they are saved again (NOTE [ Storage sharing on save ]).
Ops never see the flat tensor: rebuilt tensors are plain leaves, not views (``_base`` is
None), as in PyTorch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import ember
from ember._tensor import Tensor, _wrap
from ember.backend import _dtypes as D

__all__ = ["Storage", "numpy_dtype", "byteswap", "CPU"]

CPU = ember.device("cpu")


def numpy_dtype(dt: D.dtype) -> np.dtype:
    """The NumPy dtype holding ``dt``'s bytes (``ml_dtypes.bfloat16`` for bfloat16)."""
    if dt.name == "bfloat16":
        import ml_dtypes

        return np.dtype(ml_dtypes.bfloat16)
    return np.dtype(dt.name)


def byteswap(arr: np.ndarray, dt: D.dtype) -> None:
    """Reverse the byte order of every element of ``arr`` in place (complex: each part)."""
    unit = dt.itemsize // 2 if dt.is_complex else dt.itemsize
    if unit > 1:
        arr.view(f"u{unit}").byteswap(inplace=True)


class Storage:
    """A checkpoint storage (see NOTE [ Loaded storages ]).

    ``map_location`` callables receive one on the CPU and return it, or another made with
    :meth:`to`, :meth:`cpu` or :meth:`cuda`.

    Attributes:
        dtype: the element type the checkpoint declares.
        device: where tensors rebuilt from it are put.
        key: its record name in the checkpoint (``data/<key>``).
    """

    def __init__(self, host: np.ndarray, dtype: D.dtype, device: Any = CPU, key: str = "?",
                 swap: bool = False, version: list[int] | None = None):
        self._host = host
        self.dtype = dtype
        self.device = ember.device(device)
        self.key = key
        self._swap = swap  # the bytes are in the other byte order
        self._version = [0] if version is None else version
        self._flats: dict[D.dtype, Tensor] = {}

    def __repr__(self) -> str:
        return (f"<ember.serialization.Storage key={self.key!r} dtype={self.dtype} "
                f"size={self.size()} device={self.device}>")

    def nbytes(self) -> int:
        return int(self._host.nbytes)

    def element_size(self) -> int:
        return self.dtype.itemsize

    def size(self) -> int:
        """The number of elements of :attr:`dtype`."""
        return self.nbytes() // self.dtype.itemsize

    __len__ = size

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    def to(self, device: Any = None, non_blocking: bool = False) -> Storage:
        """This storage, to be rebuilt on ``device``."""
        dev = ember.device(device) if device is not None else self.device
        if dev is self.device:
            return self
        return Storage(self._host, self.dtype, dev, self.key, self._swap, self._version)

    def cpu(self) -> Storage:
        return self.to(CPU)

    def cuda(self, device: Any = None, non_blocking: bool = False) -> Storage:
        index = 0 if device is None else (device if isinstance(device, int) else
                                          ember.device(device).index or 0)
        return self.to(ember.device("cuda", index))

    def tolist(self) -> list:
        return self.flat(self.dtype).tolist()

    def flat(self, dt: D.dtype) -> Tensor:
        """The whole storage as a 1-d tensor of ``dt`` on :attr:`device` (cached)."""
        t = self._flats.get(dt)
        if t is not None:
            return t
        n, rest = divmod(self.nbytes(), dt.itemsize)
        if rest:
            raise RuntimeError(f"ember.load: storage '{self.key}' of {self.nbytes()} bytes "
                               f"cannot be read as {dt} (element size {dt.itemsize})")
        arr = self._host[:n * dt.itemsize].view(numpy_dtype(dt))
        if self._swap:
            arr = arr.copy()
            byteswap(arr, dt)
        try:
            t = ember.from_numpy(arr)
        except RuntimeError:  # a CPU backend that cannot share NumPy memory
            t = ember.tensor(arr.tolist(), dtype=dt)
        if self.device != t.device:
            t = t.to(self.device)
        self._flats[dt] = t
        return t

    def make_tensor(self, offset: int, size: tuple[int, ...], stride: tuple[int, ...],
                    dtype: D.dtype | None = None) -> Tensor:
        """The tensor of ``size``, ``stride`` and storage ``offset`` viewing this storage,
        after checking that it lies inside it."""
        dt = self.dtype if dtype is None else dtype
        n = self.nbytes() // dt.itemsize
        numel = 1
        for d in size:
            numel *= d
        bad = (len(size) != len(stride) or offset < 0 or any(d < 0 for d in size)
               or any(s < 0 for s in stride))
        if not bad:
            last = offset + sum((d - 1) * s for d, s in zip(size, stride)) if numel else offset - 1
            bad = last >= n
        if bad:
            raise RuntimeError(f"ember.load: corrupt checkpoint: a tensor of size {list(size)}, "
                               f"stride {list(stride)} and storage offset {offset} does not fit "
                               f"in storage '{self.key}' of {n} elements of {dt}")
        flat = self.flat(dt)
        t = None
        be = flat._backend
        if "as_strided" in be.capabilities:
            try:
                t = _wrap(be.as_strided(flat._data, size, stride, offset), dt, be)
            except (ValueError, TypeError):
                t = None
        if t is None and numel == 0:
            t = ember.empty(size, dtype=dt, device=flat.device)
        elif t is None:  # no strided views: gather the elements (a copy)
            index = ember.full((), offset, dtype=ember.int64, device=flat.device)
            for i, (d, s) in enumerate(zip(size, stride)):
                shape = [1] * len(size)
                shape[i] = d
                step = ember.arange(d, dtype=ember.int64, device=flat.device) * s
                index = index + step.reshape(shape)
            t = flat[index.reshape(-1)].reshape(size)
        t._ensure_meta().version = self._version
        return t

