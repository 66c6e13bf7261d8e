"""Autograd: a chain of 200 small elementwise ops on a (64,64) float32 tensor that requires
grad, then ``.backward()`` (the target: at most 1.5x PyTorch CPU on the NumPy backend); the
same on 8x8 (reference backend too); and a 100,000-op chain that must backpropagate without
recursion, timed once.

Run: ``pytest benchmarks/test_autograd.py --benchmark-only`` (see ``conftest.py``).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import cases, run_case

from ember.bench import Workload


@pytest.mark.parametrize(("workload", "impl"), cases("autograd"))
def test_autograd(benchmark: Any, workload: Workload, impl: str) -> None:
    run_case(benchmark, workload, impl)
