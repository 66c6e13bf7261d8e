"""Adagrad against PyTorch: trajectories, state dicts, resuming, the reference backend."""

from __future__ import annotations

import pytest

ADAGRAD_CASES = [
    {'lr': 0.1},
    {'lr': 0.1, 'lr_decay': 0.05},
    {'lr': 0.1, 'initial_accumulator_value': 0.3},
    {'lr': 0.1, 'weight_decay': 0.1, 'eps': 1e-06},
    {'lr': 0.05, 'maximize': True},
]


@pytest.mark.parametrize("kwargs", ADAGRAD_CASES, ids=str)
def test_adagrad_matches_torch(harness, kwargs):
    harness.check("Adagrad", kwargs)


def test_adagrad_on_reference_backend(harness):
    harness.check_ref("Adagrad", {'lr': 0.1, 'lr_decay': 0.05})
