"""Fixtures for the pytest-benchmark suites (``pytest benchmarks --benchmark-only``).

Benchmarks are never part of the test run (STYLE rule 13): ``testpaths`` is ``tests``
and the Makefile runs this directory only in ``make bench``.
"""

from __future__ import annotations

from typing import Any

import pytest

SMALL = [[(i * 8 + j) / 64.0 for j in range(8)] for i in range(8)]
OTHER = [[(j - i) / 16.0 for j in range(8)] for i in range(8)]


@pytest.fixture(scope="session")
def torch() -> Any:
    return pytest.importorskip("torch", reason="PyTorch is the baseline (pip install torch)")


@pytest.fixture(scope="session")
def np() -> Any:
    return pytest.importorskip("numpy")


@pytest.fixture(scope="session")
def ember() -> Any:
    import ember

    return ember


def ember_pair(ember: Any, device: str) -> tuple[Any, Any]:
    """The chain workload's two 8x8 float32 operands on ``device`` (skip if unusable)."""
    try:
        return (ember.tensor(SMALL, dtype=ember.float32, device=device),
                ember.tensor(OTHER, dtype=ember.float32, device=device))
    except Exception as exc:
        pytest.skip(f"device {device!r} is unusable here: {exc}")
