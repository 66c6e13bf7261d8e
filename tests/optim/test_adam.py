"""Adam and AdamW against PyTorch: trajectories, state dicts, resuming, the reference backend."""

from __future__ import annotations

import pytest

ADAM_CASES = [
    {'lr': 0.05},
    {'lr': 0.05, 'amsgrad': True},
    {'lr': 0.05, 'betas': (0.8, 0.95), 'eps': 1e-06},
    {'lr': 0.05, 'weight_decay': 0.1},
    {'lr': 0.05, 'weight_decay': 0.1, 'decoupled_weight_decay': True},
    {'lr': 0.01, 'maximize': True, 'amsgrad': True},
]


@pytest.mark.parametrize("kwargs", ADAM_CASES, ids=str)
def test_adam_matches_torch(harness, kwargs):
    harness.check("Adam", kwargs)


ADAMW_CASES = [
    {'lr': 0.05},
    {'lr': 0.05, 'weight_decay': 0.1, 'amsgrad': True},
    {'lr': 0.05, 'weight_decay': 0.0},
    {'lr': 0.01, 'maximize': True},
]


@pytest.mark.parametrize("kwargs", ADAMW_CASES, ids=str)
def test_adamw_matches_torch(harness, kwargs):
    harness.check("AdamW", kwargs)


def test_adam_on_reference_backend(harness):
    harness.check_ref("Adam", {'lr': 0.05, 'amsgrad': True})
