"""The issues' benchmark targets at their exact sizes: MLP 784-256-128-10 (batch 512), the
CNN on 28x28 images (batch 64), a 2-layer LSTM (hidden 128, seq 32, batch 32), forward and
backward, and Adam's step over the MLP's parameters.

Run: ``pytest benchmarks/test_targets.py --benchmark-only`` (see ``conftest.py``).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import cases, run_case

from ember.bench import Workload


@pytest.mark.parametrize(("workload", "impl"), cases("targets"))
def test_targets(benchmark: Any, workload: Workload, impl: str) -> None:
    run_case(benchmark, workload, impl)
