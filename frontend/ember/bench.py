"""``ember bench``: time the same workloads on Ember, PyTorch and hand-written NumPy.

Every number comes from this run (STYLE rule 13). Each workload is written once against
the PyTorch API and timed with ``T = ember`` on every usable backend (NumPy; the
pure-Python reference on tiny sizes; CuPy where a GPU is available) and with
``T = torch`` on the CPU, beside a hand-written NumPy version where one is meaningful.
Implementations are timed in turns inside each repeat and ratios are taken per repeat
(Ember's time over the baseline's), so the report's min/median/max are of ratios
measured moments apart.

Families: ``elementwise``, ``reductions``, ``matmul``, ``conv`` (conv2d forward and
backward), ``autograd`` (a 200-op chain with backward; a 100,000-op chain, timed once),
``optim`` (Adam and SGD steps), ``dataloader``, ``training`` (MLP, CNN and LSTM steps).
The pytest-benchmark suites in ``benchmarks/`` time the same workloads.

Example:
    >>> from ember.bench import workloads
    >>> any(w.key.startswith("autograd/chain200") for w in workloads())
    True
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from collections.abc import Iterator
from typing import TextIO

from ._bench._elementwise import CHAIN_OPS, chain
from ._bench._memory import memory_table, peak_memory
from ._bench._memory import supported as memory_supported
from ._bench._report import as_json, machine, table
from ._bench._runner import (
    BACKENDS,
    BASELINES,
    TORCH_MISSING,
    Result,
    Settings,
    backends,
    run_workload,
    stderr_progress,
)
from ._bench._timing import CLOCKS, Stats, measure
from ._bench._workload import Workload, find, select

__all__ = ["run", "run_memory", "memory_supported", "main", "add_arguments", "workloads",
           "find", "measure", "run_workload", "thread_limit",
           "Workload", "Settings", "Result", "Stats", "chain", "CHAIN_OPS", "BACKENDS",
           "BASELINES", "TORCH_MISSING", "backends"]


def workloads(only: str | None = None, family: str | None = None) -> list[Workload]:
    """The registered workloads whose ``family/name`` matches the regular expression
    ``only`` (case-insensitive search), optionally of one ``family``."""
    return select(only, family)


def run(json_output: bool = False, quick: bool = False, repeat: int | None = None,
        only: str | None = None, reference: bool = True, threads: int | None = None,
        clock: str = "wall", progress: bool = True, file: TextIO | None = None) -> int:
    """Time the selected workloads and print one table (or JSON with ``json_output``).

    Args:
        json_output: print machine-readable JSON instead of the table.
        quick: shorter loops and fewer repeats (3 unless ``repeat`` is given).
        repeat: paired repeats per workload (default 7, or 3 with ``quick``).
        only: regular expression selecting workloads by ``family/name``.
        reference: also time the pure-Python reference backend on tiny workloads.
        threads: limit PyTorch's intra-op threads and NumPy's BLAS threads (through
            ``threadpoolctl`` where installed) to this many; default: the libraries' own.
        clock: ``"wall"`` (elapsed time, :func:`time.perf_counter`) or ``"cpu"`` (this
            process's CPU time, steadier on a shared machine).
        progress: name each workload on stderr as it starts.
        file: where to print (default stdout).

    Returns:
        The exit status: 0, or 2 when ``only`` selects nothing.
    """
    out = file if file is not None else sys.stdout
    if clock not in CLOCKS:
        raise ValueError(f"ember bench: clock must be one of {sorted(CLOCKS)}, got {clock!r}")
    settings = Settings(repeat=repeat or (3 if quick else 7), min_time=0.02 if quick else 0.1,
                        slow_repeat=min(repeat or 3, 3), reference=reference, clock=clock)
    selected = select(only)
    if not selected:
        print(f"ember bench: no workload matches {only!r}; workloads are:", file=sys.stderr)
        for w in select():
            print(f"  {w.key}", file=sys.stderr)
        return 2
    devices = backends(reference)
    with thread_limit(threads):
        results = [run_workload(w, settings, devices, stderr_progress if progress else None)
                   for w in selected]
        info = machine()
    names = [name for name, _ in devices]
    if json_output:
        print(json.dumps(as_json(results, names, settings, info), indent=2), file=out)
    else:
        print(table(results, names, settings, info), file=out)
    return 0


def run_memory(only: str | None = None, json_output: bool = False, calls: int = 3,
               file: TextIO | None = None) -> int:
    """Print the peak memory of the selected workloads (default: the ``training`` and
    ``targets`` families) for Ember on NumPy, PyTorch and hand-written NumPy (see NOTE
    [ Measuring peak memory ]). Returns the exit status (2: nothing selected or no way to
    measure here)."""
    out = file if file is not None else sys.stdout
    if not memory_supported():
        print("ember bench --memory: needs Linux's /proc/self/clear_refs and VmHWM",
              file=sys.stderr)
        return 2
    selected = select(only) if only else [w for w in select() if w.family in
                                          ("training", "targets")]
    if not selected:
        print(f"ember bench: no workload matches {only!r}", file=sys.stderr)
        return 2
    results = []
    for w in selected:
        print(f"# memory {w.key}", file=sys.stderr)
        results.append(peak_memory(w.key, calls=calls))
    if json_output:
        print(json.dumps({"results": [{"workload": r.key, "peak_bytes": r.peaks}
                                      for r in results], "machine": machine()}, indent=2),
              file=out)
    else:
        print(memory_table(results), file=out)
    return 0


@contextlib.contextmanager
def thread_limit(threads: int | None) -> Iterator[None]:
    if threads is None:
        yield
        return
    try:
        import torch
    except ImportError:
        torch = None
    before = torch.get_num_threads() if torch is not None else None
    if torch is not None:
        torch.set_num_threads(threads)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        limits: contextlib.AbstractContextManager = contextlib.nullcontext()
    else:
        limits = threadpool_limits(threads)
    try:
        with limits:
            yield
    finally:
        if torch is not None:
            torch.set_num_threads(before)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``ember bench`` (and ``benchmarks/compare.py``)."""
    parser.add_argument("--quick", action="store_true", help="shorter loops, 3 repeats")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--repeat", type=int, metavar="N", help="paired repeats per workload "
                        "(default 7, 3 with --quick)")
    parser.add_argument("--only", metavar="PATTERN", help="regular expression selecting "
                        "workloads by family/name, e.g. 'autograd|optim'")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip the pure-Python reference backend")
    parser.add_argument("--threads", type=int, metavar="N", help="limit PyTorch's and NumPy's "
                        "BLAS threads to N (default: the libraries' own)")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall",
                        help="wall: elapsed time (default); cpu: this process's CPU time, "
                        "steadier on a busy machine")
    parser.add_argument("--list", action="store_true", help="list the workloads and exit")
    parser.add_argument("--memory", action="store_true", help="measure peak memory instead of "
                        "time (one fresh process per cell; default workloads: the 'training' "
                        "and 'targets' families)")


def main(args: argparse.Namespace) -> int:
    """Run ``ember bench`` with parsed ``args`` (see :func:`add_arguments`)."""
    if args.only is not None:
        try:
            re.compile(args.only)
        except re.error as exc:
            print(f"ember bench: --only {args.only!r} is not a regular expression: {exc}",
                  file=sys.stderr)
            return 2
    if args.list:
        for w in select(args.only):
            print(w.key)
        return 0
    if args.memory:
        return run_memory(only=args.only, json_output=args.json)
    for name in ("repeat", "threads"):
        value = getattr(args, name)
        if value is not None and value < 1:
            print(f"ember bench: --{name} must be at least 1, got {value}", file=sys.stderr)
            return 2
    return run(json_output=args.json, quick=args.quick, repeat=args.repeat, only=args.only,
               reference=not args.no_reference, threads=args.threads, clock=args.clock)


if __name__ == "__main__":
    _parser = argparse.ArgumentParser(prog="python -m ember.bench")
    add_arguments(_parser)
    sys.exit(main(_parser.parse_args()))
