"""Adadelta against PyTorch: trajectories, state dicts, resuming, the reference backend."""

from __future__ import annotations

import pytest

ADADELTA_CASES = [
    {},
    {'lr': 0.5, 'rho': 0.8},
    {'lr': 1.0, 'weight_decay': 0.1, 'eps': 0.0001},
    {'lr': 0.5, 'maximize': True},
]


@pytest.mark.parametrize("kwargs", ADADELTA_CASES, ids=str)
def test_adadelta_matches_torch(harness, kwargs):
    harness.check("Adadelta", kwargs)


def test_adadelta_on_reference_backend(harness):
    harness.check_ref("Adadelta", {'lr': 0.5, 'rho': 0.8})
