"""The report: one table (rows are workloads; columns are Ember backend x baseline ratios)
or JSON, plus a description of the machine the numbers come from."""

from __future__ import annotations

import os
import platform
from typing import Any

from ._runner import BASELINES, Result, Settings

__all__ = ["machine", "table", "as_json"]


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    """Where the numbers were measured: CPU, cores, Python, NumPy and PyTorch versions."""
    import numpy as np

    import ember

    info: dict[str, Any] = {
        "cpu": _cpu_model(), "cores": os.cpu_count(), "platform": platform.platform(),
        "python": platform.python_version(), "ember": ember.__version__,
        "numpy": np.__version__, "torch": None, "torch_threads": None,
        "cuda": ember.cuda.is_available(),
    }
    try:
        import torch

        info["torch"], info["torch_threads"] = torch.__version__, torch.get_num_threads()
    except ImportError:
        pass
    try:
        from threadpoolctl import threadpool_info

        info["blas_threads"] = max((p["num_threads"] for p in threadpool_info()
                                    if p.get("user_api") == "blas"), default=None)
    except ImportError:
        info["blas_threads"] = None
    return info


def _fmt_time(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"


def _cell(ratio: dict[str, float] | str | None, notes: list[str]) -> str:
    if ratio is None:
        return "-"
    if isinstance(ratio, str):
        if ratio.startswith("error"):
            notes.append(ratio)
            return f"error [{len(notes)}]"
        return ratio
    return f"{ratio['min']:.2f}/{ratio['median']:.2f}/{ratio['max']:.2f}"


def table(results: list[Result], backends: list[str], settings: Settings,
          info: dict[str, Any]) -> str:
    """The report as text: one row per workload."""
    notes: list[str] = []
    first = backends[0] if backends else "numpy"
    header = ["workload", f"{first} time"] + [f"{b} / {base}" for b in backends
                                               for base in BASELINES]
    rows = []
    for r in results:
        t = r.times.get(f"ember-{first}")
        row = [r.workload.key, _fmt_time(t.median) if t is not None and not isinstance(t, str)
               else "-"]
        for b in backends:
            for base in BASELINES:
                row.append(_cell(r.ratio(b, base), notes))
        rows.append(row)
    widths = [max(len(c) for c in col) for col in zip(header, *rows)]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*row) for row in rows]
    torch = f"PyTorch {info['torch']} CPU ({info['torch_threads']} threads)" if info["torch"] \
        else "PyTorch not installed"
    lines += [
        "",
        f"ratio = Ember time / baseline time ({settings.clock} clock), paired per repeat; "
        f"min/median/max over {settings.repeat} repeats ({settings.slow_repeat} on reference); "
        "< 1: Ember is faster.",
        "'numpy' baseline: hand-written NumPy; '-': not run (no baseline, or too slow for the "
        "pure-Python reference); '(once)': a single timed call.",
        f"{first} time: median seconds per call of Ember on {first}. Baselines: {torch}, "
        f"NumPy {info['numpy']} (BLAS threads: {info['blas_threads'] or 'unknown'}).",
        f"machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, "
        f"{info['platform']}, cuda {'available' if info['cuda'] else 'not available'}.",
    ]
    lines += [f"[{i}] {note}" for i, note in enumerate(notes, 1)]
    return "\n".join(lines)


def as_json(results: list[Result], backends: list[str], settings: Settings,
            info: dict[str, Any]) -> dict[str, Any]:
    """The report as a JSON-serialisable dict."""
    out = []
    for r in results:
        times = {label: ({"error" if s.startswith("error") else "unavailable": s}
                         if isinstance(s, str) else s.as_dict())
                 for label, s in r.times.items()}
        ratios: dict[str, Any] = {}
        for b in backends:
            for base in BASELINES:
                ratio = r.ratio(b, base)
                if ratio is not None:
                    ratios[f"{b}/{base}"] = ratio if isinstance(ratio, dict) else None
        out.append({"workload": r.workload.key, "family": r.workload.family,
                    "name": r.workload.name, "tiny": r.workload.tiny, "once": r.workload.once,
                    "times": times, "ratios": ratios})
    return {"machine": info, "settings": {"repeat": settings.repeat,
                                          "min_time": settings.min_time,
                                          "slow_repeat": settings.slow_repeat,
                                          "reference": settings.reference,
                                          "clock": settings.clock},
            "backends": backends, "baselines": list(BASELINES), "results": out}
