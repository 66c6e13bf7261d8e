"""Elementwise ops: per-op overhead on 8x8 tensors (one op and a 200-op chain), throughput
on 1e6 elements (mul, broadcast add, exp).

Run: ``pytest benchmarks/test_elementwise.py --benchmark-only`` (see ``conftest.py``).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import cases, run_case

from ember.bench import Workload


@pytest.mark.parametrize(("workload", "impl"), cases("elementwise"))
def test_elementwise(benchmark: Any, workload: Workload, impl: str) -> None:
    run_case(benchmark, workload, impl)
