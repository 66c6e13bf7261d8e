"""``ember.distributed``: several processes training one model, as ``torch.distributed``.

Every process calls :func:`init_process_group` (rendezvous through ``env://``,
``tcp://host:port`` or ``file:///path``), then the collectives (:func:`all_reduce`,
:func:`broadcast`, :func:`all_gather`, ...) on the default group.
:class:`~ember.nn.parallel.DistributedDataParallel` and
:class:`~ember.utils.data.distributed.DistributedSampler` are built on them.

The transport is Ember's own, written with the standard library: the ranks talk to rank 0
over TCP sockets (NOTE [ Star transport ] in ``_group.py``). It is meant for a handful of
processes on one machine or a small cluster, on every backend; it is not NCCL or MPI.

Examples:
    >>> import os, tempfile
    >>> import ember.distributed as dist
    >>> dist.is_available()
    True
    >>> path = os.path.join(tempfile.mkdtemp(), "pg")
    >>> dist.init_process_group("gloo", init_method=f"file://{path}", world_size=1, rank=0)
    >>> t = ember.ones(3)
    >>> dist.all_reduce(t); t
    tensor([1., 1., 1.])
    >>> dist.destroy_process_group()
"""

from __future__ import annotations

from ._collectives import (
    ReduceOp,
    Work,
    all_gather,
    all_gather_object,
    all_reduce,
    all_reduce_coalesced,
    barrier,
    broadcast,
    broadcast_object_list,
    gather,
    reduce,
    scatter,
)
from ._group import ProcessGroup
from ._init import (
    Backend,
    GroupMember,
    default_pg_timeout,
    destroy_process_group,
    get_backend,
    get_rank,
    get_world_size,
    group,
    init_process_group,
    is_gloo_available,
    is_initialized,
    is_mpi_available,
    is_nccl_available,
    is_torchelastic_launched,
)
from ._store import FileStore, Store, TCPStore

__all__ = [
    "Backend",
    "FileStore",
    "GroupMember",
    "ProcessGroup",
    "ReduceOp",
    "Store",
    "TCPStore",
    "Work",
    "all_gather",
    "all_gather_object",
    "all_reduce",
    "all_reduce_coalesced",
    "barrier",
    "broadcast",
    "broadcast_object_list",
    "default_pg_timeout",
    "destroy_process_group",
    "gather",
    "get_backend",
    "get_rank",
    "get_world_size",
    "group",
    "init_process_group",
    "is_available",
    "is_gloo_available",
    "is_initialized",
    "is_mpi_available",
    "is_nccl_available",
    "is_torchelastic_launched",
    "reduce",
    "scatter",
]


def is_available() -> bool:
    """Whether ``ember.distributed`` can be used (always ``True``: it needs only the
    standard library).

    Examples:
        >>> ember.distributed.is_available()
        True
    """
    return True
