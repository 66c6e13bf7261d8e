"""What a workload is, the registry of them, and helpers shared by their definitions.

# NOTE [ One workload, three implementations ]
A workload's ``setup(T, device)`` is written once against the PyTorch API and run with
``T = ember`` (on each backend's device) and ``T = torch`` (on the CPU): Ember is
PyTorch-compatible, so the same code times both, which makes the comparison fair by
construction. ``numpy(np)`` is the hand-written NumPy baseline, where one is meaningful.
Both return a zero-argument callable, the thing that is timed; setup is not timed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Workload", "FAMILIES", "register", "registry", "select", "find", "data", "labels",
           "put", "is_torch", "sync"]

Setup = Callable[[Any, str], Callable[[], Any]]
NumpySetup = Callable[[Any], Callable[[], Any]]


@dataclass(frozen=True)
class Workload:
    """One benchmarked computation.

    Attributes:
        family: the suite it belongs to (``elementwise``, ``autograd``, ...).
        name: a short description with the sizes, unique within the family.
        setup: ``setup(T, device) -> callable`` for Ember and PyTorch (NOTE above).
        numpy: ``numpy(np) -> callable``, the hand-written baseline, or None.
        tiny: small enough for the pure-Python reference backend.
        once: time a single call (no warm-up, one repeat): the 100,000-op chain.
        torch: whether PyTorch can run ``setup`` (False for Ember-only workloads).
    """

    family: str
    name: str
    setup: Setup
    numpy: NumpySetup | None = None
    tiny: bool = False
    once: bool = False
    torch: bool = True

    @property
    def key(self) -> str:
        """``family/name``, what ``--only`` matches and the table prints."""
        return f"{self.family}/{self.name}"


_REGISTRY: list[Workload] = []
#: Report order of the families.
FAMILIES = ("elementwise", "reductions", "matmul", "conv", "autograd", "optim", "dataloader",
            "training", "targets")


def register(family: str, name: str, *, numpy: NumpySetup | None = None, tiny: bool = False,
             once: bool = False, torch: bool = True) -> Callable[[Setup], Setup]:
    """Decorator: register ``setup`` as the workload ``family/name``."""

    def deco(setup: Setup) -> Setup:
        _REGISTRY.append(Workload(family, name, setup, numpy, tiny, once, torch))
        return setup

    return deco


def registry() -> list[Workload]:
    """Every registered workload, in definition order (imports the family modules)."""
    from . import (  # noqa: F401  (importing registers)
        _autograd,
        _conv,
        _dataloader,
        _elementwise,
        _matmul,
        _optim,
        _reductions,
        _targets,
        _training,
    )

    order = {f: i for i, f in enumerate(FAMILIES)}
    return sorted(_REGISTRY, key=lambda w: order.get(w.family, len(order)))


def select(only: str | None = None, family: str | None = None) -> list[Workload]:
    """Workloads whose ``family/name`` matches the regular expression ``only`` (searched,
    case-insensitive) and, if given, whose family is ``family``."""
    pattern = re.compile(only, re.IGNORECASE) if only else None
    return [w for w in registry() if (family is None or w.family == family)
            and (pattern is None or pattern.search(w.key))]


def find(key: str) -> Workload:
    """The workload named ``family/name``."""
    for w in registry():
        if w.key == key:
            return w
    raise KeyError(f"no benchmark workload named {key!r}")


# ---------------------------------------------------------------------------- helpers
def data(*shape: int, seed: int = 0, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """Deterministic float32 data, the same for every implementation."""
    rng = np.random.default_rng(seed)
    return rng.uniform(low, high, size=shape).astype(np.float32)


def labels(n: int, classes: int, seed: int = 1) -> np.ndarray:
    """Deterministic int64 class labels."""
    return np.random.default_rng(seed).integers(0, classes, size=n).astype(np.int64)


def put(T: Any, array: np.ndarray, device: str, requires_grad: bool = False) -> Any:
    """``array`` as a tensor of library ``T`` on ``device``."""
    return T.tensor(array, device=device, requires_grad=requires_grad)


def is_torch(T: Any) -> bool:
    """True when ``T`` is PyTorch itself (for the rare call that must differ)."""
    return getattr(T, "__name__", "") == "torch"


def sync(T: Any, device: str) -> Callable[[], None]:
    """A callable that waits for queued device work (a no-op on the CPU)."""
    if device.startswith("cuda"):
        return T.cuda.synchronize
    return _nothing


def _nothing() -> None:
    return None
