"""``init_process_group`` and the default group: rendezvous (``env://``, ``tcp://``,
``file://``), ranks, ``destroy_process_group``."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import ember

from ._group import ProcessGroup, release_file_store
from ._store import FileStore, Store, TCPStore

__all__ = ["Backend", "GroupMember", "default_pg_timeout", "destroy_process_group",
           "get_backend", "get_rank", "get_world_size", "group", "init_process_group",
           "is_gloo_available", "is_initialized", "is_mpi_available", "is_nccl_available",
           "is_torchelastic_launched"]

default_pg_timeout = timedelta(minutes=30)


class Backend(str):
    """A backend name, lower-cased and checked: ``Backend("GLOO") == "gloo"``.

    Ember's backends are ``"gloo"`` (any device, through the CPU) and ``"nccl"`` (accepted
    where CUDA is available; it moves the bytes the same way). ``"mpi"`` is not built in.
    """

    UNDEFINED = "undefined"
    GLOO = "gloo"
    NCCL = "nccl"
    MPI = "mpi"

    def __new__(cls, name: str) -> Backend:
        if not isinstance(name, str):
            raise ValueError(f"Backend constructor parameter must be string-ish, but got "
                             f"{type(name)}")
        value = name.lower()
        if value not in ("undefined", "gloo", "nccl", "mpi"):
            raise ValueError(f"Unknown backend type {name}")
        return super().__new__(cls, value)


class _World:
    """The default process group (``None`` until ``init_process_group``)."""

    pg: ProcessGroup | None = None


class GroupMember:
    """``GroupMember.WORLD``: the default group (``None`` before initialisation)."""

    NON_GROUP_MEMBER = -100
    WORLD: ProcessGroup | None = None


class group:  # noqa: N801 - PyTorch's name
    """``group.WORLD``: the default process group."""

    WORLD: ProcessGroup | None = None


def _sync_world_attr() -> None:
    GroupMember.WORLD = group.WORLD = _World.pg


_sync_world_attr()


def is_gloo_available() -> bool:
    """Whether the ``gloo`` backend is available (always, in Ember)."""
    return True


def is_nccl_available() -> bool:
    """Whether ``nccl`` is accepted: where CUDA is available."""
    return bool(ember.cuda.is_available())


def is_mpi_available() -> bool:
    """Whether the ``mpi`` backend is available (never, in Ember)."""
    return False


def is_torchelastic_launched() -> bool:
    """Whether this process was started by an elastic launcher (``TORCHELASTIC_RUN_ID``)."""
    return os.environ.get("TORCHELASTIC_RUN_ID") is not None


def is_initialized() -> bool:
    """Whether the default process group has been initialised.

    Examples:
        >>> ember.distributed.is_initialized()
        False
    """
    return _World.pg is not None


def _default_group(pg: Any = None) -> ProcessGroup:
    if pg is not None and pg is not _World.pg:
        if isinstance(pg, ProcessGroup):
            raise ValueError("The given group is not the default process group (Ember "
                             "supports only the default group)")
        raise TypeError(f"group must be a ProcessGroup or None, got {type(pg).__name__}")
    if _World.pg is None:
        raise ValueError("Default process group has not been initialized, please make sure "
                         "to call init_process_group.")
    return _World.pg


def get_rank(group: Any = None) -> int:
    """This process's rank in the default group."""
    return _default_group(group).rank()


def get_world_size(group: Any = None) -> int:
    """The number of processes in the default group."""
    return _default_group(group).size()


def get_backend(group: Any = None) -> str:
    """The backend of the default group (``"gloo"`` or ``"nccl"``)."""
    return _default_group(group).backend


def _env_int(name: str) -> int:
    value = os.environ.get(name)
    if value is None:
        raise ValueError(f"Error initializing torch.distributed using env:// rendezvous: "
                         f"environment variable {name} expected, but not set")
    return int(value)


def _rendezvous(url: str, rank: int, world_size: int,
                timeout: timedelta) -> tuple[Store, int, int, str]:
    """Parse ``init_method``; the store, rank, world size and the host rank 0 listens on."""
    parsed = urlparse(url)
    query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    scheme = parsed.scheme
    if scheme == "env":
        rank = rank if rank != -1 else _env_int("RANK")
        world_size = world_size if world_size != -1 else _env_int("WORLD_SIZE")
        host = os.environ.get("MASTER_ADDR")
        if host is None:
            _env_int("MASTER_ADDR")
        port = _env_int("MASTER_PORT")
    elif scheme in ("tcp", "file"):
        rank = rank if rank != -1 else int(query.get("rank", -1))
        world_size = world_size if world_size != -1 else int(query.get("world_size", -1))
        for value, name in ((rank, "rank"), (world_size, "world size")):
            if value == -1:
                raise ValueError(f"Error initializing torch.distributed using {scheme}:// "
                                 f"rendezvous: {name} parameter missing")
    else:
        raise RuntimeError(f"No rendezvous handler for {scheme}://")
    _check_rank(rank, world_size)
    if scheme == "file":
        path = parsed.path if not parsed.netloc else parsed.netloc + parsed.path
        return FileStore(path, world_size), rank, world_size, "127.0.0.1"
    if scheme == "tcp":
        host, port = parsed.hostname or "", parsed.port or 0
        if not host or not port:
            raise ValueError(f"Error initializing torch.distributed using tcp:// rendezvous: "
                             f"port number missing in {url!r}")
    store = TCPStore(host, port, world_size, is_master=rank == 0, timeout=timeout)
    return store, rank, world_size, host


def _check_rank(rank: int, world_size: int) -> None:
    if world_size <= 0:
        raise ValueError(f"init_process_group: world_size must be positive, got {world_size}")
    if not 0 <= rank < world_size:
        raise RuntimeError(f"init_process_group: rank {rank} is out of range for world_size "
                           f"{world_size} (rank < size. {rank} vs {world_size})")


def init_process_group(backend: str | None = None, init_method: str | None = None,
                       timeout: timedelta | None = None, world_size: int = -1, rank: int = -1,
                       store: Store | None = None, group_name: str = "",
                       pg_options: Any = None, device_id: Any = None) -> None:
    """Initialise the default process group: every process of the job calls it once.

    Args:
        backend (str, optional): ``"gloo"`` (default) or ``"nccl"`` (only where CUDA is
            available).
        init_method (str, optional): how the processes find one another: ``"env://"``
            (default; ``MASTER_ADDR``, ``MASTER_PORT``, ``WORLD_SIZE``, ``RANK``),
            ``"tcp://host:port"`` (rank 0 serves a :class:`TCPStore` there) or
            ``"file:///path"`` (a :class:`FileStore`; the file must be new or empty).
        timeout (timedelta, optional): how long the rendezvous and each collective wait for
            the other ranks. Default: 30 minutes.
        world_size (int): the number of processes (from ``init_method`` or the environment
            when -1).
        rank (int): this process's rank in ``[0, world_size)``.
        store (Store, optional): a store every process can reach, instead of ``init_method``.
        group_name, pg_options, device_id: accepted for PyTorch compatibility.

    Examples:
        >>> import os, tempfile
        >>> import ember.distributed as dist
        >>> path = os.path.join(tempfile.mkdtemp(), "pg")
        >>> dist.init_process_group("gloo", init_method=f"file://{path}", world_size=1, rank=0)
        >>> dist.get_rank(), dist.get_world_size()
        (0, 1)
        >>> dist.destroy_process_group()
    """
    if _World.pg is not None:
        raise ValueError("trying to initialize the default process group twice!")
    name = Backend(backend if backend is not None else "gloo")
    if name == Backend.NCCL and not is_nccl_available():
        raise RuntimeError("Distributed package doesn't have NCCL built in")
    if name in (Backend.MPI, Backend.UNDEFINED):
        raise RuntimeError(f"Distributed package doesn't have {name.upper()} built in")
    timeout = timeout if timeout is not None else default_pg_timeout
    if not isinstance(timeout, timedelta):
        raise TypeError(f"Expected timeout argument to be of type datetime.timedelta, got "
                        f"{type(timeout).__name__}")
    owns_store = store is None
    if store is not None:
        if init_method is not None:
            raise ValueError("Cannot specify both init_method and store.")
        if world_size <= 0:
            raise ValueError("world_size must be positive if using store")
        if rank < 0:
            raise ValueError("rank must be non-negative if using store")
        _check_rank(rank, world_size)
        host = getattr(store, "host", "127.0.0.1")
    else:
        store, rank, world_size, host = _rendezvous(init_method or "env://", rank, world_size,
                                                    timeout)
    store.set_timeout(timeout)
    _World.pg = ProcessGroup(store, rank, world_size, str(name), timeout, host=host,
                             owns_store=owns_store)
    _sync_world_attr()


def destroy_process_group(group: Any = None) -> None:
    """Close the default group's connections; :func:`init_process_group` may be called again.

    Every rank should call it (after its last collective).
    """
    pg = _World.pg
    if pg is None:
        raise ValueError("Default process group has not been initialized, please make sure "
                         "to call init_process_group.")
    if group is not None and group is not pg:
        raise ValueError("Ember supports only the default process group")
    _World.pg = None
    _sync_world_attr()
    pg.close()
    release_file_store(pg.store, pg.size())
