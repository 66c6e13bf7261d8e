"""Whole training runs on the backend under test against the reference backend.

An MLP and a small CNN (8x8 one-channel images, conv 1->4->8 channels, 4 classes,
batches of 8) train for 20 steps with cross-entropy, once with SGD with momentum and
once with Adam, from the same seed and on the same batches on both backends, in float32
and float64 (the CNN in float32 only: see ``_training.RUNS``). The loss of every step and
the parameters at the end must agree within the per-dtype tolerances: a kernel that is
slightly off anywhere in forward, backward or the update shows up here even when each op
passes on its own. Ids read ``test_training_run[cnn-adam-float32]``.
"""

from __future__ import annotations

from typing import Any

import pytest

from ._models import against_reference, params
from ._training import RUNS, run_training


@pytest.mark.parametrize("spec", params(RUNS))
def test_training_run(spec: Any, ember_suite: Any, request: pytest.FixtureRequest) -> None:
    got = against_reference(run_training, spec, ember_suite, request)
    losses = [h.values[0] for h in got["losses"]]
    assert sum(losses[-5:]) < sum(losses[:5]), (
        f"{spec[0].name}: the loss did not go down ({losses[0]:.4f} -> {losses[-1]:.4f}): the "
        f"run checks nothing when the model does not train")
