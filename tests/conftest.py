"""Shared fixtures for the frontend tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def torch():
    """PyTorch, the differential-testing oracle (tests using it skip where it is absent)."""
    return pytest.importorskip("torch", reason="PyTorch 2.13 is the test oracle (pip install "
                                               "torch==2.13.0, part of the 'test' extra)")
