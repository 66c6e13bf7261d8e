"""Random numbers: :class:`Generator`, seeding, and the sampling functions.

One counter-based generator (Philox4x32-10) drives everything, and the same seed gives
bit-identical values on every backend; see NOTE [ Random streams ] in ``_generator`` and
NOTE [ Random distributions ] in ``_draw``. The values differ from PyTorch's.
"""

from . import _inplace  # noqa: F401  (registers Tensor.uniform_, normal_, ...)
from ._discrete import bernoulli, multinomial
from ._functions import (
    normal,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
)
from ._generator import (
    Generator,
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)

__all__ = [
    "Generator",
    "bernoulli",
    "default_generator",
    "get_rng_state",
    "initial_seed",
    "manual_seed",
    "multinomial",
    "normal",
    "rand",
    "rand_like",
    "randint",
    "randint_like",
    "randn",
    "randn_like",
    "randperm",
    "seed",
    "set_rng_state",
]
