"""Running a case in a namespace (``ember`` on a device, or ``torch``) and comparing results.

Results are brought to the host as plain data (dtype name, shape, flat list of Python
scalars) through the public ``tolist()``, so the comparison is the same for every
backend and for PyTorch.
"""

from __future__ import annotations

import cmath
import math
from dataclasses import dataclass
from typing import Any

from .opdb import DEVICE, Case, Dtype, TensorArg, tolerance

__all__ = ["Host", "Outcome", "run_case", "compare", "needed_dtypes", "format_exc"]


@dataclass(frozen=True)
class Host:
    """A tensor result on the host."""

    dtype: str
    shape: tuple[int, ...]
    values: tuple[Any, ...]


@dataclass
class Outcome:
    """What running a case gave: a host-side result, or the exception it raised."""

    result: Any = None
    exc: BaseException | None = None


def _build(obj: Any, ns: Any, device: str) -> Any:
    if isinstance(obj, TensorArg):
        return obj.build(ns, device)
    if obj is DEVICE:
        return device
    if isinstance(obj, Dtype):
        return getattr(ns, obj.name)
    if isinstance(obj, tuple):
        return tuple(_build(o, ns, device) for o in obj)
    if isinstance(obj, list) and any(isinstance(o, TensorArg) for o in obj):
        return [_build(o, ns, device) for o in obj]
    if isinstance(obj, dict):
        return {k: _build(v, ns, device) for k, v in obj.items()}
    return obj


def resolve(ns: Any, op: str) -> Any:
    """``ns.<op>`` for a dotted op key (``"linalg.inv"``); AttributeError if missing."""
    target = ns
    for part in op.removeprefix("ember.").split("."):
        target = getattr(target, part)
    return target


def _flatten(x: Any) -> list[Any]:
    if isinstance(x, list):
        out: list[Any] = []
        for v in x:
            out.extend(_flatten(v))
        return out
    return [x]


def _is_tensor(x: Any) -> bool:
    return hasattr(x, "tolist") and hasattr(x, "dtype") and hasattr(x, "shape") and not (
        isinstance(x, bool | int | float | complex))


def to_host(x: Any) -> Any:
    """Plain data for a result: :class:`Host` for tensors, tuples for sequences."""
    if _is_tensor(x):
        dt = str(x.dtype).rsplit(".", 1)[-1]
        shape = tuple(int(s) for s in x.shape)
        return Host(dt, shape, tuple(_flatten(x.tolist())))
    if isinstance(x, tuple | list):
        return tuple(to_host(v) for v in x)
    if x is None or isinstance(x, bool | int | float | complex | str):
        return x
    if type(x).__name__ == "dtype":
        return str(x).rsplit(".", 1)[-1]
    if hasattr(x, "__index__"):
        return int(x)
    return repr(x)


def run_case(case: Case, ns: Any, device: str, method: str | None = None) -> Outcome:
    """Build the case's inputs in ``ns`` on ``device`` and run it; never raises.

    ``method`` calls ``args[0].<method>(*args[1:])`` instead of the function.
    """
    try:
        args = _build(case.args, ns, device)
        kwargs = _build(case.kwargs, ns, device)
    except Exception as exc:  # building inputs failed: report it as the case's outcome
        return Outcome(exc=exc)
    try:
        if case.call is not None:
            res = case.call(ns, *args, **kwargs)
        elif method is not None:
            res = getattr(args[0], method)(*args[1:], **kwargs)
        else:
            res = resolve(ns, case.op)(*args, **kwargs)
        return Outcome(result=to_host(res))
    except Exception as exc:
        return Outcome(exc=exc)


def needed_dtypes(case: Case) -> set[str]:
    """Every dtype a case's inputs or arguments name."""
    out: set[str] = set()

    def walk(obj: Any) -> None:
        if isinstance(obj, TensorArg):
            out.add(obj.dtype)
        elif isinstance(obj, Dtype):
            out.add(obj.name)
        elif isinstance(obj, tuple | list):
            for o in obj:
                walk(o)
        elif isinstance(obj, dict):
            for o in obj.values():
                walk(o)

    walk(case.args)
    walk(case.kwargs)
    out.update(case.needs)
    return out


def format_exc(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text[:200]}"


def _close(a: Any, b: Any, rtol: float, atol: float) -> tuple[bool, float]:
    """(ok, absolute error) for one element: NaN matches NaN, inf matches itself."""
    if isinstance(a, complex) or isinstance(b, complex):
        a, b = complex(a), complex(b)
        if cmath.isnan(a) or cmath.isnan(b):
            return cmath.isnan(a) and cmath.isnan(b), 0.0
        ok_r, er = _close(a.real, b.real, rtol, atol)
        ok_i, ei = _close(a.imag, b.imag, rtol, atol)
        return ok_r and ok_i, max(er, ei)
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a), float(b)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b), 0.0
        if math.isinf(a) or math.isinf(b):
            return a == b, 0.0 if a == b else math.inf
        err = abs(a - b)
        return err <= atol + rtol * abs(b), err
    return a == b and type(a) is type(b), 0.0 if a == b else math.inf


def compare(got: Any, want: Any, case: Case, what: str = "result") -> float:
    """Assert ``got`` matches ``want`` (dtype and shape exactly, values within the case's
    tolerance for the result dtype); returns the largest absolute difference."""
    if isinstance(want, Host):
        assert isinstance(got, Host), f"{what}: expected a tensor, got {got!r}"
        assert got.dtype == want.dtype, f"{what}: dtype {got.dtype} != expected {want.dtype}"
        assert got.shape == want.shape, (
            f"{what}: shape {list(got.shape)} != expected {list(want.shape)}")
        if not case.values:
            return 0.0
        tol = tolerance(want.dtype, case.tols)
        worst, bad = 0.0, []
        for i, (a, b) in enumerate(zip(got.values, want.values)):
            ok, err = _close(a, b, tol.rtol, tol.atol)
            if not ok:
                bad.append((i, a, b))
            elif err > worst:
                worst = err
        if bad:
            shown = ", ".join(f"[{i}] {a!r} != {b!r}" for i, a, b in bad[:8])
            raise AssertionError(
                f"{what}: {len(bad)} of {len(want.values)} values of {want.dtype} "
                f"{list(want.shape)} differ (rtol={tol.rtol}, atol={tol.atol}; flat index "
                f"got != expected): {shown}{' ...' if len(bad) > 8 else ''}")
        return worst
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), (
            f"{what}: expected a sequence of {len(want)} results, got {got!r}")
        return max((compare(g, w, case, f"{what}[{i}]") for i, (g, w) in
                    enumerate(zip(got, want))), default=0.0)
    if isinstance(want, float) and isinstance(got, float | int):
        ok, err = _close(float(got), want, 1e-7, 1e-7)
        assert ok, f"{what}: {got!r} != expected {want!r}"
        return err
    assert got == want and type(got) is type(want), f"{what}: {got!r} != expected {want!r}"
    return 0.0
