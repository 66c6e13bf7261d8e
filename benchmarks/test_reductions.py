"""Reductions: a tiny sum (overhead), then sum, mean, amax, var and logsumexp over 1e6 elements.

Run: ``pytest benchmarks/test_reductions.py --benchmark-only`` (see ``conftest.py``).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import cases, run_case

from ember.bench import Workload


@pytest.mark.parametrize(("workload", "impl"), cases("reductions"))
def test_reductions(benchmark: Any, workload: Workload, impl: str) -> None:
    run_case(benchmark, workload, impl)
