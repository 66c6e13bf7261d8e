"""Loading batches in worker processes (``num_workers > 0``).

# NOTE [ Multi-process loading ]
Task ``k`` (the ``k``-th index the sampler yields) goes to worker ``k % num_workers`` (the
next active one), and ``prefetch_factor * num_workers`` tasks are outstanding at any time:
each batch handed to the caller sends one new task. Results arrive on one shared queue in
whatever order the workers finish; with ``in_order=True`` a result that comes early waits
in ``_task_info`` until every earlier task has been yielded. See NOTE [ Worker protocol ] in
``worker`` for the messages.

A worker's exception comes back as an ``ExceptionWrapper`` and is raised here, at the
batch it belongs to. A worker that dies is noticed while waiting (every
``MAIN_POLL_INTERVAL`` seconds, see ``signal_handling``). Workers are shut down at the
end of an epoch (unless persistent), when the iterator is garbage-collected (``__del__``),
and after an error: each is asked to exit, joined with a timeout, and terminated if it
lingers, so no child process outlives its iterator.
"""

from __future__ import annotations

import itertools
import multiprocessing
import queue
import time
from typing import TYPE_CHECKING, Any

from .. import _utils as _state  # for python_exit_status, read when shutting down
from . import MAIN_POLL_INTERVAL, MP_STATUS_CHECK_INTERVAL, signal_handling
from . import pin_memory as _pin
from . import worker as _worker
from .errors import ExceptionWrapper
from .fetch import DatasetKind
from .iterators import _BaseDataLoaderIter

if TYPE_CHECKING:
    from ..dataloader import DataLoader

__all__: list[str] = []


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    """Loads batches in ``num_workers`` processes; see NOTE [ Multi-process loading ]."""

    def __init__(self, loader: DataLoader) -> None:
        super().__init__(loader)
        self._prefetch_factor: int = loader.prefetch_factor  # type: ignore[assignment]
        self._in_order = loader.in_order
        if self._num_workers <= 0:
            raise AssertionError("num_workers must be greater than 0 for "
                                 "MultiProcessingDataLoaderIter")
        if self._prefetch_factor <= 0:
            raise AssertionError("prefetch_factor must be greater than 0 for "
                                 "MultiProcessingDataLoaderIter")
        context = loader.multiprocessing_context or multiprocessing.get_context()
        self._worker_init_fn = loader.worker_init_fn
        self._shutdown = False
        self._workers: list[Any] = []
        self._workers_status = [True] * self._num_workers
        self._index_queues: list[Any] = []
        self._data_queue = context.Queue()
        self._workers_done_event = context.Event()
        try:
            for i in range(self._num_workers):
                index_queue = context.Queue()
                index_queue.cancel_join_thread()  # never block exit on unread indices
                w = context.Process(
                    target=_worker._worker_loop,
                    args=(self._dataset_kind, self._dataset, index_queue, self._data_queue,
                          self._workers_done_event, self._auto_collation, self._collate_fn,
                          self._drop_last, self._base_seed, self._worker_init_fn, i,
                          self._num_workers),
                    daemon=True)
                w.start()
                self._index_queues.append(index_queue)
                self._workers.append(w)
        except BaseException:
            self._shutdown_workers()
            raise
        self._reset(loader, first_iter=True)

    def _reset(self, loader: DataLoader, first_iter: bool = False) -> None:
        super()._reset(loader, first_iter)
        self._send_idx = 0  # the task to send next
        self._rcvd_idx = 0  # the task to yield next
        # task -> (worker,) while outstanding, (worker, data) once it came out of order
        self._task_info: dict[int, tuple] = {}
        self._tasks_outstanding = 0
        self._workers_status = [True] * self._num_workers
        self._workers_num_tasks = [0] * self._num_workers
        self._worker_queue_idx_cycle = itertools.cycle(range(self._num_workers))
        if not first_iter:  # persistent workers: start a new epoch, drop last epoch's leftovers
            for q in self._index_queues:
                q.put(_worker._ResumeIteration())
            pending = self._num_workers
            while pending > 0:
                return_idx, _ = self._get_data()
                if isinstance(return_idx, _worker._ResumeIteration):
                    pending -= 1
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _try_get_data(self, timeout: float) -> tuple[bool, Any]:
        """Wait up to ``timeout`` seconds for a result, checking the workers are alive."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                return True, self._data_queue.get(
                    timeout=max(0.0, min(remaining, MAIN_POLL_INTERVAL)))
            except queue.Empty:
                pass
            try:
                signal_handling.error_if_any_worker_fails(self._workers, self._workers_status)
            except RuntimeError:
                self._shutdown_workers()
                raise
            if remaining <= MAIN_POLL_INTERVAL:
                return False, None

    def _get_data(self) -> Any:
        if self._timeout > 0:
            success, data = self._try_get_data(self._timeout)
            if success:
                return data
            self._shutdown_workers()
            raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")
        while True:
            success, data = self._try_get_data(MP_STATUS_CHECK_INTERVAL)
            if success:
                return data

    def _next_data(self) -> Any:
        while True:
            # Skip tasks that will never come: sent to a worker that has since stopped
            # (its iterable dataset ran out).
            while self._rcvd_idx < self._send_idx:
                info = self._task_info.get(self._rcvd_idx)
                if info:
                    if len(info) == 2 or self._workers_status[info[0]]:
                        break
                    del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
            else:
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration

            if len(self._task_info[self._rcvd_idx]) == 2:  # it came earlier, out of order
                worker_id, data = self._task_info.pop(self._rcvd_idx)
                self._rcvd_idx += 1
                return self._process_data(data, worker_id)

            if self._shutdown or self._tasks_outstanding <= 0:
                raise AssertionError("Invalid iterator state: shutdown or no outstanding tasks "
                                     "when fetching next data")
            idx, data = self._get_data()
            self._tasks_outstanding -= 1
            if (self._dataset_kind == DatasetKind.Iterable
                    and isinstance(data, _worker._IterableDatasetStopIteration)):
                if self._persistent_workers:
                    self._workers_status[data.worker_id] = False
                else:
                    self._mark_worker_as_unavailable(data.worker_id)
                self._try_put_index()
                continue
            if idx != self._rcvd_idx:
                if not self._in_order:
                    worker_id = self._task_info.pop(idx)[0]
                    return self._process_data(data, worker_id)
                self._task_info[idx] += (data,)
            else:
                worker_id = self._task_info.pop(idx)[0]
                self._rcvd_idx += 1
                return self._process_data(data, worker_id)

    def _try_put_index(self) -> None:
        max_tasks = self._prefetch_factor * self._num_workers
        if self._tasks_outstanding >= max_tasks:
            raise AssertionError("Number of outstanding tasks exceeded maximum allowed tasks")
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):  # the next active worker, if any
            worker_queue_idx = next(self._worker_queue_idx_cycle)
            if self._workers_status[worker_queue_idx]:
                if self._in_order or (self._workers_num_tasks[worker_queue_idx]
                                      < max_tasks // sum(self._workers_status)):
                    break
        else:
            return
        self._index_queues[worker_queue_idx].put((self._send_idx, index))
        self._task_info[self._send_idx] = (worker_queue_idx,)
        self._workers_num_tasks[worker_queue_idx] += 1
        self._tasks_outstanding += 1
        self._send_idx += 1

    def _process_data(self, data: Any, worker_idx: int) -> Any:
        self._workers_num_tasks[worker_idx] -= 1
        self._try_put_index()
        if isinstance(data, ExceptionWrapper):
            data.reraise()
        if self._pin_memory:
            data = _pin.pin_memory(data, self._pin_memory_device)
        return data

    def _mark_worker_as_unavailable(self, worker_id: int, shutdown: bool = False) -> None:
        """Tell a worker to exit (its iterable ran out, or we are shutting down)."""
        self._index_queues[worker_id].put(None)
        self._workers_status[worker_id] = False

    def _shutdown_workers(self) -> None:
        # NOTE [ Python exit status ] (in _utils): at interpreter exit, leave the workers to
        # multiprocessing, which terminates daemonic processes itself.
        if _state is None or _state.python_exit_status is not False or self._shutdown:
            return
        self._shutdown = True
        try:
            self._workers_done_event.set()
            for worker_id, w in enumerate(self._workers):
                if w.is_alive() and (self._persistent_workers
                                     or self._workers_status[worker_id]):
                    self._mark_worker_as_unavailable(worker_id, shutdown=True)
            for w in self._workers:
                w.join(timeout=MP_STATUS_CHECK_INTERVAL)
            for q in self._index_queues:
                q.cancel_join_thread()
                q.close()
        finally:
            for w in self._workers:
                if w.is_alive():  # it did not exit in time: end it
                    w.terminate()
                    w.join(timeout=MP_STATUS_CHECK_INTERVAL)
            self._data_queue.cancel_join_thread()
            self._data_queue.close()

    def __del__(self) -> None:
        if hasattr(self, "_shutdown"):  # __init__ may have failed before
            self._shutdown_workers()
