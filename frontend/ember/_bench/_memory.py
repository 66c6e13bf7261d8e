"""Peak memory of a workload: ``ember bench --memory``.

# NOTE [ Measuring peak memory ]
Each implementation (Ember on a backend, PyTorch, hand-written NumPy) runs in a fresh
Python process: it imports its library, builds the workload (model, data, optimizer) and
runs one warm-up call; then the process's high-water mark of resident memory is reset
(Linux: writing ``5`` to ``/proc/self/clear_refs``) and the workload runs ``calls`` more
times. The figure is the new high-water mark minus the resident size just before: the
extra memory the calls need at their peak (activations, gradients, temporaries), not the
interpreter, the libraries or the model, which are there before. One process per
measurement keeps one library's allocator caches from counting against another.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass

__all__ = ["MemoryResult", "peak_memory", "memory_table", "supported", "IMPLS"]

IMPLS = ("ember-numpy", "torch", "numpy")

_PROBE = r"""
import json, sys
key, impl, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])

def status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(field)

from ember._bench._workload import find
w = find(key)
if impl == "numpy":
    import numpy as np
    if w.numpy is None:
        print(json.dumps(None)); sys.exit(0)
    fn = w.numpy(np)
elif impl == "torch":
    import torch
    torch.set_num_threads(1)
    fn = w.setup(torch, "cpu")
else:  # "ember-numpy": Ember on its default CPU backend
    import ember
    fn = w.setup(ember, "cpu")
fn()
import gc
gc.collect()
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
before = status("VmRSS")
for _ in range(calls):
    fn()
print(json.dumps(status("VmHWM") - before))
"""


@dataclass
class MemoryResult:
    """Peak extra bytes per implementation (``None``: not run) for one workload."""

    key: str
    peaks: dict[str, int | None]


def supported() -> bool:
    """Whether this system can reset and read the resident high-water mark (Linux)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        with open("/proc/self/status") as f:
            return any(line.startswith("VmHWM:") for line in f)
    except OSError:
        return False


def peak_memory(key: str, impls: tuple[str, ...] = IMPLS, calls: int = 3,
                timeout: float = 600.0) -> MemoryResult:
    """Measure the workload ``key`` (see NOTE [ Measuring peak memory ])."""
    peaks: dict[str, int | None] = {}
    for impl in impls:
        if impl == "torch":
            try:
                import torch  # noqa: F401
            except ImportError:
                peaks[impl] = None
                continue
        proc = subprocess.run([sys.executable, "-c", _PROBE, key, impl, str(calls)],
                              capture_output=True, text=True, timeout=timeout)
        if proc.returncode:
            raise RuntimeError(f"ember bench --memory: {impl} on {key!r} failed:\n"
                               f"{proc.stderr[-2000:]}")
        peaks[impl] = json.loads(proc.stdout.strip().splitlines()[-1])
    return MemoryResult(key, peaks)


def memory_table(results: list[MemoryResult]) -> str:
    """One row per workload: peak MiB of each implementation and Ember's ratios."""
    head = ["workload", "ember MiB", "torch MiB", "numpy MiB", "ember / torch",
            "ember / numpy"]
    rows = []
    for r in results:
        e, t, n = (r.peaks.get(i) for i in IMPLS)

        def mib(v: int | None) -> str:
            return "-" if v is None else f"{v / 2**20:.1f}"

        def ratio(a: int | None, b: int | None) -> str:
            return "-" if a is None or not b else f"{a / b:.2f}"

        rows.append([r.key, mib(e), mib(t), mib(n), ratio(e, t), ratio(e, n)])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    lines = ["  ".join(h.ljust(w) if i == 0 else h.rjust(w)
                       for i, (h, w) in enumerate(zip(head, widths)))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths))))
    lines.append("")
    lines.append("peak resident memory above the level before the measured calls (one fresh "
                 "process per cell, PyTorch on 1 thread); '-': not run.")
    return "\n".join(lines)
