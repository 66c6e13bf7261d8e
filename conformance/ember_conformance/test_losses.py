"""Every loss of ``ember.nn`` on the backend under test against the reference backend.

Each case of :data:`~._modcases.LOSSES` (every loss class, with its options:
``label_smoothing``, ``ignore_index``, ``weight``, ``pos_weight``, reductions,
probability targets, ...) runs forward and backward on both backends in float32 and
float64: the loss and the gradients of its floating inputs must agree within the
per-dtype tolerances. Ids read ``test_loss[CrossEntropyLoss-ignore-index-float32]``.
"""

from __future__ import annotations

from typing import Any

import pytest

from ._modcases import LOSSES, loss_names
from ._models import against_reference, params, run_module


@pytest.mark.parametrize("spec", params(LOSSES))
def test_loss(spec: Any, ember_suite: Any, request: pytest.FixtureRequest) -> None:
    against_reference(run_module, spec, ember_suite, request)


def test_every_loss_is_covered() -> None:
    import ember

    losses = {n for n in ember.nn.modules.__all__ if n.endswith("Loss")}
    missing = sorted(losses - loss_names())
    assert not missing, f"losses of ember.nn without a case in _modcases.LOSSES: {missing}"
