"""Data loading (``ember/_bench/_dataloader.py``): shuffled epochs of
``DataLoader(TensorDataset(x, y), batch_size=64, num_workers=0)`` over 4096 x 64 and
60,000 x 784 (MNIST-sized) float32 samples, against a hand-written NumPy
permutation-and-slice loop; and a dataset whose ``__getitem__`` sleeps 1 ms, loaded with
``num_workers=0`` and with 2 (persistent) workers, against the bare serial loop (NOTE
[ Worker throughput as two rows ]: the two rows' Ember times give the workers' speed-up).

Run: ``pytest benchmarks/test_dataloader.py --benchmark-only`` (see ``conftest.py``).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import cases, run_case

from ember.bench import Workload


@pytest.mark.parametrize(("workload", "impl"), cases("dataloader"))
def test_dataloader(benchmark: Any, workload: Workload, impl: str) -> None:
    run_case(benchmark, workload, impl)
