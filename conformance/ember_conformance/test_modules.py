"""Layers of ``ember.nn`` on the backend under test against the reference backend.

Each layer of :data:`~._modcases.LAYERS` is built from the same seed on both (see
``NOTE [ Same seed, same model ]`` in ``_models.py``), in float32 and float64; the
parameters as built, the forward's outputs, the gradients of a weighted sum of the
outputs for the inputs and every parameter, and the buffers afterwards (running
statistics) must agree within the per-dtype tolerances. Ids read
``test_module[Conv2d-float32]``.
"""

from __future__ import annotations

from typing import Any

import pytest

from ._modcases import LAYERS
from ._models import against_reference, params, run_module


@pytest.mark.parametrize("spec", params(LAYERS))
def test_module(spec: Any, ember_suite: Any, request: pytest.FixtureRequest) -> None:
    against_reference(run_module, spec, ember_suite, request)
