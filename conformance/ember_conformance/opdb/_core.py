"""The op database's vocabulary: tensor inputs as data, cases, entries and tolerances.

# NOTE [ Cases are data ]
A case never holds a tensor. Its inputs are :class:`TensorArg` descriptions (nested
Python lists, a dtype name and an optional view recipe), and the placeholders
:data:`DEVICE` and :class:`Dtype`, so the very same case is built on the backend under
test, on the reference backend and in PyTorch. Values come from a ``random.Random``
seeded with the op's name, never from Ember's generator, so ids and data are stable.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DEVICE", "Dtype", "TensorArg", "Tol", "Case", "OpEntry", "TOLERANCES", "FLOATS",
    "INTS", "SIGNED_INTS", "ALL", "INTS_AND_BOOL", "REALS", "seed_for", "tolerance",
]

FLOATS = ("float32", "float64", "float16", "bfloat16")
SIGNED_INTS = ("int64", "int32", "int16", "int8")
INTS = (*SIGNED_INTS, "uint8")
INTS_AND_BOOL = (*INTS, "bool")
REALS = (*FLOATS, *INTS)
ALL = (*REALS, "bool")


@dataclass(frozen=True)
class Tol:
    """Closeness ``|got - want| <= atol + rtol * |want|`` (PyTorch's ``isclose``)."""

    rtol: float
    atol: float


#: Default tolerances per result dtype. Backends compute float16/bfloat16 in float32 and
#: round once, so a one-ulp difference is the most expected; float32 transcendental
#: kernels of vectorised libraries are within a few ulp. Integers and bools are exact.
TOLERANCES: dict[str, Tol] = {
    "float16": Tol(2e-3, 1e-3),
    "bfloat16": Tol(1.6e-2, 1e-2),
    "float32": Tol(1.3e-6, 1e-5),
    "float64": Tol(1e-7, 1e-7),
    "complex64": Tol(1.3e-6, 1e-5),
    "complex128": Tol(1e-7, 1e-7),
}


def tolerance(dtype: str, overrides: dict[str, Tol] | None = None) -> Tol:
    """The tolerance for results of ``dtype`` (exact for integers and bools)."""
    if overrides and dtype in overrides:
        return overrides[dtype]
    return TOLERANCES.get(dtype, Tol(0.0, 0.0))


def seed_for(*parts: str) -> int:
    """A stable seed from strings (``hash()`` is salted per process; crc32 is not)."""
    return zlib.crc32("/".join(parts).encode())


class _Device:
    def __repr__(self) -> str:
        return "DEVICE"


#: Placeholder replaced by the device a case is built on (``"cpu"`` in PyTorch).
DEVICE = _Device()


@dataclass(frozen=True)
class Dtype:
    """Placeholder for a dtype argument, resolved as ``ember.NAME`` or ``torch.NAME``."""

    name: str


@dataclass(frozen=True)
class TensorArg:
    """A tensor input as data.

    Args:
        data: nested lists of Python numbers (a bare number for 0-d).
        dtype: dtype name, e.g. ``"float32"``.
        view: how to derive the input from the tensor built from ``data``: None (use it),
            ``"T"`` (swap the last two dims: a non-contiguous view), ``"step"`` (every
            other element of the last dim), ``"flip"`` is not used (negative strides
            are not allowed in PyTorch).
        shape: the shape of the tensor built from ``data`` when it has no elements
            (nested lists cannot spell ``(0, 3)``).
    """

    data: Any
    dtype: str
    view: str | None = None
    shape: tuple[int, ...] | None = None  # only for empty data, whose lists lose dims

    def build(self, ns: Any, device: str) -> Any:
        """The tensor in namespace ``ns`` (``ember`` or ``torch``) on ``device``."""
        t = ns.tensor(self.data, dtype=getattr(ns, self.dtype), device=device)
        if self.shape is not None:
            t = t.reshape(self.shape)
        if self.view == "T":
            t = t.transpose(-2, -1)
        elif self.view == "step":
            t = t[..., ::2]
        elif self.view is not None:
            raise ValueError(f"unknown view recipe {self.view!r}")
        return t


@dataclass
class Case:
    """One sample input of one op (or, with ``error=True``, one input that must raise).

    Attributes:
        op: the key in ``ember._ops._registry.OPS`` (``"add"``, ``"linalg.inv"``).
        variant: what the case exercises (``"broadcast"``, ``"nan"``, ...).
        dtype: the dtype label shown in ids and reports (``"float32"``,
            ``"int32+float32"``).
        args, kwargs: the call's arguments, with placeholders.
        tols: per-result-dtype tolerance overrides.
        values: False to compare only shapes and dtypes (``empty``: values unspecified).
        oracle: False where PyTorch legitimately differs (the reason in ``note``).
        call: ``call(ns, *args, **kwargs)`` instead of ``ns.<op>(*args, **kwargs)``.
        error: the case must raise, with the same exception type on every backend.
        needs: dtypes the backend must declare for the case to apply.
        note: free text shown in failure messages.
    """

    op: str
    variant: str
    dtype: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    tols: dict[str, Tol] = field(default_factory=dict)
    values: bool = True
    oracle: bool = True
    call: Callable[..., Any] | None = None
    error: bool = False
    needs: tuple[str, ...] = ()
    note: str = ""

    @property
    def id(self) -> str:
        kind = "error-" if self.error else ""
        return f"{self.op}-{self.dtype}-{kind}{self.variant}"

    def __repr__(self) -> str:  # pytest shows it in failure reports
        return f"Case({self.id})"


@dataclass
class OpEntry:
    """The database entry of one public op.

    Attributes:
        op: the key in ``OPS``.
        dtypes: the dtypes the op is declared to support (and covered by its samples).
        samples: ``samples(rng) -> cases`` generating the sample inputs.
        errors: ``errors(rng) -> cases`` generating inputs that must raise.
        tols: per-dtype tolerance overrides for every case of the op.
    """

    op: str
    dtypes: tuple[str, ...]
    samples: Callable[[Any], Iterable[Case]]
    errors: Callable[[Any], Iterable[Case]] | None = None
    tols: dict[str, Tol] = field(default_factory=dict)

    def cases(self) -> list[Case]:
        """Every case of the op, deterministic (the generator is seeded with the name)."""
        import random

        out: list[Case] = []
        rng = random.Random(seed_for(self.op))
        for case in self.samples(rng):
            out.append(case)
        if self.errors is not None:
            for case in self.errors(rng):
                case.error = True
                out.append(case)
        for case in out:
            case.tols = {**self.tols, **case.tols}
        return out
