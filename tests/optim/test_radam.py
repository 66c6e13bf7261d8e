"""RAdam against PyTorch: trajectories, state dicts, resuming, the reference backend."""

from __future__ import annotations

import pytest

RADAM_CASES = [
    {'lr': 0.05},
    {'lr': 0.05, 'betas': (0.8, 0.9)},
    {'lr': 0.05, 'weight_decay': 0.1},
    {'lr': 0.05, 'weight_decay': 0.1, 'decoupled_weight_decay': True},
    {'lr': 0.01, 'maximize': True},
]


@pytest.mark.parametrize("kwargs", RADAM_CASES, ids=str)
def test_radam_matches_torch(harness, kwargs):
    harness.check("RAdam", kwargs)


def test_radam_on_reference_backend(harness):
    harness.check_ref("RAdam", {'lr': 0.05, 'betas': (0.5, 0.6)})
