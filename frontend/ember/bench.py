"""``ember bench``: time the same workloads on Ember, PyTorch and hand-written NumPy.

Every number comes from this run (STYLE rule 13): each workload is timed with
:mod:`timeit` for every implementation that is installed, and ratios are taken against
PyTorch and NumPy measured moments before. Only Ember's public API is used.

Workloads:

* ``chain200``: 200 small elementwise ops on 8x8 float32 tensors, the per-op overhead
  that decides small-model training speed;
* ``matmul512``, ``sum1e6``, ``exp1e6``: large ops, where the kernel dominates.

Example:
    >>> from ember.bench import run
    >>> run(quick=True)  # doctest: +SKIP
    0
"""

from __future__ import annotations

import json
import statistics
import sys
import timeit
from collections.abc import Callable
from typing import Any

__all__ = ["run", "measure", "workloads", "CHAIN_OPS"]

#: Elementwise ops in the ``chain200`` workload (4 per step, 50 steps).
CHAIN_OPS = 200


def _chain(x: Any, y: Any) -> Any:
    for _ in range(CHAIN_OPS // 4):
        x = x * 1.0001
        x = x + 0.0001
        x = x - y * 0.5  # two ops: mul, sub
    return x


def _optional(name: str) -> Any:
    try:
        return __import__(name)
    except ImportError:
        return None


def workloads(quick: bool = False) -> dict[str, dict[str, Callable[[], Any]]]:
    """``{workload: {implementation: zero-argument callable}}`` for what is installed."""
    import ember

    np = _optional("numpy")
    torch = _optional("torch")
    out: dict[str, dict[str, Callable[[], Any]]] = {}
    n_big = 10**6

    # --- chain200 on 8x8 float32
    chain: dict[str, Callable[[], Any]] = {}
    base = [[(i * 8 + j) / 64.0 for j in range(8)] for i in range(8)]
    other = [[(j - i) / 16.0 for j in range(8)] for i in range(8)]
    for label, dev in (("ember-numpy", "cpu"), ("ember-reference", "ref")):
        try:
            ex = ember.tensor(base, dtype=ember.float32, device=dev)
            ey = ember.tensor(other, dtype=ember.float32, device=dev)
        except Exception as exc:  # a backend that is not installed is reported, not fatal
            print(f"# skipping {label}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        chain[label] = lambda ex=ex, ey=ey: _chain(ex, ey)
    if torch is not None:
        tx = torch.tensor(base, dtype=torch.float32)
        ty = torch.tensor(other, dtype=torch.float32)
        chain["torch"] = lambda: _chain(tx, ty)
    if np is not None:
        nx = np.array(base, dtype=np.float32)
        ny = np.array(other, dtype=np.float32)
        chain["numpy"] = lambda: _chain(nx, ny)
    out[f"chain{CHAIN_OPS} 8x8 f32"] = chain

    # --- large ops (not on the pure-Python reference: it is a specification, not fast)
    ember.manual_seed(0)
    a = ember.rand(512, 512, device="cpu")
    b = ember.rand(512, 512, device="cpu")
    v = ember.linspace(-1.0, 1.0, n_big, device="cpu")
    big: dict[str, dict[str, Callable[[], Any]]] = {
        "matmul 512x512 f32": {"ember-numpy": lambda: ember.matmul(a, b)},
        "sum 1e6 f32": {"ember-numpy": lambda: v.sum()},
        "exp 1e6 f32": {"ember-numpy": lambda: v.exp()},
    }
    if torch is not None:
        g = torch.Generator().manual_seed(0)
        ta, tb = torch.rand(512, 512, generator=g), torch.rand(512, 512, generator=g)
        tv = torch.linspace(-1.0, 1.0, n_big)
        big["matmul 512x512 f32"]["torch"] = lambda: ta @ tb
        big["sum 1e6 f32"]["torch"] = lambda: tv.sum()
        big["exp 1e6 f32"]["torch"] = lambda: tv.exp()
    if np is not None:
        rng = np.random.default_rng(0)
        na = rng.random((512, 512), dtype=np.float32)
        nb = rng.random((512, 512), dtype=np.float32)
        nv = np.linspace(-1.0, 1.0, n_big, dtype=np.float32)
        big["matmul 512x512 f32"]["numpy"] = lambda: na @ nb
        big["sum 1e6 f32"]["numpy"] = lambda: nv.sum()
        big["exp 1e6 f32"]["numpy"] = lambda: np.exp(nv)
    out.update(big)
    return out


def measure(fn: Callable[[], Any], repeat: int, min_time: float) -> dict[str, float]:
    """Seconds per call: min, median and max over ``repeat`` runs of an auto-sized loop."""
    fn()  # warm up (lazy imports, caches)
    timer = timeit.Timer(fn)
    number = 1
    while True:
        t = timer.timeit(number)
        if t >= min_time or number >= 1 << 20:
            break
        number *= 2 if t * 2 >= min_time else 10
    times = [t / number for t in timer.repeat(repeat=repeat, number=number)]
    return {"min": min(times), "median": statistics.median(times), "max": max(times),
            "number": number, "repeat": repeat}


def _fmt(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def run(json_output: bool = False, quick: bool = False) -> int:
    """Time every workload and print one table (or JSON with ``json_output``).

    Ratios are of the minimum times: ``x torch`` is Ember's time over PyTorch's, so
    smaller is better and 1.0 means parity.
    """
    repeat, min_time = (3, 0.02) if quick else (7, 0.1)
    rows: list[dict[str, Any]] = []
    for workload, impls in workloads(quick).items():
        results = {}
        for impl, fn in impls.items():
            slow = impl == "ember-reference"
            stats = measure(fn, max(3, repeat // 2) if slow else repeat,
                            min_time / 4 if slow else min_time)
            results[impl] = stats
        for impl, stats in results.items():
            row = {"workload": workload, "implementation": impl, **stats}
            for base in ("torch", "numpy"):
                ref = results.get(base)
                row[f"ratio_vs_{base}"] = stats["min"] / ref["min"] if ref else None
            rows.append(row)
    if json_output:
        print(json.dumps({"quick": quick, "results": rows}, indent=2))
        return 0
    header = ("workload", "implementation", "min", "median", "max", "x torch", "x numpy")
    table = [(r["workload"], r["implementation"], _fmt(r["min"]), _fmt(r["median"]),
              _fmt(r["max"]),
              f"{r['ratio_vs_torch']:.2f}" if r["ratio_vs_torch"] is not None else "-",
              f"{r['ratio_vs_numpy']:.2f}" if r["ratio_vs_numpy"] is not None else "-")
             for r in rows]
    widths = [max(len(str(c)) for c in col) for col in zip(header, *table)]
    line = "  ".join(f"{{:<{w}}}" if i < 2 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in table:
        print(line.format(*row))
    print("\nratios: time / baseline time (min over repeats, same run); lower is faster")
    return 0


if __name__ == "__main__":
    sys.exit(run(json_output="--json" in sys.argv, quick="--quick" in sys.argv))
