"""RMSprop against PyTorch: trajectories, state dicts, resuming, the reference backend."""

from __future__ import annotations

import pytest

RMSPROP_CASES = [
    {},
    {'lr': 0.01, 'alpha': 0.9},
    {'lr': 0.01, 'centered': True},
    {'lr': 0.01, 'momentum': 0.9},
    {'lr': 0.01, 'momentum': 0.9, 'centered': True, 'weight_decay': 0.1},
    {'lr': 0.01, 'maximize': True},
]


@pytest.mark.parametrize("kwargs", RMSPROP_CASES, ids=str)
def test_rmsprop_matches_torch(harness, kwargs):
    harness.check("RMSprop", kwargs)


def test_rmsprop_on_reference_backend(harness):
    harness.check_ref("RMSprop", {'lr': 0.01, 'momentum': 0.9, 'centered': True})
