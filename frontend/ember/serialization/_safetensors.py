"""The safetensors format, implemented directly (no dependency on the ``safetensors`` package).

# NOTE [ safetensors layout ]
A file is an unsigned little-endian 64-bit header length ``N``, then ``N`` bytes of UTF-8
JSON, then the data. The header maps each tensor name to ``{"dtype": "F32", "shape": [...],
"data_offsets": [begin, end]}`` (byte offsets into the data, which holds each tensor
contiguously, row-major, little-endian) and may hold ``"__metadata__"``: a dict of strings.
The writer orders tensors as the reference implementation does (larger element sizes
first, then by name) and pads the header with spaces to a multiple of 8 bytes so every
tensor starts aligned; the reader checks that the offsets tile the data exactly. Nothing
but JSON and raw numbers is parsed, so loading runs no code. There is no code for
complex128 (the format has none).
"""

from __future__ import annotations

import json
import os
import struct
import sys
from typing import Any

import numpy as np

import ember
from ember._tensor import Tensor
from ember.backend import _dtypes as D

from ._storage import byteswap, numpy_dtype

__all__ = ["save_file", "load_file", "save", "load", "SafetensorError"]

_CODES = {"float32": "F32", "float64": "F64", "float16": "F16", "bfloat16": "BF16",
          "int8": "I8", "int16": "I16", "int32": "I32", "int64": "I64", "uint8": "U8",
          "bool": "BOOL", "complex64": "C64"}
_DTYPES = {code: D.by_name(name) for name, code in _CODES.items()}
_MAX_HEADER = 100_000_000


class SafetensorError(RuntimeError):
    """A safetensors file that is malformed, or tensors that cannot be saved."""


def _check_tensors(tensors: Any) -> None:
    if not isinstance(tensors, dict):
        raise TypeError(f"save_file: expected a dict of tensors, got {type(tensors).__name__}")
    for name, t in tensors.items():
        if not isinstance(name, str):
            raise TypeError(f"save_file: tensor names must be str, got {name!r}")
        if not isinstance(t, Tensor):
            raise TypeError(f"save_file: {name!r} is a {type(t).__name__}, not a tensor")
        if t.dtype.name not in _CODES:
            raise SafetensorError(f"save_file: {name!r} has dtype {t.dtype}, which the "
                                  f"safetensors format cannot store")
        if not t.is_contiguous():
            raise ValueError(
                f"You are trying to save a non contiguous tensor: `{name}` which is not allowed. "
                f"It either means you are trying to save tensors which are reference of each "
                f"other in which case it's recommended to save only the full tensors, and "
                f"reslice at load time, or simply call `.contiguous()` on your tensor to pack "
                f"it before saving.")
    shared = _shared_groups(tensors)
    if shared:
        raise RuntimeError(
            f"Some tensors share memory, this will lead to duplicate memory on disk and "
            f"potential differences when loading them again: {shared}.")


def _shared_groups(tensors: dict[str, Tensor]) -> list[set[str]]:
    # Tensors can only share memory through views / detach, which share a version counter.
    by_version: dict[int, list[tuple[str, Tensor]]] = {}
    for name, t in tensors.items():
        meta = t._meta
        if meta is not None and meta.version is not None and t.numel():
            by_version.setdefault(id(meta.version), []).append((name, t))
    groups = []
    for members in by_version.values():
        names: set[str] = set()
        for i, (a, ta) in enumerate(members):
            for b, tb in members[i + 1:]:
                if ta._backend is tb._backend and ta._backend.shares_memory(ta._data, tb._data):
                    names.update((a, b))
        if names:
            groups.append(names)
    return groups


def _host(t: Tensor) -> np.ndarray:
    t = t.detach()
    arr = np.ascontiguousarray((t if t.device.type == "cpu" else t.cpu()).numpy()).reshape(-1)
    if sys.byteorder != "little":
        arr = arr.copy()
        byteswap(arr, t.dtype)
    return arr.view(np.uint8)


def _serialize(tensors: dict[str, Tensor], metadata: dict[str, str] | None
               ) -> tuple[bytes, list[np.ndarray]]:
    _check_tensors(tensors)
    if metadata is not None and not (isinstance(metadata, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())):
        raise TypeError("save_file: metadata must be a dict of str to str")
    order = sorted(tensors, key=lambda n: (-tensors[n].dtype.itemsize, n))
    header: dict[str, Any] = {"__metadata__": metadata} if metadata else {}
    chunks, offset = [], 0
    for name in order:
        arr = _host(tensors[name])
        header[name] = {"dtype": _CODES[tensors[name].dtype.name],
                        "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + arr.nbytes]}
        offset += arr.nbytes
        chunks.append(arr)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text, chunks


def save_file(tensors: dict[str, Tensor], filename: str | os.PathLike,
              metadata: dict[str, str] | None = None) -> None:
    """Saves a dict of tensors to ``filename`` in the safetensors format.

    Args:
        tensors (dict[str, Tensor]): contiguous tensors that do not share memory.
        filename (str or os.PathLike): the file to write.
        metadata (dict[str, str], optional): free text stored in the header.

    Example:
        >>> import os, tempfile, ember
        >>> from ember.utils.safetensors import load_file, save_file
        >>> path = os.path.join(tempfile.mkdtemp(), "model.safetensors")
        >>> save_file({"w": ember.ones(2)}, path)
        >>> load_file(path)
        {'w': tensor([1., 1.])}
    """
    head, chunks = _serialize(tensors, metadata)
    with open(os.fspath(filename), "wb") as f:
        f.write(head)
        for arr in chunks:
            f.write(memoryview(arr))


def save(tensors: dict[str, Tensor], metadata: dict[str, str] | None = None) -> bytes:
    """The safetensors bytes of ``tensors`` (as :func:`save_file` would write them).

    Example:
        >>> import ember
        >>> from ember.utils.safetensors import load, save
        >>> load(save({"a": ember.arange(3)}))
        {'a': tensor([0, 1, 2])}
    """
    head, chunks = _serialize(tensors, metadata)
    return head + b"".join(arr.tobytes() for arr in chunks)


def _parse_header(head: bytes, data_len: int, what: str) -> dict[str, tuple[D.dtype, list, int]]:
    try:
        header = json.loads(head.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise SafetensorError(f"{what}: invalid header deserialization ({e})") from None
    if not isinstance(header, dict):
        raise SafetensorError(f"{what}: the header is not a JSON object")
    meta = header.pop("__metadata__", None)
    if meta is not None and not (isinstance(meta, dict) and all(
            isinstance(v, str) for v in meta.values())):
        raise SafetensorError(f"{what}: __metadata__ must map strings to strings")
    entries = []
    for name, info in header.items():
        if not isinstance(info, dict) or set(info) != {"dtype", "shape", "data_offsets"}:
            raise SafetensorError(f"{what}: bad header entry for {name!r}: {info!r}")
        code, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
        if code not in _DTYPES:
            raise SafetensorError(f"{what}: tensor {name!r} has dtype {code!r}, which Ember "
                                  f"does not support")
        ints = (isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in
                [*shape, *offsets]) if isinstance(shape, list) and isinstance(offsets, list) \
            else iter([False])
        if not all(ints) or len(offsets) != 2:
            raise SafetensorError(f"{what}: bad shape or data_offsets for {name!r}")
        dt = _DTYPES[code]
        numel = 1
        for d in shape:
            numel *= d
        if offsets[1] - offsets[0] != numel * dt.itemsize:
            raise SafetensorError(f"{what}: tensor {name!r} of shape {shape} and dtype {code} "
                                  f"needs {numel * dt.itemsize} bytes, its data_offsets "
                                  f"{offsets} give {offsets[1] - offsets[0]}")
        entries.append((offsets[0], offsets[1], name, dt, shape))
    end = 0
    for begin, stop, name, _, _ in sorted(entries):
        if begin != end:
            raise SafetensorError(f"{what}: invalid offset for {name!r}: the tensors' "
                                  f"data_offsets do not tile the data")
        end = stop
    if end != data_len:
        raise SafetensorError(f"{what}: metadata incomplete buffer: the header describes {end} "
                              f"bytes of data, the file holds {data_len}")
    return {name: (dt, shape, begin) for begin, _, name, dt, shape in entries}


def _tensor(buf: Any, dt: D.dtype, shape: list, device: Any) -> Tensor:
    arr = np.frombuffer(buf, dtype=numpy_dtype(dt)).copy()
    if sys.byteorder != "little":
        byteswap(arr, dt)
    t = ember.from_numpy(arr.reshape(shape))
    return t if device.type == "cpu" else t.to(device)


def _read_header(f: Any, size: int, what: str) -> tuple[dict, int]:
    raw = f.read(8)
    if len(raw) < 8:
        raise SafetensorError(f"{what}: invalid header length (the file is too short)")
    (n,) = struct.unpack("<Q", raw)
    if n > _MAX_HEADER:
        raise SafetensorError(f"{what}: header too large ({n} bytes)")
    if n + 8 > size:
        raise SafetensorError(f"{what}: invalid header length {n} (the file has {size} bytes)")
    return _parse_header(f.read(n), size - 8 - n, what), 8 + n


def load_file(filename: str | os.PathLike, device: Any = "cpu") -> dict[str, Tensor]:
    """Loads a safetensors file into a dict of tensors (sorted by name).

    Args:
        filename (str or os.PathLike): the file to read.
        device: where to put the tensors (``"cpu"``, ``"ref"``, an ``ember.device``, or a
            CUDA index). Default: ``"cpu"``

    Example:
        >>> import os, tempfile, ember
        >>> from ember.utils.safetensors import load_file, save_file
        >>> path = os.path.join(tempfile.mkdtemp(), "t.safetensors")
        >>> save_file({"b": ember.zeros(1), "a": ember.ones(1)}, path)
        >>> list(load_file(path))
        ['a', 'b']
    """
    dev = ember.device(device)
    path = os.fspath(filename)
    what = f"load_file({path!r})"
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(0)
        entries, start = _read_header(f, size, what)
        out = {}
        for name in sorted(entries):
            dt, shape, begin = entries[name]
            nbytes = dt.itemsize * int(np.prod(shape, dtype=np.int64))
            f.seek(start + begin)
            buf = f.read(nbytes)
            if len(buf) != nbytes:
                raise SafetensorError(f"{what}: the file is truncated")
            out[name] = _tensor(buf, dt, shape, dev)
    return out


def load(data: bytes, device: Any = "cpu") -> dict[str, Tensor]:
    """Loads tensors from safetensors ``data`` (bytes), as :func:`load_file` does."""
    import io

    dev = ember.device(device)
    entries, start = _read_header(io.BytesIO(data), len(data), "load()")
    out = {}
    for name in sorted(entries):
        dt, shape, begin = entries[name]
        nbytes = dt.itemsize * int(np.prod(shape, dtype=np.int64))
        out[name] = _tensor(memoryview(data)[start + begin:start + begin + nbytes], dt, shape,
                            dev)
    return out
