"""Adamax against PyTorch: trajectories, state dicts, resuming, the reference backend."""

from __future__ import annotations

import pytest

ADAMAX_CASES = [
    {'lr': 0.05},
    {'lr': 0.05, 'betas': (0.8, 0.9)},
    {'lr': 0.05, 'weight_decay': 0.1},
    {'lr': 0.01, 'maximize': True},
]


@pytest.mark.parametrize("kwargs", ADAMAX_CASES, ids=str)
def test_adamax_matches_torch(harness, kwargs):
    harness.check("Adamax", kwargs)


def test_adamax_on_reference_backend(harness):
    harness.check_ref("Adamax", {'lr': 0.05})
