"""``nn.functional.conv2d`` forward and backward: tiny (the reference backend too), the
digits-like (64,1,8,8) batch, and (16,16,32,32) with 32 filters.

Run: ``pytest benchmarks/test_conv.py --benchmark-only`` (see ``conftest.py``).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import cases, run_case

from ember.bench import Workload


@pytest.mark.parametrize(("workload", "impl"), cases("conv"))
def test_conv(benchmark: Any, workload: Workload, impl: str) -> None:
    run_case(benchmark, workload, impl)
