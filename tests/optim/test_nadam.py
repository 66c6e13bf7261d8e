"""NAdam against PyTorch: trajectories, state dicts, resuming, the reference backend."""

from __future__ import annotations

import pytest

NADAM_CASES = [
    {'lr': 0.05},
    {'lr': 0.05, 'momentum_decay': 0.01},
    {'lr': 0.05, 'weight_decay': 0.1},
    {'lr': 0.05, 'weight_decay': 0.1, 'decoupled_weight_decay': True},
    {'lr': 0.01, 'maximize': True},
]


@pytest.mark.parametrize("kwargs", NADAM_CASES, ids=str)
def test_nadam_matches_torch(harness, kwargs):
    harness.check("NAdam", kwargs)


def test_nadam_on_reference_backend(harness):
    harness.check_ref("NAdam", {'lr': 0.05})
