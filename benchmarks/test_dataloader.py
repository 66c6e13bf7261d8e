"""Data loading: one shuffled epoch of ``DataLoader(TensorDataset(x, y), batch_size=64,
num_workers=0)`` over 4096 samples, against a hand-written NumPy permutation-and-slice loop.

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
