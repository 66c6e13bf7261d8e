"""Key-value stores for the rendezvous: :class:`TCPStore` (a server in one process) and
:class:`FileStore` (a file on a shared file system), as ``torch.distributed``'s.

# NOTE [ Store protocol ]
A store maps string keys to bytes. ``get`` and ``wait`` block until the keys exist (polling,
with the store's timeout); ``add`` is an atomic counter. Both stores share that polling in
:class:`Store`; a subclass supplies four primitives: ``_try_get``, ``_set``, ``_add`` and
``_delete``. The TCP wire format is length-prefixed fields, never pickle: a store can be
reached by anyone who knows its port, so it must not unpickle what it receives.
"""

from __future__ import annotations

import fcntl
import socket
import socketserver
import struct
import threading
import time
from datetime import timedelta

__all__ = ["FileStore", "Store", "TCPStore"]

_DEFAULT_STORE_TIMEOUT = timedelta(seconds=300)


def _as_bytes(value: str | bytes | bytearray) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


class Store:
    """The base class of the rendezvous stores (``set``, ``get``, ``add``, ``wait``)."""

    def __init__(self, timeout: timedelta = _DEFAULT_STORE_TIMEOUT) -> None:
        self._timeout = timeout

    @property
    def timeout(self) -> timedelta:
        """How long ``get`` and ``wait`` block before raising."""
        return self._timeout

    def set_timeout(self, timeout: timedelta) -> None:
        """Set the timeout of ``get`` and ``wait``."""
        self._timeout = timeout

    def set(self, key: str, value: str | bytes) -> None:
        """Store ``value`` under ``key`` (overwriting)."""
        self._set(key, _as_bytes(value))

    def get(self, key: str) -> bytes:
        """The value of ``key``, waiting up to the timeout for it to be set."""
        self.wait([key])
        value = self._try_get(key)
        assert value is not None
        return value

    def add(self, key: str, amount: int) -> int:
        """Atomically add ``amount`` to the counter ``key`` (0 when new); returns the sum."""
        return self._add(key, int(amount))

    def check(self, keys: list[str]) -> bool:
        """Whether every key in ``keys`` is set (without waiting)."""
        return all(self._try_get(k) is not None for k in keys)

    def wait(self, keys: list[str], timeout: timedelta | None = None) -> None:
        """Block until every key in ``keys`` is set; ``RuntimeError`` after the timeout."""
        limit = (timeout or self._timeout).total_seconds()
        deadline = time.monotonic() + limit
        pause = 0.001
        while not self.check(keys):
            if time.monotonic() > deadline:
                raise RuntimeError(f"Wait timeout after {limit * 1000:.0f}ms, keys: {keys}")
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

    def delete_key(self, key: str) -> bool:
        """Remove ``key``; whether it existed."""
        return self._delete(key)

    def _try_get(self, key: str) -> bytes | None:
        raise NotImplementedError

    def _set(self, key: str, value: bytes) -> None:
        raise NotImplementedError

    def _add(self, key: str, amount: int) -> int:
        raise NotImplementedError

    def _delete(self, key: str) -> bool:
        raise NotImplementedError


class _Table:
    """The dictionary behind a store, with atomic ``add``."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.lock = threading.Lock()

    def apply(self, op: bytes, key: str, value: bytes) -> bytes:
        with self.lock:
            if op == b"S":
                self.data[key] = value
                return b""
            if op == b"G":
                found = self.data.get(key)
                return b"" if found is None else b"+" + found
            if op == b"A":
                total = int(self.data.get(key, b"0")) + int(value)
                self.data[key] = str(total).encode()
                return self.data[key]
            return b"1" if self.data.pop(key, None) is not None else b"0"


# --- TCP -----------------------------------------------------------------------------------

def _send_fields(sock: socket.socket, *fields: bytes) -> None:
    sock.sendall(b"".join(struct.pack("!I", len(f)) + f for f in fields))


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = sock.recv(left)
        if not chunk:
            raise ConnectionError("TCPStore: connection closed by peer")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _recv_field(sock: socket.socket) -> bytes:
    (n,) = struct.unpack("!I", _recv_exact(sock, 4))
    return _recv_exact(sock, n)


class _StoreHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        table: _Table = self.server.table  # type: ignore[attr-defined]
        try:
            while True:
                op, key, value = (_recv_field(self.request) for _ in range(3))
                _send_fields(self.request, table.apply(op, key.decode(), value))
        except (ConnectionError, OSError):
            return


class _StoreServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class TCPStore(Store):
    """A store served over TCP by the process created with ``is_master=True``.

    Args:
        host_name (str): the address the server listens on and clients connect to.
        port (int): its port (``0`` on the master picks a free one; see :attr:`port`).
        world_size (int, optional): the number of processes that will use the store.
        is_master (bool): whether this process runs the server. Default: ``False``.
        timeout (timedelta): how long ``get``/``wait`` and the connection wait.

    Examples:
        >>> from ember.distributed import TCPStore
        >>> store = TCPStore("127.0.0.1", 0, is_master=True)
        >>> store.set("first", "1"); store.add("count", 2)
        2
        >>> store.get("first")
        b'1'
        >>> store.close()
    """

    def __init__(self, host_name: str, port: int, world_size: int | None = None,
                 is_master: bool = False, timeout: timedelta = _DEFAULT_STORE_TIMEOUT,
                 wait_for_workers: bool = True, multi_tenant: bool = False) -> None:
        super().__init__(timeout)
        self.host = host_name
        self.world_size = world_size
        self._server: _StoreServer | None = None
        self._lock = threading.Lock()
        if is_master:
            self._server = _StoreServer((host_name, port), _StoreHandler)
            self._server.table = _Table()  # type: ignore[attr-defined]
            port = self._server.server_address[1]
            threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.port = port
        self._sock = self._connect()

    def _connect(self) -> socket.socket:
        deadline = time.monotonic() + self._timeout.total_seconds()
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=5)
                sock.settimeout(None)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return sock
            except OSError as err:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"TCPStore: could not connect to {self.host}:{self.port} "
                                       f"within {self._timeout}: {err}") from None
                time.sleep(0.05)

    def _request(self, op: bytes, key: str, value: bytes = b"") -> bytes:
        with self._lock:
            _send_fields(self._sock, op, key.encode(), value)
            return _recv_field(self._sock)

    def _try_get(self, key: str) -> bytes | None:
        reply = self._request(b"G", key)
        return reply[1:] if reply else None

    def _set(self, key: str, value: bytes) -> None:
        self._request(b"S", key, value)

    def _add(self, key: str, amount: int) -> int:
        return int(self._request(b"A", key, str(amount).encode()))

    def _delete(self, key: str) -> bool:
        return self._request(b"D", key) == b"1"

    def close(self) -> None:
        """Close this client's connection and, on the master, stop the server."""
        self._sock.close()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


# --- file ----------------------------------------------------------------------------------

class FileStore(Store):
    """A store kept in a file that every process can open (an append-only log of records,
    written under an exclusive ``flock``).

    The file must not hold another run's keys: use a new path, or delete the old file.

    Args:
        file_name (str): the path of the file (created when missing).
        world_size (int): the number of processes that will use the store. Default: -1.

    Examples:
        >>> import os, tempfile
        >>> from ember.distributed import FileStore
        >>> path = os.path.join(tempfile.mkdtemp(), "store")
        >>> store = FileStore(path, 1)
        >>> store.set("key", b"value"); store.add("n", 5)
        5
        >>> store.get("key")
        b'value'
        >>> os.remove(path)
    """

    def __init__(self, file_name: str, world_size: int = -1) -> None:
        super().__init__()
        self.path = file_name
        self.world_size = world_size
        open(file_name, "ab").close()

    @staticmethod
    def _parse(raw: bytes) -> dict[str, bytes]:
        table, pos = _Table(), 0
        while pos + 4 <= len(raw):
            fields = []
            for _ in range(3):
                (n,) = struct.unpack_from("!I", raw, pos)
                fields.append(raw[pos + 4:pos + 4 + n])
                pos += 4 + n
            table.apply(fields[0], fields[1].decode(), fields[2])
        return table.data

    def _read(self) -> dict[str, bytes]:
        with open(self.path, "rb") as f:
            fcntl.flock(f, fcntl.LOCK_SH)
            return self._parse(f.read())

    def _append(self, op: bytes, key: str, value: bytes) -> dict[str, bytes]:
        """Append one record under the lock; the table as it was before it."""
        with open(self.path, "a+b") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.seek(0)
            before = self._parse(f.read())
            f.write(b"".join(struct.pack("!I", len(x)) + x for x in (op, key.encode(), value)))
            f.flush()
        return before

    def _try_get(self, key: str) -> bytes | None:
        return self._read().get(key)

    def _set(self, key: str, value: bytes) -> None:
        self._append(b"S", key, value)

    def _add(self, key: str, amount: int) -> int:
        return int(self._append(b"A", key, str(amount).encode()).get(key, b"0")) + amount

    def _delete(self, key: str) -> bool:
        return key in self._append(b"D", key, b"")
