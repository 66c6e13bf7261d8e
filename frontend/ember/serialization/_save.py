"""``ember.save``: pickle an object with its tensors' storages in PyTorch's zip layout.

# NOTE [ Writing torch globals without torch ]
PyTorch reads a tensor back by calling ``torch._utils._rebuild_tensor_v2`` on a storage
given by a persistent id, so ``data.pkl`` must name those globals. Python's C pickler
writes a GLOBAL only for an object it can import under that name, and importing torch is
not an option; the pure-Python pickler (``pickle._Pickler``) dispatches on the type of the
object, so :class:`_EmberPickler` adds a dispatch entry for :class:`_Global` placeholders
that writes ``GLOBAL module\\nname\\n`` (``STACK_GLOBAL`` from protocol 4) and memoizes it,
and a ``reducer_override`` that turns tensors, Parameters, ``ember.Size``,
``ember.device`` and dtypes into the reductions ``torch.save`` writes. ``data.pkl`` holds
metadata only (the storages are separate records), so the slower pure-Python pickler
costs little.

# NOTE [ Storage sharing on save ]
Tensors that share memory are saved as one storage, and each as ``(offset, size,
stride)`` into it, so that views still share after loading. Ember has no storage object;
two tensors belong to one storage when they share a version counter (views and
``detach()`` share their base's; tensors loaded from one storage share one, NOTE [ Loaded
storages ]) and the backend confirms ``shares_memory``. Offsets and strides are the
backend's (``storage_offset()``, ``stride()``, counted in elements from the start of the
backend's storage); the saved storage is its prefix up to the last element any saved tensor
reaches, read through ``as_strided``. Memory aliased outside Ember (two ``from_numpy`` of
overlapping arrays) is not recognised and is saved twice; a backend without
``"as_strided"`` saves each tensor as its own contiguous copy. The storage sizes must be in
the persistent ids before the data, so the object is pickled twice: the first pass only
collects the storages and their extents.
"""

from __future__ import annotations

import collections
import os
import pickle
import sys
from typing import Any

import numpy as np

import ember
from ember._size import Size
from ember._tensor import Tensor, _wrap
from ember.backend import _dtypes as D

from ._storage import byteswap
from ._unpickler import STORAGE_NAMES
from ._zipformat import ZipWriter

__all__ = ["save", "DEFAULT_PROTOCOL"]

DEFAULT_PROTOCOL = 2


class _Global:
    """A placeholder pickled as ``GLOBAL module name`` (NOTE [ Writing torch globals ... ])."""

    __slots__ = ("module", "name")
    _cache: dict[tuple[str, str], _Global] = {}

    def __new__(cls, module: str, name: str) -> _Global:
        g = cls._cache.get((module, name))
        if g is None:
            g = object.__new__(cls)
            g.module, g.name = module, name
            cls._cache[(module, name)] = g
        return g

    def __call__(self, *args: Any) -> Any:  # pickle's save_reduce wants a callable
        raise TypeError(f"{self.module}.{self.name} is a placeholder for pickling")


def _save_global(self: Any, obj: _Global) -> None:
    if self.proto >= 4:
        self.save(obj.module)
        self.save(obj.name)
        self.write(pickle.STACK_GLOBAL)
    else:
        self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode())
    self.memoize(obj)


def _save_dtype(self: Any, obj: D.dtype) -> None:
    self.save(_Global("torch", obj.name))


_REBUILD_V2 = ("torch._utils", "_rebuild_tensor_v2")


class _StorageRef:
    """One storage to save: its backend, dtype, a representative array and its extent."""

    __slots__ = ("backend", "dtype", "rep", "numel", "key", "location", "copy")

    def __init__(self, backend: Any, dtype: D.dtype, rep: Any, copy: bool):
        self.backend, self.dtype, self.rep, self.copy = backend, dtype, rep, copy
        self.numel = 0
        self.key: str | None = None
        dev = backend.device
        self.location = f"cuda:{dev.index or 0}" if dev.type == "cuda" else str(dev)


class _StorageTable:
    """Groups tensors into storages (NOTE [ Storage sharing on save ])."""

    def __init__(self) -> None:
        self.refs: list[_StorageRef] = []
        self.order: list[_StorageRef] = []  # in order of first use in the final pass
        self.final = False
        self._by_array: dict[int, tuple[Any, _StorageRef]] = {}
        self._by_version: dict[int, tuple[list[int], list[_StorageRef]]] = {}

    def start_final_pass(self) -> None:
        self.final = True
        self.order = []
        for ref in self.refs:
            ref.key = None

    def key_of(self, ref: _StorageRef) -> str:
        if ref.key is None:
            ref.key = str(len(self.order))
            self.order.append(ref)
        return ref.key

    def locate(self, t: Tensor) -> tuple[_StorageRef, int, tuple[int, ...], tuple[int, ...]]:
        """``(storage, offset, size, stride)`` for tensor ``t``."""
        be, data = t._backend, t._data
        size = tuple(be.shape(data))
        hit = self._by_array.get(id(data))
        ref = hit[1] if hit is not None and hit[0] is data else None
        if ref is not None and ref.copy:
            return ref, 0, size, _contiguous(size)
        stride = tuple(be.strides(data))
        offset = be.storage_offset(data)
        if ref is None:
            ref = self._group(t, size, stride)
            if ref.copy:
                return ref, 0, size, _contiguous(size)
        numel = 1
        for d in size:
            numel *= d
        extent = offset + sum((d - 1) * s for d, s in zip(size, stride)) + 1 if numel else offset
        if extent > ref.numel:
            if self.final and ref.key is not None:
                raise RuntimeError("ember.save: a tensor changed while the object was being "
                                   "saved")
            ref.numel = extent
        self._by_array[id(data)] = (data, ref)
        return ref, offset, size, stride

    def _group(self, t: Tensor, size: tuple[int, ...], stride: tuple[int, ...]) -> _StorageRef:
        be, data, dt = t._backend, t._data, t._dtype
        if "as_strided" not in be.capabilities or any(s < 0 for s in stride) or \
                not _strided_ok(be, data):
            ref = _StorageRef(be, dt, be.copy(data), copy=True)
            ref.numel = t.numel()
            self.refs.append(ref)
            self._by_array[id(data)] = (data, ref)
            return ref
        meta = t._meta
        version = meta.version if meta is not None else None
        group = self._by_version.get(id(version)) if version is not None else None
        if group is not None:
            for ref in group[1]:
                if ref.backend is be and ref.dtype is dt and be.shares_memory(ref.rep, data):
                    return ref
        ref = _StorageRef(be, dt, data, copy=False)
        self.refs.append(ref)
        if version is not None:
            if group is None:
                group = self._by_version[id(version)] = (version, [])
            group[1].append(ref)
        return ref


def _strided_ok(be: Any, data: Any) -> bool:
    # Whether the backend can view this array's storage flat (NumPy cannot for an array
    # whose owner is itself non-contiguous, e.g. made by as_strided outside Ember).
    try:
        be.as_strided(data, (0,), (1,), 0)
    except (ValueError, TypeError):
        return False
    return True


def _contiguous(size: tuple[int, ...]) -> tuple[int, ...]:
    strides, acc = [], 1
    for d in reversed(size):
        strides.append(acc)
        acc *= max(d, 1)
    return tuple(reversed(strides))


def _reduce_tensor(table: _StorageTable, t: Tensor) -> tuple:
    hooks = collections.OrderedDict()
    if isinstance(t, ember.nn.Parameter):
        args = (t.detach(), t.requires_grad, hooks)
        state = t.__dict__
        if state:
            return (_Global("torch._utils", "_rebuild_parameter_with_state"),
                    args + (dict(state),))
        return (_Global("torch._utils", "_rebuild_parameter"), args)
    ref, offset, size, stride = table.locate(t)
    args = (ref, offset, size, stride, t.requires_grad, hooks)
    state = t.__dict__
    if state:  # a tensor with Python attributes (a module's buffer)
        return (_Global("torch._tensor", "_rebuild_from_type_v2"),
                (_Global(*_REBUILD_V2), _Global("torch", "Tensor"), args, dict(state)))
    return (_Global(*_REBUILD_V2), args)


_PICKLERS: dict[int, type] = {}


def _pickler_class(pickle_module: Any) -> type:
    cls = _PICKLERS.get(id(pickle_module))
    if cls is not None:
        return cls
    base = getattr(pickle_module, "_Pickler", None)
    if base is None or not isinstance(getattr(base, "dispatch", None), dict):
        base = pickle_module.Pickler
    if not isinstance(getattr(base, "dispatch", None), dict):
        raise TypeError(f"ember.save: pickle_module {getattr(pickle_module, '__name__', '?')} "
                        f"has no pure-Python Pickler (one with a 'dispatch' table), which "
                        f"ember.save needs to write PyTorch's globals")

    class _EmberPickler(base):  # type: ignore[misc, valid-type]
        dispatch = dict(base.dispatch)
        dispatch[_Global] = _save_global
        dispatch[D.dtype] = _save_dtype

        def __init__(self, file: Any, protocol: int, table: _StorageTable):
            super().__init__(file, protocol)
            self._table = table

        def persistent_id(self, obj: Any) -> Any:
            if type(obj) is not _StorageRef:
                return None
            storage_type = _Global("torch", STORAGE_NAMES[obj.dtype.name])
            return ("storage", storage_type, self._table.key_of(obj), obj.location, obj.numel)

        def reducer_override(self, obj: Any) -> Any:
            if isinstance(obj, Tensor):
                return _reduce_tensor(self._table, obj)
            t = type(obj)
            if t is Size:
                return (_Global("torch", "Size"), (tuple(obj),))
            if t is ember.device:
                args = (obj.type,) if obj.index is None else (obj.type, obj.index)
                return (_Global("torch", "device"), args)
            return NotImplemented

    _PICKLERS[id(pickle_module)] = _EmberPickler
    return _EmberPickler


class _Discard:
    def write(self, data: Any) -> int:
        return len(data)


def _pickle(obj: Any, pickle_module: Any, protocol: int) -> tuple[bytes, list[_StorageRef]]:
    import io

    cls = _pickler_class(pickle_module)
    table = _StorageTable()
    cls(_Discard(), protocol, table).dump(obj)  # pass 1: storages and their extents
    table.start_final_pass()
    buf = io.BytesIO()
    cls(buf, protocol, table).dump(obj)
    return buf.getvalue(), table.order


def _storage_bytes(ref: _StorageRef) -> np.ndarray:
    """The little-endian bytes of a storage, as a flat ``uint8`` array."""
    be = ref.backend
    data = ref.rep if ref.copy else be.as_strided(ref.rep, (ref.numel,), (1,), 0)
    t = _wrap(data, ref.dtype, be)
    arr = (t.numpy() if t.device.type == "cpu" else t.cpu().numpy()).reshape(-1)
    arr = np.ascontiguousarray(arr)
    if sys.byteorder != "little":
        arr = arr.copy()
        byteswap(arr, ref.dtype)
    return arr.view(np.uint8)


def save(obj: object, f: Any, pickle_module: Any = pickle,
         pickle_protocol: int = DEFAULT_PROTOCOL,
         _use_new_zipfile_serialization: bool = True) -> None:
    """Saves an object to a disk file, in PyTorch's checkpoint format.

    The file is a zip archive that ``torch.load`` reads (see NOTE [ Checkpoint format ] in
    :mod:`ember.serialization`). Tensors that share memory are stored once and share it
    again after :func:`ember.load`.

    Args:
        obj: saved object (tensors, state dicts, containers, or any picklable object).
        f: a path (``str`` or ``os.PathLike``) or a binary file object with ``write``.
        pickle_module: module used for pickling metadata; it needs a pure-Python Pickler
            (``pickle._Pickler``). Default: :mod:`pickle`
        pickle_protocol: can be specified to override the default protocol (2).

    Examples:
        >>> import io, ember
        >>> buffer = io.BytesIO()
        >>> ember.save({"w": ember.ones(2)}, buffer)
        >>> _ = buffer.seek(0)
        >>> ember.load(buffer)["w"]
        tensor([1., 1.])
    """
    if not _use_new_zipfile_serialization:
        raise RuntimeError("ember.save: the legacy (non-zip) checkpoint format is not supported; "
                           "use the default _use_new_zipfile_serialization=True")
    data_pkl, refs = _pickle(obj, pickle_module, pickle_protocol)
    records = [(f"data/{ref.key}", _storage_bytes(ref)) for ref in refs]
    if isinstance(f, str | os.PathLike):
        path = os.fspath(f)
        parent = os.path.dirname(path)
        if parent and not os.path.isdir(parent):
            raise RuntimeError(f"Parent directory {parent} does not exist.")
        with open(path, "wb") as fh:
            _write(fh, data_pkl, records)
    elif hasattr(f, "write"):
        _write(f, data_pkl, records)
    else:
        raise AttributeError(f"ember.save: expected 'f' to be a path or a file-like object with "
                             f"a 'write' method, got {type(f).__name__}")


def _write(fh: Any, data_pkl: bytes, records: list[tuple[str, np.ndarray]]) -> None:
    w = ZipWriter(fh)
    w.write_record("data.pkl", data_pkl)
    w.write_record(".format_version", b"1")
    w.write_record(".storage_alignment", b"64")
    w.write_record("byteorder", b"little")
    for name, arr in records:
        w.write_record(name, arr)
    w.write_record("version", b"3\n")
    w.write_record(".data/serialization_id", w.serialization_id().encode("ascii"))
    w.close()
