"""``ember.load``: read a PyTorch/Ember checkpoint, rebuilding tensors on Ember's devices."""

from __future__ import annotations

import io
import mmap as _mmap
import os
import pickle
import struct
import sys
import zipfile
from collections.abc import Callable
from typing import Any

import numpy as np

import ember
from ember._defaults import backend_for

from ._legacy import LEGACY_MAGIC, load_legacy
from ._storage import CPU, Storage
from ._unpickler import StorageType, WeightsOnlyError, WeightsUnpickler, make_unpickler
from ._zipformat import CheckpointError, ZipReader

__all__ = ["load"]


class _Passthrough(Exception):
    """Carries an error that must not be reported as a corrupt file."""

    def __init__(self, error: BaseException):
        super().__init__(str(error))
        self.error = error


def _device_for(location: str, cache: dict[str, ember.device]) -> ember.device:
    """The Ember device for a storage location tag, checked to have a backend."""
    dev = cache.get(location)
    if dev is not None:
        return dev
    try:
        dev = ember.device(location)
    except (RuntimeError, ValueError, TypeError) as e:
        raise RuntimeError(f"don't know how to restore data location {location!r} ({e})") from None
    try:
        backend_for(dev)
    except (RuntimeError, ValueError) as e:
        if dev.type == "cuda":
            raise RuntimeError(
                "Attempting to deserialize object on a CUDA device but "
                "ember.cuda.is_available() is False. If you are running on a CPU-only machine, "
                "please use ember.load with map_location=ember.device('cpu') to map your "
                "storages to the CPU.") from None
        raise RuntimeError(
            f"Attempting to deserialize object on device '{location}', which no installed "
            f"Ember backend serves ({e}). Please use ember.load with map_location to map your "
            f"storages to an existing device.") from None
    cache[location] = dev
    return dev


def _restorer(map_location: Any) -> Callable[[Storage, str], Storage]:
    """PyTorch's ``map_location`` semantics (None, a device, a dict or a callable), with its
    errors wrapped so that they reach the caller unchanged."""
    restore = _map(map_location)

    def checked(s: Storage, loc: str) -> Storage:
        try:
            return restore(s, loc)
        except Exception as e:
            raise _Passthrough(e) from None
    return checked


def _map(map_location: Any) -> Callable[[Storage, str], Storage]:
    cache: dict[str, ember.device] = {}
    if map_location is None:
        return lambda s, loc: s.to(_device_for(loc, cache))
    if isinstance(map_location, str | ember.device):
        target = str(map_location)
        return lambda s, loc: s.to(_device_for(target, cache))
    if isinstance(map_location, dict):
        table = {str(k): str(v) for k, v in map_location.items()}
        return lambda s, loc: s.to(_device_for(table.get(loc, loc), cache))
    if callable(map_location):
        def restore(s: Storage, loc: str) -> Storage:
            out = map_location(s, loc)
            if out is None:
                return s.to(_device_for(loc, cache))
            if not isinstance(out, Storage):
                raise TypeError(f"ember.load: map_location returned {type(out).__name__}; it must "
                                f"return the storage it was given (or one made with its .to(), "
                                f".cpu() or .cuda()), or None")
            _device_for(str(out.device), cache)
            return out
        return restore
    raise TypeError(f"ember.load: map_location must be None, a device string, an ember.device, "
                    f"a dict or a callable, got {type(map_location).__name__}")


def _open(f: Any) -> tuple[Any, str, bool]:
    """``(binary file, its name for messages, whether we opened it)``."""
    if isinstance(f, str | os.PathLike):
        path = os.fspath(f)
        return open(path, "rb"), repr(path), True
    if not hasattr(f, "read"):
        raise AttributeError(f"ember.load: expected 'f' to be a path or a file-like object with "
                             f"a 'read' method, got {type(f).__name__}")
    name = getattr(f, "name", None)
    what = repr(name) if isinstance(name, str) else "the file object"
    seekable = getattr(f, "seekable", None)
    if seekable is None or not seekable():
        return io.BytesIO(f.read()), what, False
    return f, what, False


def load(f: Any, map_location: Any = None, pickle_module: Any = None, *,
         weights_only: bool = True, mmap: bool | None = None, **pickle_load_args: Any) -> Any:
    """Loads an object saved with :func:`ember.save` or ``torch.save`` from a file.

    Tensors are rebuilt on the device they were saved from, unless ``map_location`` says
    otherwise; tensors that shared a storage share memory again.

    Args:
        f: a path (``str`` or ``os.PathLike``) or a binary file object.
        map_location: ``None`` (keep each storage's saved device), a device (``"cpu"``,
            ``"ref"``, ``ember.device(...)``), a dict mapping saved locations to devices
            (``{"cuda:0": "cpu"}``), or a callable ``(storage, location)`` returning a
            storage or ``None``.
        pickle_module: module used for unpickling (only with ``weights_only=False``).
        weights_only: restrict unpickling to tensors, primitive types, dicts and a few
            safe globals (see NOTE [ Weights-only unpickling ]). Default: ``True``
        mmap: memory-map the file instead of reading the storages into memory (CPU
            tensors then use the mapped pages; writes stay private to the process).
        pickle_load_args: passed to the unpickler (e.g. ``encoding``).

    Examples:
        >>> import io, ember
        >>> buffer = io.BytesIO()
        >>> ember.save([ember.arange(3)], buffer)
        >>> _ = buffer.seek(0)
        >>> ember.load(buffer, map_location="cpu")
        [tensor([0, 1, 2])]
    """
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    fh, what, owned = _open(f)
    try:
        start = fh.tell()
        head = fh.read(len(LEGACY_MAGIC))
        fh.seek(start)
        if head[:4] == b"PK\x03\x04":
            mapped = _map_file(fh, f) if mmap else None
            return _load_zip(fh, what, map_location, pickle_module or pickle, weights_only,
                             mapped, pickle_load_args)
        if head == LEGACY_MAGIC:
            make = _unpickler_factory(weights_only, pickle_module or pickle, pickle_load_args)
            restore = _restorer(map_location)
            return _guarded(lambda: load_legacy(fh, what, restore, make), weights_only,
                            f"ember.load: {what}: failed reading the legacy checkpoint")
        if not head:
            raise CheckpointError(f"ember.load: {what} is empty, not a checkpoint")
        raise CheckpointError(f"ember.load: {what} is not a checkpoint: it is not a zip archive "
                              f"(PyTorch's format); the file is corrupt or of another kind")
    finally:
        if owned:
            fh.close()


def _map_file(fh: Any, f: Any) -> Any:
    try:
        fileno = fh.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        raise ValueError("ember.load: f must be a file path or an opened file in order to use "
                         "the mmap argument") from None
    return _mmap.mmap(fileno, 0, access=_mmap.ACCESS_COPY)


def _load_zip(fh: Any, what: str, map_location: Any, pickle_module: Any, weights_only: bool,
              mapped: Any, pickle_load_args: dict[str, Any]) -> Any:
    reader = ZipReader(fh, f"ember.load: {what}")
    if not reader.has_record("data.pkl"):
        if reader.has_record("constants.pkl"):
            raise CheckpointError(f"ember.load: {what} is a TorchScript archive "
                                  f"(torch.jit.save), which Ember cannot load")
        raise CheckpointError(f"ember.load: {what} is a zip archive but not a checkpoint: it "
                              f"has no data.pkl record")
    byteorder = reader.read("byteorder") if reader.has_record("byteorder") else b"little"
    if byteorder not in (b"little", b"big"):
        raise CheckpointError(f"ember.load: {what}: unknown endianness type {byteorder!r}")
    swap = byteorder.decode() != sys.byteorder
    restore = _restorer(map_location)
    storages: dict[str, Storage] = {}

    def persistent_load(pid: Any) -> Storage:
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"
                and isinstance(pid[1], StorageType) and isinstance(pid[2], str)
                and isinstance(pid[3], str) and isinstance(pid[4], int)):
            raise pickle.UnpicklingError(f"ember.load: unexpected persistent id {pid!r}")
        _, storage_type, key, location, numel = pid
        if key in storages:
            return storages[key]
        name = f"data/{key}"
        nbytes = numel * storage_type.dtype.itemsize
        if numel < 0 or reader.record_size(name) != nbytes:
            raise CheckpointError(f"ember.load: {what}: record '{reader.prefix}{name}' holds "
                                  f"{reader.record_size(name)} bytes but its storage needs "
                                  f"{nbytes}; the file is corrupt")
        offset = reader.data_offset(name) if mapped is not None else None
        if offset is not None:
            host = np.frombuffer(mapped, dtype=np.uint8, count=nbytes, offset=offset)
        else:
            host = np.empty(nbytes, dtype=np.uint8)
            try:
                reader.read_into(name, host)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error) as e:
                raise reader.wrap_error(name, e) from None
        storage = restore(Storage(host, storage_type.dtype, CPU, key, swap), location)
        storages[key] = storage
        return storage

    try:
        data = io.BytesIO(reader.read("data.pkl"))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error) as e:
        raise reader.wrap_error("data.pkl", e) from None
    make = _unpickler_factory(weights_only, pickle_module, pickle_load_args)
    return _guarded(lambda: make(data, persistent_load).load(), weights_only,
                    f"ember.load: {what}: failed reading data.pkl")


def _unpickler_factory(weights_only: bool, pickle_module: Any,
                       pickle_load_args: dict[str, Any]) -> Callable[[Any, Any], Any]:
    if weights_only:
        return lambda file, pload: WeightsUnpickler(file, pload, **pickle_load_args)
    return lambda file, pload: make_unpickler(pickle_module, file, pload, **pickle_load_args)


def _guarded(run: Callable[[], Any], weights_only: bool, context: str) -> Any:
    """``run()``, reporting a malformed pickle as a corrupt file (a RuntimeError) while the
    weights-only refusals and ``map_location``'s own errors pass unchanged."""
    corrupt: tuple[type[BaseException], ...] = (pickle.UnpicklingError, EOFError, struct.error)
    if weights_only:  # nothing but the allowlist runs, so these mean a malformed pickle
        corrupt += (TypeError, ValueError, KeyError, IndexError, AttributeError)
    try:
        return run()
    except _Passthrough as e:
        raise e.error from None
    except (WeightsOnlyError, CheckpointError):
        raise
    except corrupt as e:
        raise CheckpointError(f"{context} ({e}); the file is corrupt") from None
