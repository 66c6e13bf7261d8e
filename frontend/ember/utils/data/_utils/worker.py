"""The worker process: its loop, its seeding, and :func:`get_worker_info`.

# NOTE [ Worker protocol ]
Each worker owns an index queue; all workers share one result queue. The main process puts
``(task_idx, index)`` on a worker's index queue and the worker answers
``(task_idx, batch)`` on the result queue, where ``batch`` may be an
:class:`~.errors.ExceptionWrapper` (the fetch raised) or an
:class:`_IterableDatasetStopIteration` (its copy of an iterable dataset is exhausted).
Other messages on the index queue:

* :class:`_ResumeIteration` -- a new epoch with persistent workers: rebuild the fetcher and
  acknowledge by echoing it on the result queue (the main process drops every result that
  precedes the echo: leftovers of an epoch that was broken off).
* ``None`` -- exit. Once ``done_event`` is set the worker stops fetching, and it does not
  wait at exit for its unread results to be flushed (``cancel_join_thread``).

An idle worker wakes every ``WORKER_POLL_INTERVAL`` seconds; it exits when its parent is
gone (:class:`ManagerWatchdog`) or when ``done_event`` is set and no ``None`` came. The
``None`` can be lost: when the iterator is collected as part of a reference cycle (say,
through the traceback of an exception it raised), the garbage collector runs the weakref
finalizers of its index queues, which stop their feeder threads, before the iterator's
``__del__`` puts ``None`` on them.
"""

from __future__ import annotations

import os
import queue
import random
from dataclasses import dataclass
from typing import Any

import ember

from . import WORKER_POLL_INTERVAL, signal_handling
from .errors import ExceptionWrapper
from .fetch import DatasetKind, create_fetcher

__all__ = ["WorkerInfo", "get_worker_info"]


class ManagerWatchdog:
    """Tells a worker whether the process that started it is still alive."""

    def __init__(self) -> None:
        self.manager_pid = os.getppid()
        self.manager_dead = False

    def is_alive(self) -> bool:
        if not self.manager_dead:
            self.manager_dead = os.getppid() != self.manager_pid
        return not self.manager_dead


@dataclass(frozen=True)
class WorkerInfo:
    """What a DataLoader worker process knows about itself (see :func:`get_worker_info`).

    Attributes:
        id (int): the worker's index, in ``range(num_workers)``.
        num_workers (int): how many workers the DataLoader runs.
        seed (int): the seed of this worker (``base_seed + id``), which seeded Python's
            :mod:`random` and Ember's default generator in it.
        dataset: this worker's copy of the dataset.
    """

    id: int
    num_workers: int
    seed: int
    dataset: Any


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """The :class:`WorkerInfo` of the current DataLoader worker process; ``None`` in the
    main process.

    Use it in an :class:`~ember.utils.data.IterableDataset`'s ``__iter__`` or in
    ``worker_init_fn`` to give each worker its own share of the data, or its own seed.

    Example:
        >>> from ember.utils.data import get_worker_info
        >>> get_worker_info() is None    # the main process
        True
    """
    return _worker_info


@dataclass(frozen=True)
class _IterableDatasetStopIteration:
    """The answer of a worker whose copy of an iterable dataset is exhausted."""

    worker_id: int


@dataclass(frozen=True)
class _ResumeIteration:
    """Start a new epoch (persistent workers): rebuild the fetcher and echo this back."""


def _seed_worker(seed: int) -> None:
    """Seed Python's ``random`` and Ember's default generators (NumPy is left alone, as in
    PyTorch: a NumPy-based dataset must seed itself, e.g. from ``get_worker_info().seed``)."""
    random.seed(seed)
    ember.manual_seed(seed)


def _worker_loop(dataset_kind: int, dataset: Any, index_queue: Any, data_queue: Any,
                 done_event: Any, auto_collation: bool, collate_fn: Any, drop_last: bool,
                 base_seed: int, init_fn: Any, worker_id: int, num_workers: int) -> None:
    """The body of a worker process; see NOTE [ Worker protocol ]."""
    global _worker_info
    try:
        signal_handling.set_worker_signal_handlers()
        seed = base_seed + worker_id
        _seed_worker(seed)
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed,
                                  dataset=dataset)
        init_exception = None
        fetcher = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
            fetcher = create_fetcher(dataset_kind, dataset, auto_collation, collate_fn,
                                     drop_last)
        except Exception:
            # Reported as the answer to the first task, so the main process raises it.
            init_exception = ExceptionWrapper(where=f"in DataLoader worker process {worker_id}")

        iteration_end = False
        watchdog = ManagerWatchdog()
        while watchdog.is_alive():
            try:
                r = index_queue.get(timeout=WORKER_POLL_INTERVAL)
            except queue.Empty:
                if done_event.is_set():
                    break  # shut down, and the None was lost (see the NOTE above)
                continue
            if isinstance(r, _ResumeIteration):
                data_queue.put((r, None))
                iteration_end = False
                fetcher = create_fetcher(dataset_kind, dataset, auto_collation, collate_fn,
                                         drop_last)
                continue
            if r is None:
                break
            if done_event.is_set() or iteration_end:
                continue  # shutting down, or nothing more to give this epoch
            idx, index = r
            data: Any
            if init_exception is not None:
                data, init_exception = init_exception, None
            else:
                try:
                    data = fetcher.fetch(index)  # type: ignore[union-attr]
                except Exception as e:
                    if isinstance(e, StopIteration) and dataset_kind == DatasetKind.Iterable:
                        data = _IterableDatasetStopIteration(worker_id)
                        iteration_end = True
                    else:
                        data = ExceptionWrapper(where=f"in DataLoader worker process {worker_id}")
            data_queue.put((idx, data))
            del data, idx, index, r  # do not hold the batch while waiting for the next task
    except KeyboardInterrupt:
        pass  # the main process got the interrupt too and shuts the workers down
    if done_event.is_set():
        data_queue.cancel_join_thread()
        data_queue.close()
