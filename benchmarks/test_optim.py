"""Optimizer steps over the parameters of ``Linear(64,128)-ReLU-Linear(128,128)-ReLU-
Linear(128,10)`` with fixed gradients: Adam (target: at most 1.2x PyTorch's single-tensor
``foreach=False`` path) and SGD with momentum.

Run: ``pytest benchmarks/test_optim.py --benchmark-only`` (see ``conftest.py``).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import cases, run_case

from ember.bench import Workload


@pytest.mark.parametrize(("workload", "impl"), cases("optim"))
def test_optim(benchmark: Any, workload: Workload, impl: str) -> None:
    run_case(benchmark, workload, impl)
