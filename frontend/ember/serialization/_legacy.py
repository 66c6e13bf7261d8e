"""Reading PyTorch's legacy checkpoint format (``torch.save`` before 1.6, or with
``_use_new_zipfile_serialization=False``).

# NOTE [ Legacy checkpoint format ]
The file is a sequence of pickles (protocol 2): the magic number ``0x1950a86a20f9469cfc6c``,
the format version ``1001``, a dict of system information (``little_endian``), the object
itself (whose storages are persistent ids ``('storage', torch.<Type>Storage, root_key,
location, numel, view_metadata)``, ``view_metadata`` being ``None`` or ``(view_key, offset,
numel)`` into the root), then the list of root keys; after it, each root storage in that
order as a little-endian int64 element count and its little-endian bytes. Because the
bytes come after the object, the object is first skimmed with an unpickler whose every
global is an inert :class:`_Inert` class (nothing is called), which records the storages'
types and sizes and finds where the data starts; then the data is read and the object is
unpickled for real, by the same restricted (``weights_only=True``) or full unpickler as a
zip checkpoint. The older tar-based format is not read.
"""

from __future__ import annotations

import pickle
import struct
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from ._storage import CPU, Storage
from ._unpickler import StorageType, torch_table
from ._zipformat import CheckpointError

__all__ = ["load_legacy", "LEGACY_MAGIC"]

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001
# The pickled magic number that starts a legacy checkpoint.
LEGACY_MAGIC = b"\x80\x02\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19"


class _Inert:
    """Stands for every global while skimming: accepts any construction, does nothing."""

    def __new__(cls, *args: Any, **kwargs: Any) -> _Inert:
        return object.__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __setstate__(self, state: Any) -> None:
        pass

    def __setitem__(self, key: Any, value: Any) -> None:
        pass

    def append(self, value: Any) -> None:
        pass

    def extend(self, values: Any) -> None:
        pass


class _Skimmer(pickle._Unpickler):  # type: ignore[name-defined, misc]
    def __init__(self, file: Any) -> None:
        super().__init__(file)
        self.pids: list[tuple] = []
        self._classes: dict[tuple[str, str], type] = {}

    def find_class(self, module: str, name: str) -> type:
        key = (module, name)
        cls = self._classes.get(key)
        if cls is None:
            cls = self._classes[key] = type(name, (_Inert,), {"_global": key})
        return cls

    def persistent_load(self, pid: Any) -> Any:
        self.pids.append(pid)
        return _Inert  # a class: ('module', cls, ...) ids stand for classes


def _plain(fh: Any, what: str) -> Any:
    # The small header pickles hold only ints, strings, lists and dicts.
    class _NoGlobals(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            raise CheckpointError(f"ember.load: {what}: unexpected global {module}.{name} in "
                                  f"the legacy checkpoint's header")
    return _NoGlobals(fh).load()


def _text(value: Any) -> Any:
    return value.decode("ascii") if isinstance(value, bytes) else value


def load_legacy(fh: Any, what: str, restore: Callable[[Storage, str], Storage],
                make: Callable[[Any, Callable[[Any], Any]], Any]) -> Any:
    """Load the legacy checkpoint in ``fh`` (NOTE [ Legacy checkpoint format ]); ``make(file,
    persistent_load)`` builds the unpickler that reads the object."""
    if _plain(fh, what) != MAGIC_NUMBER or _plain(fh, what) != PROTOCOL_VERSION:
        raise CheckpointError(f"ember.load: {what}: invalid magic number or format version; "
                              f"corrupt file?")
    _plain(fh, what)  # system information; the storages are little-endian regardless
    swap = sys.byteorder != "little"
    start = fh.tell()
    skim = _Skimmer(fh)
    skim.load()
    keys = _plain(fh, what)
    roots: dict[str, tuple[StorageType, int, str]] = {}
    table = torch_table()
    for pid in skim.pids:
        if not (isinstance(pid, tuple) and len(pid) == 6 and _text(pid[0]) == "storage"):
            continue
        storage_type = table.get(getattr(pid[1], "_global", None))
        if not isinstance(storage_type, StorageType) or not isinstance(pid[4], int):
            raise CheckpointError(f"ember.load: {what}: unsupported storage type in the legacy "
                                  f"checkpoint: {getattr(pid[1], '_global', pid[1])}")
        roots.setdefault(_text(pid[2]), (storage_type, pid[4], _text(pid[3])))
    hosts: dict[str, np.ndarray] = {}
    for key in keys:
        if key not in roots:
            raise CheckpointError(f"ember.load: {what}: storage {key!r} is not used by the "
                                  f"object; the file is corrupt")
        storage_type, numel, _ = roots[key]
        head = fh.read(8)
        nbytes = numel * storage_type.dtype.itemsize
        if len(head) != 8 or struct.unpack("<q", head)[0] != numel:
            raise CheckpointError(f"ember.load: {what}: storage {key!r} is truncated or has the "
                                  f"wrong size")
        host = np.frombuffer(bytearray(fh.read(nbytes)), dtype=np.uint8)
        if host.nbytes != nbytes:
            raise CheckpointError(f"ember.load: {what}: storage {key!r} is truncated")
        hosts[key] = host

    storages: dict[str, Storage] = {}

    def persistent_load(pid: Any) -> Any:
        if not (isinstance(pid, tuple) and len(pid) == 6 and _text(pid[0]) == "storage"
                and isinstance(pid[1], StorageType)):
            raise pickle.UnpicklingError(f"ember.load: unexpected persistent id {pid!r}")
        storage_type, key, location, _, view = pid[1], _text(pid[2]), _text(pid[3]), pid[4], \
            pid[5]
        if key not in hosts:
            raise CheckpointError(f"ember.load: {what}: the data of storage {key!r} is missing")
        root = storages.get(key)
        if root is None:
            root = storages[key] = restore(Storage(hosts[key], storage_type.dtype, CPU, key,
                                                   swap), _text(location))
        if view is None:
            return root
        view_key, offset, size = view
        itemsize = storage_type.dtype.itemsize
        if not (0 <= offset and 0 <= size and (offset + size) * itemsize <= root.nbytes()):
            raise CheckpointError(f"ember.load: {what}: storage view {view_key!r} lies outside "
                                  f"its storage")
        sub = storages.get(_text(view_key))
        if sub is None:
            sub = Storage(hosts[key][offset * itemsize:(offset + size) * itemsize],
                          storage_type.dtype, root.device, _text(view_key), swap, root._version)
            storages[_text(view_key)] = sub
        return sub

    end = fh.tell()
    fh.seek(start)
    result = make(fh, persistent_load).load()
    fh.seek(end)
    return result
