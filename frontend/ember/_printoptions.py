"""Print options for tensors: ``set_printoptions``, ``get_printoptions`` and friends.

The options and their profiles are PyTorch's (``torch.set_printoptions``); the printer
itself lives in :mod:`ember._printing`.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = [
    "PRINT_OPTS",
    "set_printoptions",
    "get_printoptions",
    "printoptions",
    "needs_summary",
    "edgeitems",
]


class _PrintOptions:
    """The current print options (one shared, mutable instance: :data:`PRINT_OPTS`)."""

    __slots__ = ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")

    def __init__(self) -> None:
        self.precision: int = 4
        self.threshold: float = 1000
        self.edgeitems: int = 3
        self.linewidth: int = 80
        self.sci_mode: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.as_dict().items())
        return f"PrintOptions({fields})"


PRINT_OPTS = _PrintOptions()

# profile name -> (precision, threshold, edgeitems, linewidth)
_PROFILES: dict[str, tuple[int, float, int, int]] = {
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set the options used when printing tensors (as ``torch.set_printoptions``).

    Args:
        precision: digits after the decimal point for floating-point output (default 4).
        threshold: number of elements above which a tensor is summarised (default 1000).
        edgeitems: items shown at the start and end of each summarised dimension (default 3).
        linewidth: characters per line used for line breaks (default 80).
        profile: ``"default"``, ``"short"`` or ``"full"``; applied first, so the other
            arguments override it.
        sci_mode: True / False force scientific notation on / off; None (the default)
            lets the printer choose. Like PyTorch, every call sets this option.

    Example:
        >>> import ember
        >>> ember.set_printoptions(precision=2)
        >>> ember.tensor([1.12345])
        tensor([1.12])
        >>> ember.set_printoptions(profile="default")
    """
    if profile is not None:
        preset = _PROFILES.get(profile)
        if preset is not None:  # PyTorch silently ignores unknown profiles
            (PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems,
             PRINT_OPTS.linewidth) = preset
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current print options, as keyword arguments for :func:`set_printoptions`."""
    return PRINT_OPTS.as_dict()


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Context manager that sets print options and restores the previous ones on exit."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


def needs_summary(shape: Iterable[int]) -> bool:
    """Whether a tensor of this shape is summarised (more than ``threshold`` elements)."""
    return math.prod(int(n) for n in shape) > PRINT_OPTS.threshold


def edgeitems() -> int:
    """The number of items shown at each end of a summarised dimension."""
    return PRINT_OPTS.edgeitems
