"""Rprop against PyTorch: trajectories, state dicts, resuming, the reference backend."""

from __future__ import annotations

import pytest

RPROP_CASES = [
    {'lr': 0.05},
    {'lr': 0.05, 'etas': (0.3, 1.5)},
    {'lr': 0.05, 'step_sizes': (0.001, 0.06)},
    {'lr': 0.01, 'maximize': True},
]


@pytest.mark.parametrize("kwargs", RPROP_CASES, ids=str)
def test_rprop_matches_torch(harness, kwargs):
    harness.check("Rprop", kwargs)


def test_rprop_on_reference_backend(harness):
    harness.check_ref("Rprop", {'lr': 0.05})
