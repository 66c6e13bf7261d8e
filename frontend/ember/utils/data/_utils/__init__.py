"""The DataLoader's machinery, one concern per module.

``collate`` (batching samples), ``fetch`` (reading samples from a dataset), ``worker`` (the
worker-process loop and :func:`get_worker_info`), ``errors`` (exceptions crossing processes),
``signal_handling`` (noticing dead workers), ``pin_memory``, and the iterators the DataLoader
returns: ``iterators`` (the base and the single-process one) and ``multiprocessing_iter``.
"""

from __future__ import annotations

import atexit
import multiprocessing.util  # noqa: F401  (registers its atexit hook before ours)
import sys

IS_WINDOWS = sys.platform == "win32"

#: How long (seconds) the main process waits for a worker to exit before terminating it,
#: and between its status checks when it waits without a timeout.
MP_STATUS_CHECK_INTERVAL = 5.0

#: How often (seconds) the main process checks that its workers are alive while waiting.
MAIN_POLL_INTERVAL = 0.1

#: How often (seconds) an idle worker checks that its parent is alive and that the main
#: process has not shut it down (see NOTE [ Worker protocol ] in ``worker``).
WORKER_POLL_INTERVAL = 0.25

# NOTE [ Python exit status ]
# At interpreter exit, module globals may already be torn down when an iterator's __del__
# runs; the multiprocessing atexit hook then terminates the (daemonic) workers itself. This
# flag, set by an atexit hook registered after multiprocessing's (hooks run last-in first-out,
# so ours runs first), tells
# ``_shutdown_workers`` to leave the workers to that hook.
python_exit_status = False


def _set_python_exit_flag() -> None:
    global python_exit_status
    python_exit_status = True


atexit.register(_set_python_exit_flag)

from . import collate, errors, fetch, pin_memory, signal_handling, worker  # noqa: E402

__all__ = ["collate", "errors", "fetch", "pin_memory", "signal_handling", "worker"]
