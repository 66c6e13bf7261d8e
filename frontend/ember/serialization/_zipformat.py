"""The zip container of PyTorch checkpoints: a streaming writer and a checked reader.

The writer lays records out as PyTorch's ``PyTorchStreamWriter`` (miniz) does, so that a
reader which predicts record offsets from that layout (``torch.load(mmap=True)`` with
``calculate_storage_offsets``) finds Ember's data where it looks:

* every record is stored uncompressed under ``<archive>/``, its local header carrying an
  extra field ``"FB" + u16 n + "Z" * n`` that pads the record's data to a 64-byte boundary;
* a record of ``n > 0`` bytes sets the data-descriptor flag (0x08) and is followed by a
  16-byte descriptor (24 bytes once a size or offset passes 4 GiB, with zip64 fields);
  an empty record has neither;
* the archive ends with a central directory, a zip64 end record, its locator and the
  classic end record; dates and "version made by" are zero, as miniz writes them.

The reader is Python's :mod:`zipfile` (it checks CRCs); its errors become a
``RuntimeError`` that names the file.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from typing import IO, Any

__all__ = ["ZipWriter", "ZipReader", "ALIGNMENT", "CheckpointError"]

ALIGNMENT = 64
_U32 = 0xFFFFFFFF
_UTF8_FLAG = 0x0800
_DESCRIPTOR_FLAG = 0x0008


class CheckpointError(RuntimeError):
    """A checkpoint file that cannot be read (corrupt, truncated, or not a checkpoint)."""


class _Entry:
    __slots__ = ("name", "offset", "size", "crc", "flags")

    def __init__(self, name: bytes, offset: int, size: int, crc: int, flags: int):
        self.name, self.offset, self.size, self.crc, self.flags = name, offset, size, crc, flags


class ZipWriter:
    """Writes records into a stored zip archive, streaming to ``file`` (never seeks)."""

    def __init__(self, file: IO[bytes], archive_name: str = "archive"):
        self._file = file
        self._prefix = archive_name + "/"
        self._pos = 0
        self._entries: list[_Entry] = []
        self._crcs: list[int] = []

    def _write(self, data: Any) -> None:
        n = self._file.write(data)
        self._pos += len(memoryview(data).cast("B")) if n is None else n

    def write_record(self, name: str, data: Any) -> None:
        """Add the record ``<archive>/name`` holding the bytes of ``data`` (a buffer)."""
        view = memoryview(data).cast("B")
        size = len(view)
        full = (self._prefix + name).encode("utf-8")
        offset = self._pos
        big_size, big_offset = size >= _U32, offset >= _U32
        zip64 = b""
        if big_size or big_offset:  # miniz's local zip64 field: sizes, then the offset
            fields = (struct.pack("<QQ", size, size) if big_size else b"") + (
                struct.pack("<Q", offset) if big_offset else b"")
            zip64 = struct.pack("<HH", 1, len(fields)) + fields
        start = offset + 30 + len(full) + len(zip64) + 4
        pad = -start % ALIGNMENT
        extra = zip64 + b"FB" + struct.pack("<H", pad) + b"Z" * pad
        flags = _UTF8_FLAG | (_DESCRIPTOR_FLAG if size else 0)
        local_size = _U32 if big_size else 0
        self._write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 0, flags, 0, 0, 0, 0, local_size,
                                local_size, len(full), len(extra)))
        self._write(full)
        self._write(extra)
        crc = 0
        step = 1 << 26
        for i in range(0, size, step):
            chunk = view[i:i + step]
            crc = zlib.crc32(chunk, crc)
            self._write(chunk)
        if size:
            if big_size or big_offset:
                self._write(struct.pack("<IIQQ", 0x08074B50, crc, size, size))
            else:
                self._write(struct.pack("<IIII", 0x08074B50, crc, size, size))
        self._entries.append(_Entry(full, offset, size, crc, flags))
        self._crcs.append(crc)

    def serialization_id(self) -> str:
        """A 40-digit id derived from the record names and contents (as PyTorch's is)."""
        names = zlib.crc32(b"\n".join(e.name for e in self._entries))
        combined = 0
        for crc in self._crcs:
            combined = (combined * 1000003 + crc) % (10 ** 20)
        return f"{names:020d}{combined:020d}"

    def close(self) -> None:
        """Write the central directory and the end records (the file is left open)."""
        cd_start = self._pos
        for e in self._entries:
            fields = b""
            size32 = offset32 = None
            if e.size >= _U32:
                fields += struct.pack("<QQ", e.size, e.size)
                size32 = _U32
            if e.offset >= _U32:
                fields += struct.pack("<Q", e.offset)
                offset32 = _U32
            extra = struct.pack("<HH", 1, len(fields)) + fields if fields else b""
            size_field = e.size if size32 is None else size32
            self._write(struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 0, 0, e.flags, 0, 0, 0, e.crc, size_field,
                size_field, len(e.name), len(extra), 0, 0, 0, 0,
                e.offset if offset32 is None else offset32))
            self._write(e.name)
            self._write(extra)
        cd_size = self._pos - cd_start
        n = len(self._entries)
        eocd64 = self._pos
        self._write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 0x031E, 45, 0, 0, n, n, cd_size,
                                cd_start))
        self._write(struct.pack("<IIQI", 0x07064B50, 0, eocd64, 1))
        self._write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(n, 0xFFFF), min(n, 0xFFFF),
                                min(cd_size, _U32), min(cd_start, _U32), 0))


class ZipReader:
    """Read-only access to the records of a checkpoint archive.

    Args:
        file: a seekable binary file object positioned at the archive's start.
        what: how to name the file in error messages (its path, or ``"the file object"``).
    """

    def __init__(self, file: IO[bytes], what: str):
        self.what = what
        self._file = file
        try:
            self._zip = zipfile.ZipFile(file)
            names = self._zip.namelist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error) as e:
            raise CheckpointError(f"{what} is not a readable checkpoint: failed reading zip "
                                  f"archive ({e}); the file is truncated or corrupt") from None
        if not names or "/" not in names[0]:
            raise CheckpointError(f"{what} is a zip archive but not a checkpoint: its records "
                                  f"are not in a subdirectory")
        self.prefix = names[0].split("/", 1)[0] + "/"
        self._names = set(names)

    def has_record(self, name: str) -> bool:
        return self.prefix + name in self._names

    def read(self, name: str) -> bytes:
        """The bytes of the record ``name`` (relative to the archive folder)."""
        return self._zip.read(self._info(name))

    def read_into(self, name: str, out: Any) -> None:
        """Read the record ``name`` into the writable buffer ``out`` of exactly its size."""
        info = self._info(name)
        view = memoryview(out).cast("B")
        if info.file_size != len(view):
            raise CheckpointError(f"{self.what}: record '{info.filename}' holds {info.file_size} "
                                  f"bytes but the checkpoint describes {len(view)}; the file is "
                                  f"corrupt")
        with self._zip.open(info) as r:
            got = 0
            while got < len(view):
                n = r.readinto(view[got:])
                if not n:
                    raise CheckpointError(f"{self.what}: record '{info.filename}' is truncated")
                got += n
            r.read(1)  # reaching the end makes zipfile check the CRC

    def record_size(self, name: str) -> int:
        return self._info(name).file_size

    def data_offset(self, name: str) -> int | None:
        """Where the stored bytes of ``name`` start in the file (None if compressed)."""
        info = self._info(name)
        if info.compress_type != zipfile.ZIP_STORED:
            return None
        self._file.seek(info.header_offset)
        header = self._file.read(30)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            raise CheckpointError(f"{self.what}: bad local header for '{info.filename}'")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        return info.header_offset + 30 + name_len + extra_len

    def _info(self, name: str) -> zipfile.ZipInfo:
        try:
            return self._zip.getinfo(self.prefix + name)
        except KeyError:
            raise CheckpointError(f"{self.what}: the checkpoint has no record "
                                  f"'{self.prefix}{name}'; the file is incomplete or "
                                  f"corrupt") from None

    def wrap_error(self, name: str, err: BaseException) -> CheckpointError:
        """A CheckpointError for a low-level failure while reading ``name``."""
        return CheckpointError(f"{self.what}: failed reading record '{self.prefix}{name}' "
                               f"({type(err).__name__}: {err}); the file is corrupt")

    def close(self) -> None:
        self._zip.close()
