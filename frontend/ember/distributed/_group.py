"""The process group: sockets between the ranks and one primitive, :meth:`exchange`.

# NOTE [ Star transport ]
Rank 0 listens on a socket whose address (and a random key) it publishes in the store;
every other rank connects to it and proves it knows the key (an HMAC challenge), so only
processes of this rendezvous can send it pickled messages. A collective is one
``exchange``: every rank sends rank 0 its payload tagged with the collective's name and
sequence number; rank 0 checks that all ranks are in the same collective, computes one
reply per rank and sends them back. A rank that calls a different collective (or dies)
makes every rank raise instead of computing garbage. Each collective is two messages per
rank, which is what small clusters of CPU processes need; it is not a bandwidth-optimal
ring.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import socket
import struct
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ._store import FileStore, Store, TCPStore

__all__ = ["ProcessGroup"]

_ERROR = "__ember_distributed_error__"


def _send(sock: socket.socket, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(struct.pack("!Q", len(data)) + data)


def _recv_bytes(sock: socket.socket, n: int) -> bytes:
    buf = bytearray(n)
    view, got = memoryview(buf), 0
    while got < n:
        k = sock.recv_into(view[got:])
        if not k:
            raise RuntimeError("Connection closed by peer")
        got += k
    return bytes(buf)


def _recv(sock: socket.socket) -> Any:
    (n,) = struct.unpack("!Q", _recv_bytes(sock, 8))
    return pickle.loads(_recv_bytes(sock, n))


class ProcessGroup:
    """The ranks of one ``init_process_group`` and the connections between them."""

    def __init__(self, store: Store, rank: int, world_size: int, backend: str,
                 timeout: timedelta, host: str = "127.0.0.1", prefix: str = "default_pg/",
                 owns_store: bool = True) -> None:
        self.store, self._rank, self._size = store, rank, world_size
        self.owns_store = owns_store
        self.backend, self.timeout = backend, timeout
        self._seq = 0
        self._peers: dict[int, socket.socket] = {}
        seconds = timeout.total_seconds()
        if world_size == 1:
            return
        if rank == 0:
            self._accept(host, prefix, seconds)
        else:
            self._connect(prefix, seconds)

    def rank(self) -> int:
        return self._rank

    def size(self) -> int:
        return self._size

    def _accept(self, host: str, prefix: str, seconds: float) -> None:
        key = os.urandom(32)
        server = socket.create_server((host, 0))
        server.settimeout(seconds)
        try:
            self.store.set(prefix + "key", key.hex())
            self.store.set(prefix + "addr", f"{host}:{server.getsockname()[1]}")
            deadline = time.monotonic() + seconds
            while len(self._peers) < self._size - 1:
                server.settimeout(max(deadline - time.monotonic(), 0.001))
                try:
                    sock, _ = server.accept()
                except TimeoutError:
                    raise RuntimeError(
                        f"init_process_group: timed out after {seconds:.0f}s waiting for "
                        f"{self._size - 1 - len(self._peers)} of {self._size - 1} ranks to "
                        f"connect to rank 0") from None
                sock.settimeout(seconds)
                nonce = os.urandom(32)
                _send(sock, nonce)
                digest = _recv_bytes(sock, 32)
                if not hmac.compare_digest(digest, hmac.new(key, nonce, hashlib.sha256).digest()):
                    sock.close()
                    continue
                peer = struct.unpack("!q", _recv_bytes(sock, 8))[0]
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._peers[peer] = sock
        finally:
            server.close()

    def _connect(self, prefix: str, seconds: float) -> None:
        addr = self.store.get(prefix + "addr").decode()
        key = bytes.fromhex(self.store.get(prefix + "key").decode())
        host, port = addr.rsplit(":", 1)
        sock = socket.create_connection((host, int(port)), timeout=seconds)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        nonce = _recv(sock)
        sock.sendall(hmac.new(key, nonce, hashlib.sha256).digest())
        sock.sendall(struct.pack("!q", self._rank))
        self._peers[0] = sock

    def _fail(self, message: str) -> RuntimeError:
        for sock in self._peers.values():
            try:
                _send(sock, (_ERROR, message))
            except OSError:
                pass
        return RuntimeError(message)

    def _checked_recv(self, sock: socket.socket, what: str) -> Any:
        try:
            return _recv(sock)
        except TimeoutError:
            raise RuntimeError(f"{what}: timed out after {self.timeout} waiting for a peer "
                               f"(did every rank call it?)") from None
        except OSError as err:
            raise RuntimeError(f"{what}: lost the connection to a peer: {err}") from None

    def exchange(self, name: str, payload: Any, fn: Callable[[list], list]) -> Any:
        """Send ``payload`` to rank 0, which calls ``fn`` on every rank's payload (in rank
        order) to get one reply per rank; return this rank's reply (NOTE [ Star transport ])."""
        self._seq += 1
        tag = (name, self._seq)
        what = f"ember.distributed.{name}"
        if self._rank != 0:
            _send(self._peers[0], (tag, payload))
            reply = self._checked_recv(self._peers[0], what)
            if isinstance(reply, tuple) and len(reply) == 2 and reply[0] == _ERROR:
                raise RuntimeError(reply[1])
            return reply
        items = [payload]
        for r in range(1, self._size):
            try:
                their_tag, their_payload = self._checked_recv(self._peers[r], what)
            except RuntimeError as err:
                raise self._fail(f"{err} (rank {r})") from None
            if their_tag != tag:
                raise self._fail(f"{what}: rank {r} called {their_tag[0]} (collective "
                                 f"#{their_tag[1]}) while rank 0 called {name} (collective "
                                 f"#{self._seq}); every rank must call the same collectives "
                                 f"in the same order")
            items.append(their_payload)
        try:
            replies = fn(items)
        except Exception as err:
            self._fail(f"{what} failed on rank 0: {err}")
            raise
        for r in range(1, self._size):
            _send(self._peers[r], replies[r])
        return replies[0]

    def close(self) -> None:
        for sock in self._peers.values():
            sock.close()
        self._peers.clear()
        if self.owns_store and isinstance(self.store, TCPStore):
            self.store.close()


def release_file_store(store: Store, world_size: int) -> None:
    """The last rank to leave deletes a :class:`FileStore`'s file (as PyTorch does)."""
    if isinstance(store, FileStore) and world_size > 0:
        if store.add("__ember_done__", 1) >= world_size:
            try:
                os.remove(store.path)
            except OSError:
                pass
