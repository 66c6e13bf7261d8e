"""Full training steps (zero_grad, forward, cross-entropy, backward, SGD step): an MLP, a small
CNN on 8x8 one-channel images (batch 64), and an LSTM over (batch 32, seq 20, feat 16).

Run: ``pytest benchmarks/test_training.py --benchmark-only`` (see ``conftest.py``).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import cases, run_case

from ember.bench import Workload


@pytest.mark.parametrize(("workload", "impl"), cases("training"))
def test_training(benchmark: Any, workload: Workload, impl: str) -> None:
    run_case(benchmark, workload, impl)
