"""Data-loading workloads: shuffled epochs of ``DataLoader(TensorDataset)`` in the main
process, and worker processes hiding a slow ``__getitem__``.

# NOTE [ Worker throughput as two rows ]
The table gives Ember's time over PyTorch's, so the worker speed-up is measured as two rows
that differ only in ``num_workers`` (0 and 2) over the same dataset, whose ``__getitem__``
sleeps 1 ms. Each row compares like with like (PyTorch runs the same loader), and the ratio
of the two rows' Ember times (the time column) is the throughput gain of two workers over
the single-process loader. The NumPy baseline of both rows is the bare serial loop (every
sleep, no loader), so the 0-worker row's NumPy ratio is the loader's own overhead and the
2-worker row's is the inverse of the speed-up over the ideal single process. The workers are
persistent, so an epoch times the steady state, not process start-up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ._workload import data, labels, put, register

_N, _F, _BATCH = 4096, 64, 64
_MNIST_N, _MNIST_F = 60_000, 784
_SLOW_N, _SLOW_SLEEP = 512, 1e-3


def _epoch_np(n: int, f: int) -> Callable[[Any], Callable[[], Any]]:
    def setup(np: Any) -> Callable[[], Any]:
        x, y = data(n, f), labels(n, 10)
        rng = np.random.default_rng(0)

        def epoch() -> int:
            perm = rng.permutation(n)
            count = 0
            for i in range(0, n, _BATCH):
                idx = perm[i:i + _BATCH]
                xb, _yb = x[idx], y[idx]
                count += len(xb)
            return count

        return epoch

    return setup


def _tensor_epoch(T: Any, device: str, n: int, f: int) -> Callable[[], Any]:
    utils = T.utils.data
    dataset = utils.TensorDataset(put(T, data(n, f), device),
                                  T.tensor(labels(n, 10), device=device))
    loader = utils.DataLoader(dataset, batch_size=_BATCH, shuffle=True, num_workers=0)

    def epoch() -> int:
        count = 0
        for xb, _yb in loader:
            count += len(xb)
        return count

    return epoch


@register("dataloader", f"TensorDataset ({_N},{_F}) batch {_BATCH} shuffled epoch",
          numpy=_epoch_np(_N, _F))
def _epoch(T: Any, device: str) -> Callable[[], Any]:
    return _tensor_epoch(T, device, _N, _F)


@register("dataloader", f"TensorDataset ({_MNIST_N},{_MNIST_F}) batch {_BATCH} shuffled epoch",
          numpy=_epoch_np(_MNIST_N, _MNIST_F))
def _mnist_epoch(T: Any, device: str) -> Callable[[], Any]:
    return _tensor_epoch(T, device, _MNIST_N, _MNIST_F)


class _SleepyDataset:
    """``_SLOW_N`` samples (their indices); reading one sleeps ``_SLOW_SLEEP`` seconds, as a
    dataset decoding files would. Module level, so worker processes can unpickle it."""

    def __len__(self) -> int:
        return _SLOW_N

    def __getitem__(self, index: int) -> int:
        time.sleep(_SLOW_SLEEP)
        return index


def _serial_sleeps(np: Any) -> Callable[[], Any]:
    dataset = _SleepyDataset()

    def epoch() -> int:
        return sum(dataset[i] for i in range(len(dataset)))

    return epoch


def _sleepy(workers: int) -> Callable[[Any, str], Callable[[], Any]]:
    def setup(T: Any, device: str) -> Callable[[], Any]:
        kwargs = {"persistent_workers": True} if workers else {}
        loader = T.utils.data.DataLoader(_SleepyDataset(), batch_size=_BATCH,
                                         num_workers=workers, **kwargs)

        def epoch() -> int:
            count = 0
            for batch in loader:
                count += len(batch)
            return count

        return epoch

    return setup


for _workers in (0, 2):  # NOTE [ Worker throughput as two rows ]
    register("dataloader", f"sleep-1ms dataset ({_SLOW_N}) batch {_BATCH} "
             f"num_workers={_workers}", numpy=_serial_sleeps)(_sleepy(_workers))
