"""Every optimizer of ``ember.optim`` on the backend under test against the reference backend.

Each configuration of :data:`~._training.OPTIMIZERS` (every optimizer class, with its
options: momentum, Nesterov, AMSGrad, decoupled weight decay, centering, L-BFGS's line
search, ...) takes a few steps on the same small problem from the same seed on both
backends, in float32 and float64: the loss of every step and the parameters at the end
must agree within the per-dtype tolerances. Ids read ``test_optimizer[Adam-float32]``.
"""

from __future__ import annotations

from typing import Any

import pytest

from ._models import against_reference, params
from ._training import OPTIMIZERS, optimizer_names, run_training


@pytest.mark.parametrize("spec", params(OPTIMIZERS))
def test_optimizer(spec: Any, ember_suite: Any, request: pytest.FixtureRequest) -> None:
    against_reference(run_training, spec, ember_suite, request)


def test_every_optimizer_is_covered() -> None:
    import ember

    classes = {n for n in ember.optim.__all__ if isinstance(getattr(ember.optim, n), type)
               and issubclass(getattr(ember.optim, n), ember.optim.Optimizer)}
    missing = sorted(classes - {"Optimizer"} - optimizer_names())
    assert not missing, f"optimizers of ember.optim without a case in OPTIMIZERS: {missing}"
