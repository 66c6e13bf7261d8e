"""Noticing worker processes that die: a fault handler in the worker, a check in the main process.

PyTorch installs a SIGCHLD handler (in C) that raises as soon as a worker dies. Ember polls
instead: while the main process waits for a batch it wakes every
``MAIN_POLL_INTERVAL`` seconds and calls :func:`error_if_any_worker_fails`, which reads
the exit status that ``multiprocessing`` collected and raises with PyTorch's message. In the
worker, :func:`set_worker_signal_handlers` enables :mod:`faulthandler`, so a segmentation
fault prints the worker's Python traceback before the process dies by the signal.
"""

from __future__ import annotations

import faulthandler
import signal
from collections.abc import Sequence
from typing import Any

__all__ = ["error_if_any_worker_fails", "set_worker_signal_handlers"]


def set_worker_signal_handlers() -> None:
    """In a worker: dump the Python traceback on a fatal signal (SIGSEGV, SIGBUS, SIGFPE, ...)."""
    try:
        faulthandler.enable()
    except (RuntimeError, ValueError, OSError):  # no usable stderr (e.g. closed): do without
        pass


def _signal_name(signum: int) -> str:
    try:
        return signal.strsignal(signum) or signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def error_if_any_worker_fails(workers: Sequence[Any], active: Sequence[bool]) -> None:
    """Raise ``RuntimeError`` if a worker died by a signal or an error exit, or if a worker
    that should still be running (``active``) has exited.

    Args:
        workers: the ``multiprocessing.Process`` objects.
        active: for each, whether it is expected to be alive.
    """
    for w, expected_alive in zip(workers, active):
        code = w.exitcode  # polls the child without blocking
        if code is None:
            continue
        if code < 0:
            name = _signal_name(-code)
            hint = (" It is possible that dataloader's workers are out of shared memory. "
                    "Please try to raise your shared memory limit."
                    if -code == getattr(signal, "SIGBUS", None) else "")
            raise RuntimeError(f"DataLoader worker (pid {w.pid}) is killed by signal: "
                               f"{name}.{hint}")
        if code > 0:
            raise RuntimeError(f"DataLoader worker (pid {w.pid}) exited unexpectedly with exit "
                               f"code {code}. Details are lost due to multiprocessing. "
                               "Rerunning with num_workers=0 may give better error trace.")
        if expected_alive:
            raise RuntimeError(f"DataLoader worker (pid(s) {w.pid}) exited unexpectedly")
