"""Data-loading workload: one shuffled epoch of ``DataLoader(TensorDataset)`` in the main
process (``num_workers=0``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._workload import data, labels, put, register

_N, _F, _BATCH = 4096, 64, 64


def _epoch_np(np: Any) -> Callable[[], Any]:
    x, y = data(_N, _F), labels(_N, 10)
    rng = np.random.default_rng(0)

    def epoch() -> int:
        perm = rng.permutation(_N)
        count = 0
        for i in range(0, _N, _BATCH):
            idx = perm[i:i + _BATCH]
            xb, _yb = x[idx], y[idx]
            count += len(xb)
        return count

    return epoch


@register("dataloader", f"TensorDataset ({_N},{_F}) batch {_BATCH} shuffled epoch",
          numpy=_epoch_np)
def _epoch(T: Any, device: str) -> Callable[[], Any]:
    utils = T.utils.data
    dataset = utils.TensorDataset(put(T, data(_N, _F), device),
                                      T.tensor(labels(_N, 10), device=device))
    loader = utils.DataLoader(dataset, batch_size=_BATCH, shuffle=True, num_workers=0)

    def epoch() -> int:
        count = 0
        for xb, _yb in loader:
            count += len(xb)
        return count

    return epoch
