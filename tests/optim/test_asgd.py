"""ASGD against PyTorch: trajectories, state dicts, resuming, the reference backend."""

from __future__ import annotations

import pytest

ASGD_CASES = [
    {'lr': 0.05},
    {'lr': 0.05, 't0': 4},
    {'lr': 0.05, 'lambd': 0.01, 'alpha': 0.5, 't0': 2},
    {'lr': 0.05, 'weight_decay': 0.1, 't0': 3},
    {'lr': 0.01, 'maximize': True},
]


@pytest.mark.parametrize("kwargs", ASGD_CASES, ids=str)
def test_asgd_matches_torch(harness, kwargs):
    harness.check("ASGD", kwargs)


def test_asgd_on_reference_backend(harness):
    harness.check_ref("ASGD", {'lr': 0.05, 't0': 1})
