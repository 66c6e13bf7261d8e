"""``ember.random``: seeding and state of the default generators (PyTorch's ``torch.random``).

Example:
    >>> import ember
    >>> _ = ember.random.manual_seed(0)
    >>> state = ember.random.get_rng_state()
    >>> a = ember.rand(2)
    >>> ember.random.set_rng_state(state)
    >>> ember.equal(a, ember.rand(2))
    True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from ._random._generator import (
    Generator,
    default_generator,
    default_generator_for,
    default_generators,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)

__all__ = ["Generator", "default_generator", "fork_rng", "get_rng_state", "initial_seed",
           "manual_seed", "seed", "set_rng_state"]


@contextlib.contextmanager
def fork_rng(devices: Iterable[Any] | None = None, enabled: bool = True, _caller: str = "fork_rng",
             _devices_kw: str = "devices", device_type: str = "cuda") -> Iterator[None]:
    """Run the ``with`` block and then restore the default generators' states.

    Args:
        devices: devices whose default generators are also restored (the CPU's always is);
            ``None`` restores every default generator.
        enabled: when False, do nothing.
        device_type: accepted for compatibility with PyTorch.

    Example:
        >>> import ember
        >>> with ember.random.fork_rng():
        ...     _ = ember.rand(3)
    """
    if not enabled:
        yield
        return
    if devices is None:
        gens = default_generators()
    else:
        gens = [default_generator] + [default_generator_for(d) for d in devices]
    saved = [(g, g.initial_seed(), g.get_offset()) for g in gens]
    try:
        yield
    finally:
        for g, s, off in saved:
            g.manual_seed(s)
            g.set_offset(off)
