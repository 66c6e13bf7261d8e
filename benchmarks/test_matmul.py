"""Matrix products: 16x16 (overhead), 512x512, a batched 32x(64x64), and a linear layer
forward and backward.

Run: ``pytest benchmarks/test_matmul.py --benchmark-only`` (see ``conftest.py``).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import cases, run_case

from ember.bench import Workload


@pytest.mark.parametrize(("workload", "impl"), cases("matmul"))
def test_matmul(benchmark: Any, workload: Workload, impl: str) -> None:
    run_case(benchmark, workload, impl)
