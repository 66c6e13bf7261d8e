"""The op database: one :class:`OpEntry` per public op of ``ember._ops._registry.OPS``
and per public function of ``ember.nn.functional`` (keys ``"nn.functional.relu"``).

In the spirit of PyTorch's OpInfo, each entry declares the dtypes the op supports, a
sample-input generator (0-d, empty, broadcast, non-contiguous, negative dims, every
dtype, NaN/inf and integer extremes), per-dtype tolerances and inputs that must raise.
Ops without an entry are listed, with a reason, in :data:`NOT_YET_COVERED`;
``test_coverage`` fails for any public op in neither place.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._core import (
    ALL,
    DEVICE,
    FLOATS,
    INTS,
    REALS,
    TOLERANCES,
    Case,
    Dtype,
    OpEntry,
    TensorArg,
    Tol,
    tolerance,
)
from ._uncovered import NOT_YET_COVERED

__all__ = [
    "ALL", "DEVICE", "FLOATS", "INTS", "REALS", "TOLERANCES", "Case", "Dtype", "OpEntry",
    "TensorArg", "Tol", "tolerance", "NOT_YET_COVERED", "OPDB", "all_cases", "public_ops",
    "method_name", "nn_functional_ops", "covered_names",
]

#: The family modules, each with ``entries() -> list[OpEntry]``.
_FAMILIES = ("_unary", "_binary", "_ternary", "_creation", "_reduction", "_shape",
             "_indexing", "_linalg", "_random", "_nn_activation", "_nn_layers", "_nn_pool",
             "_nn_norm", "_nn_loss", "_complex")


def _load() -> dict[str, OpEntry]:
    db: dict[str, OpEntry] = {}
    for name in _FAMILIES:
        module = importlib.import_module(f"{__name__}.{name}")
        for entry in module.entries():
            if entry.op in db:
                raise ValueError(f"opdb: two entries for {entry.op!r} (second in {name})")
            db[entry.op] = entry
    from ._complex import COMPLEX_SAMPLES

    for op, extra in COMPLEX_SAMPLES.items():
        _add_samples(db[op], extra)
    return db


def _add_samples(entry: OpEntry, extra: Any) -> None:
    """Append ``extra(op, rng)``'s cases to ``entry`` and their dtype to its dtypes."""
    samples = entry.samples

    def gen(rng: Any) -> Any:
        yield from samples(rng)
        yield from extra(entry.op, rng)

    entry.samples = gen
    if "complex128" not in entry.dtypes:
        entry.dtypes = (*entry.dtypes, "complex128")


OPDB: dict[str, OpEntry] = _load()


def public_ops() -> dict[str, Any]:
    """``OPS`` restricted to the public namespaces the suite covers."""
    from ember._ops._registry import OPS

    return {k: v for k, v in OPS.items() if v.module in ("ember", "ember.linalg")}


def nn_functional_ops() -> list[str]:
    """The keys of ``ember.nn.functional.__all__`` (``"nn.functional.relu"``, ...).

    They are functions of the public API but not registered ops of ``OPS`` (they are
    composed from ops), so the suite enumerates them from the module's ``__all__``.
    """
    import ember.nn.functional as functional

    return [f"nn.functional.{name}" for name in functional.__all__]


def covered_names() -> set[str]:
    """Every name the op database must cover: :func:`public_ops` and
    :func:`nn_functional_ops`."""
    return set(public_ops()) | set(nn_functional_ops())


def method_name(op: str) -> str | None:
    """The Tensor method the op is also exposed as, if any."""
    info = public_ops().get(op)
    return info.method if info is not None else None


def _method_call(meth: str) -> Any:
    def call(ns: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(args[0], meth)(*args[1:], **kwargs)

    return call


def _exists(op: str) -> bool:
    import ember

    target: Any = ember
    for part in op.removeprefix("ember.").split("."):
        if not hasattr(target, part):
            return False
        target = getattr(target, part)
    return True


def all_cases() -> list[Case]:
    """Every case of every entry whose op exists in this Ember (ids made unique).

    Entries for ops not (yet) in ``OPS`` are kept when the name resolves in ``ember``
    (aliases such as ``ember.absolute``), otherwise dropped until the op appears.
    """
    ops = public_ops()
    out: list[Case] = []
    seen: dict[str, int] = {}
    for key in sorted(OPDB):
        info = ops.get(key)
        if info is None and not _exists(key):
            continue
        for case in OPDB[key].cases():
            if info is not None and not info.function and case.call is None and info.method:
                case.call = _method_call(info.method)
            n = seen.get(case.id, 0)
            seen[case.id] = n + 1
            if n:
                case.variant = f"{case.variant}-{n + 1}"
            out.append(case)
    return out
