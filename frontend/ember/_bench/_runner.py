"""Run the workloads: set every implementation up, time them in paired repeats (NOTE
[ Paired repeats ] in ``_timing.py``) and take per-repeat ratios against the baselines."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._timing import Stats, calibrate, summarize, time_loop
from ._workload import Workload

__all__ = ["Settings", "Result", "BACKENDS", "BASELINES", "TORCH_MISSING", "backends",
           "run_workload"]

#: Ember backends benchmarked: (column name, device), when usable here.
BACKENDS = (("numpy", "cpu"), ("reference", "ref"), ("cupy", "cuda"))
#: Baselines measured in the same run.
BASELINES = ("torch", "numpy")
TORCH_MISSING = "n/a (torch not installed)"


@dataclass(frozen=True)
class Settings:
    """How long to time: ``repeat`` paired repeats, each loop lasting ``min_time`` seconds;
    the reference backend (pure Python) gets ``slow_repeat`` shorter repeats."""

    repeat: int = 7
    min_time: float = 0.1
    slow_repeat: int = 3
    reference: bool = True
    clock: str = "wall"


@dataclass
class Result:
    """One workload's timings: ``times[label]`` is a :class:`Stats` or why there is none."""

    workload: Workload
    times: dict[str, Stats | str] = field(default_factory=dict)

    def ratio(self, backend: str, baseline: str) -> dict[str, float] | str | None:
        """min/median/max of the per-repeat ratios ``ember-<backend>`` / ``baseline``; a
        string when one side did not run; None when the backend was not run at all."""
        mine = self.times.get(f"ember-{backend}")
        base = self.times.get(baseline)
        if mine is None:
            return None
        if isinstance(mine, str):
            return mine
        if base is None:
            return "-"
        if isinstance(base, str):
            return base
        n = min(len(mine.times), len(base.times))
        return summarize([mine.times[i] / base.times[i] for i in range(n)])


def backends(reference: bool = True) -> list[tuple[str, str]]:
    """The Ember backends usable here, as ``(name, device)``."""
    import ember

    out = []
    for name, device in BACKENDS:
        if name == "reference" and not reference:
            continue
        if device == "cuda" and not ember.cuda.is_available():
            continue
        try:
            ember.zeros(1, device=device)
        except Exception:  # a backend that is not installed is simply not a column
            continue
        out.append((name, device))
    return out


def _optional(name: str) -> Any:
    try:
        return __import__(name)
    except ImportError:
        return None


def _impls(w: Workload, devices: list[tuple[str, str]], settings: Settings
           ) -> tuple[dict[str, Callable[[], Any]], dict[str, str]]:
    import numpy as np

    import ember

    thunks: dict[str, Callable[[], Any]] = {}
    errors: dict[str, str] = {}

    def make(label: str, build: Callable[[], Callable[[], Any]]) -> None:
        try:
            thunks[label] = build()
        except Exception as exc:  # report and go on: one broken op must not stop the run
            errors[label] = f"error: {type(exc).__name__}: {exc}"

    for name, device in devices:
        if name == "reference" and not w.tiny:
            continue
        make(f"ember-{name}", lambda d=device: w.setup(ember, d))
    torch = _optional("torch") if w.torch else None
    if w.torch and torch is None:
        errors["torch"] = TORCH_MISSING
    elif torch is not None:
        make("torch", lambda: w.setup(torch, "cpu"))
    if w.numpy is not None:
        make("numpy", lambda: w.numpy(np))
    return thunks, errors


def run_workload(w: Workload, settings: Settings,
                 devices: list[tuple[str, str]] | None = None,
                 progress: Callable[[str], None] | None = None) -> Result:
    """Set up and time every implementation of ``w``."""
    devices = backends(settings.reference) if devices is None else devices
    if progress:
        progress(w.key)
    thunks, errors = _impls(w, devices, settings)
    result = Result(w, dict(errors))
    numbers: dict[str, int] = {}
    repeats: dict[str, int] = {}
    for label, fn in list(thunks.items()):
        slow = label == "ember-reference"
        try:
            if w.once:
                numbers[label], repeats[label] = 1, 1
            else:
                numbers[label] = calibrate(fn, settings.min_time / 4 if slow else
                                           settings.min_time, warmup=2, clock=settings.clock)
                repeats[label] = min(settings.repeat, settings.slow_repeat) if slow else \
                    settings.repeat
        except Exception as exc:
            result.times[label] = f"error: {type(exc).__name__}: {exc}"
            del thunks[label]
    times: dict[str, list[float]] = {label: [] for label in thunks}
    gc.collect()
    for i in range(max(repeats.values(), default=0)):
        for label, fn in list(thunks.items()):
            if i >= repeats[label]:
                continue
            try:
                times[label].append(time_loop(fn, numbers[label], settings.clock))
            except Exception as exc:
                result.times[label] = f"error: {type(exc).__name__}: {exc}"
                del thunks[label]
    for label in thunks:
        result.times[label] = Stats(tuple(times[label]), numbers[label])
    return result


def stderr_progress(key: str) -> None:
    print(f"# timing {key}", file=sys.stderr, flush=True)
