"""Reading ``data.pkl``: PyTorch's globals mapped to Ember, and the restricted unpickler.

# NOTE [ Weights-only unpickling ]
``ember.load(weights_only=True)`` unpickles with :class:`WeightsUnpickler`, whose
``find_class`` resolves a GLOBAL (and STACK_GLOBAL, INST, OBJ and EXT opcodes, which all go
through it) only from an allowlist: the tensor and parameter rebuild functions, the storage
classes, dtypes, ``torch.Size``/``torch.device``/``torch.Tensor``/``torch.nn.Parameter``
(each mapped to its Ember equivalent), ``collections.OrderedDict``/``Counter``,
``builtins.set/frozenset/complex/slice/bytearray``, ``_codecs.encode`` (protocol-2 bytes),
Ember's own spellings of the same objects, and what :func:`add_safe_globals` added. Any
other global raises ``pickle.UnpicklingError`` naming it, before anything is called, so a
pickle cannot reach ``os.system`` or ``eval``. Every allowlisted callable validates its
arguments (a rebuild never reads outside its storage). BUILD, which sets attributes, is
allowed only on tensors, OrderedDicts and instances of allowlisted classes, never on a class
and never on a tensor's internal slots. The persistent ids, the only other way a pickle
reaches the loader, must be ``('storage', <storage class>, key, location, numel)`` tuples of
the right types.
"""

from __future__ import annotations

import _compat_pickle
import collections
import contextlib
import pickle
from collections.abc import Iterator
from typing import Any

import ember
from ember._size import Size
from ember._tensor import Tensor
from ember.backend import _dtypes as D

from ._rebuild import (
    check_state,
    ember_rebuild,
    ember_rebuild_parameter,
    rebuild_from_type_v2,
    rebuild_parameter,
    rebuild_parameter_with_state,
    rebuild_tensor,
    rebuild_tensor_v2,
    rebuild_tensor_v3,
    unsupported,
)

__all__ = ["WeightsUnpickler", "WeightsOnlyError", "make_unpickler", "add_safe_globals",
           "get_safe_globals", "clear_safe_globals", "safe_globals", "STORAGE_NAMES", "StorageType"]

UNSAFE_MESSAGE = (
    "Re-running `ember.load` with `weights_only` set to `False` will likely succeed, but it can "
    "result in arbitrary code execution. Do it only if you got the file from a trusted source.")

# PyTorch's legacy storage class for each dtype (what torch.save writes in persistent ids).
STORAGE_NAMES = {
    "float32": "FloatStorage", "float64": "DoubleStorage", "float16": "HalfStorage",
    "bfloat16": "BFloat16Storage", "int8": "CharStorage", "int16": "ShortStorage",
    "int32": "IntStorage", "int64": "LongStorage", "uint8": "ByteStorage",
    "bool": "BoolStorage", "complex64": "ComplexFloatStorage",
    "complex128": "ComplexDoubleStorage",
}


class StorageType:
    """What a storage class global (``torch.FloatStorage``) unpickles to."""

    __slots__ = ("dtype", "name")

    def __init__(self, name: str, dtype: D.dtype):
        self.name, self.dtype = name, dtype

    def __repr__(self) -> str:
        return f"<storage type {self.name} ({self.dtype})>"


def _torch_globals() -> dict[tuple[str, str], Any]:
    from ember.nn import Parameter

    table: dict[tuple[str, str], Any] = {
        ("collections", "OrderedDict"): collections.OrderedDict,
        ("collections", "Counter"): collections.Counter,
        ("builtins", "set"): set, ("builtins", "frozenset"): frozenset,
        ("builtins", "complex"): complex, ("builtins", "slice"): slice,
        ("builtins", "bytearray"): bytearray,
        ("_codecs", "encode"): _codecs_encode,
        ("torch._utils", "_rebuild_tensor"): rebuild_tensor,
        ("torch._utils", "_rebuild_tensor_v2"): rebuild_tensor_v2,
        ("torch._utils", "_rebuild_tensor_v3"): rebuild_tensor_v3,
        ("torch._utils", "_rebuild_parameter"): rebuild_parameter,
        ("torch._utils", "_rebuild_parameter_with_state"): rebuild_parameter_with_state,
        ("torch._tensor", "_rebuild_from_type_v2"): rebuild_from_type_v2,
        ("torch", "Size"): Size, ("torch", "device"): ember.device,
        ("torch", "Tensor"): Tensor, ("torch._tensor", "Tensor"): Tensor,
        ("torch.nn.parameter", "Parameter"): Parameter,
        # Ember's own spellings (what plain pickling of Ember objects writes).
        ("ember._size", "Size"): Size, ("ember.backend._device", "device"): ember.device,
        ("ember.backend._dtypes", "by_name"): _dtype_by_name,
        ("ember._tensor", "Tensor"): Tensor, ("ember.nn.parameter", "Parameter"): Parameter,
        ("ember.nn.parameter", "_rebuild_parameter"): ember_rebuild_parameter,
        ("ember._ops._creation", "_rebuild"): ember_rebuild,
    }
    for name in ("_rebuild_qtensor", "_rebuild_sparse_tensor", "_rebuild_nested_tensor",
                 "_rebuild_sparse_csr_tensor", "_rebuild_wrapper_subclass",
                 "_rebuild_meta_tensor_no_storage", "_rebuild_device_tensor_from_numpy",
                 "_rebuild_device_tensor_from_cpu_tensor"):
        table[("torch._utils", name)] = unsupported(f"a tensor rebuilt by torch._utils.{name}")
    for dt in D.ALL_DTYPES:
        table[("torch", dt.name)] = dt
        table[("torch", STORAGE_NAMES[dt.name])] = StorageType(STORAGE_NAMES[dt.name], dt)
    for alias, dt in (("half", D.float16), ("float", D.float32), ("double", D.float64),
                      ("short", D.int16), ("int", D.int32), ("long", D.int64),
                      ("cfloat", D.complex64), ("cdouble", D.complex128)):
        table[("torch", alias)] = dt
    untyped = StorageType("UntypedStorage", D.uint8)
    table[("torch", "UntypedStorage")] = table[("torch.storage", "UntypedStorage")] = untyped
    return table


def _codecs_encode(obj: Any, encoding: str = "utf-8") -> bytes:
    import codecs

    if not isinstance(obj, str) or encoding not in ("latin1", "latin-1", "utf-8", "utf8"):
        raise pickle.UnpicklingError("ember.load: bad bytes encoding in the checkpoint")
    return codecs.encode(obj, encoding)


def _dtype_by_name(name: Any) -> D.dtype:
    if not isinstance(name, str):
        raise pickle.UnpicklingError(f"ember.load: bad dtype name {name!r}")
    return D.by_name(name)


_TABLE: dict[tuple[str, str], Any] = {}
_USER: dict[tuple[str, str], Any] = {}
_BLOCKED_MODULES = ("sys", "os", "posix", "nt", "subprocess")


def torch_table() -> dict[tuple[str, str], Any]:
    if not _TABLE:
        _TABLE.update(_torch_globals())
    return _TABLE


def _fix_name(module: str, name: str) -> tuple[str, str]:
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


class WeightsOnlyError(pickle.UnpicklingError):
    """A global that ``weights_only=True`` refuses (a ``pickle.UnpicklingError``)."""


def _rejection(module: str, name: str) -> WeightsOnlyError:
    full = f"{module}.{name}"
    shown = name if module == "builtins" else full
    return WeightsOnlyError(
        "Weights only load failed. This file can still be loaded, to do so you have two "
        "options, do those steps only if you trust the source of the checkpoint. \n\t(1) "
        f"{UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with `weights_only=True` please check "
        "the recommended steps in the following error message.\n\tWeightsUnpickler error: "
        f"Unsupported global: GLOBAL {full} was not an allowed global by default. Please use "
        f"`ember.serialization.add_safe_globals([{shown}])` or the "
        f"`ember.serialization.safe_globals([{shown}])` context manager to allowlist this "
        "global if you trust this class/function.")


def _load_build(self: Any) -> None:
    # BUILD sets attributes: allowed on tensors, OrderedDicts and allowlisted classes'
    # instances (never on a class), and never on a tensor's internals.
    state = self.stack.pop()
    inst = self.stack[-1]
    if isinstance(inst, type) or not (isinstance(inst, Tensor | collections.OrderedDict)
                                      or type(inst) in _USER.values()):
        raise pickle.UnpicklingError(f"ember.load: the checkpoint sets the state of a "
                                     f"{type(inst).__name__}, which weights_only=True refuses")
    setstate = getattr(inst, "__setstate__", None)
    if setstate is not None and type(inst) in _USER.values():
        setstate(state)
        return
    slots = None
    if isinstance(state, tuple) and len(state) == 2:
        state, slots = state
    for part in (state, slots):
        if part:
            for k, v in check_state(part).items():
                setattr(inst, k, v)


def _load_global(self: Any) -> None:
    module, name = self.readline(), self.readline()
    if not (module.endswith(b"\n") and name.endswith(b"\n")):
        raise pickle.UnpicklingError("pickle data was truncated")
    self.append(self.find_class(module[:-1].decode("utf-8"), name[:-1].decode("utf-8")))


class WeightsUnpickler(pickle._Unpickler):  # type: ignore[name-defined, misc]
    """The restricted unpickler of ``weights_only=True`` (see NOTE [ Weights-only unpickling ]).

    Built on the pure-Python unpickler so that BUILD can be checked too; ``data.pkl`` holds
    only metadata, so its speed does not matter."""

    dispatch = dict(pickle._Unpickler.dispatch)  # type: ignore[attr-defined]
    dispatch[pickle.BUILD[0]] = _load_build
    dispatch[pickle.GLOBAL[0]] = _load_global

    def __init__(self, file: Any, persistent_load: Any, **kwargs: Any):
        super().__init__(file, **kwargs)
        self._pload = persistent_load

    def find_class(self, module: str, name: str) -> Any:
        module, name = _fix_name(module, name)
        obj = torch_table().get((module, name))
        if obj is None:
            obj = _USER.get((module, name))
        if obj is None:
            raise _rejection(module, name)
        return obj

    def persistent_load(self, pid: Any) -> Any:
        return self._pload(pid)


def make_unpickler(pickle_module: Any, file: Any, persistent_load: Any, **kwargs: Any) -> Any:
    """An unrestricted unpickler (``weights_only=False``) of ``pickle_module`` that maps
    PyTorch's tensor globals to Ember's and resolves everything else normally."""
    base = pickle_module.Unpickler

    class _Unpickler(base):  # type: ignore[misc, valid-type]
        def find_class(self, module: str, name: str) -> Any:
            obj = torch_table().get(_fix_name(module, name))
            return obj if obj is not None else super().find_class(module, name)

        def persistent_load(self, pid: Any) -> Any:
            return persistent_load(pid)

    return _Unpickler(file, **kwargs)


def _global_name(obj: Any) -> tuple[str, str]:
    if isinstance(obj, tuple) and len(obj) == 2 and isinstance(obj[1], str):
        obj, full = obj
        module, _, name = full.rpartition(".")
        return module, name
    module = getattr(obj, "__module__", None)
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if not module or not name:
        raise TypeError(f"add_safe_globals: cannot tell the module and name of {obj!r}; pass "
                        f"(obj, 'module.name')")
    return module, name


def add_safe_globals(safe_globals: list[Any]) -> None:
    """Mark globals as safe for ``ember.load(weights_only=True)``.

    Args:
        safe_globals (list): classes or functions, or ``(obj, "module.name")`` pairs for
            objects whose pickled name differs from their ``__module__``/``__qualname__``.

    Example:
        >>> import ember
        >>> class MyTag:
        ...     pass
        >>> ember.serialization.add_safe_globals([MyTag])
        >>> MyTag in ember.serialization.get_safe_globals()
        True
        >>> ember.serialization.clear_safe_globals()
    """
    for g in safe_globals:
        module, name = _global_name(g)
        if module.split(".")[0] in _BLOCKED_MODULES:
            raise ValueError(f"add_safe_globals: globals from module {module!r} cannot be "
                             f"allowlisted")
        _USER[(module, name)] = g[0] if isinstance(g, tuple) else g


def get_safe_globals() -> list[Any]:
    """The globals added with :func:`add_safe_globals`."""
    return list(_USER.values())


def clear_safe_globals() -> None:
    """Forget every global added with :func:`add_safe_globals`."""
    _USER.clear()


@contextlib.contextmanager
def safe_globals(globals_: list[Any]) -> Iterator[None]:
    """Context manager: :func:`add_safe_globals` for the duration of the block.

    Example:
        >>> import ember
        >>> with ember.serialization.safe_globals([complex]):
        ...     pass
    """
    saved = dict(_USER)
    add_safe_globals(globals_)
    try:
        yield
    finally:
        _USER.clear()
        _USER.update(saved)

