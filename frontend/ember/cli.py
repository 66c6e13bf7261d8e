"""The ``ember`` command: ``ember backends``, ``ember conformance``, ``ember bench``."""

from __future__ import annotations

import argparse
import subprocess
import sys

__all__ = ["main"]


def _backends(args: argparse.Namespace) -> int:
    from .backends import installed

    rows = installed()
    headers = ("backend", "device", "available", "notes")
    table = [(r.name, r.device_type, "yes" if r.available else "no",
              r.description if r.available else (r.reason or "")) for r in rows]
    from ._defaults import get_default_device

    try:
        default = str(get_default_device())
    except Exception as exc:  # an unusable EMBER_DEVICE is worth reporting, not crashing on
        default = f"unusable ({exc})"
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *table)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*headers))
    print(line.format(*("-" * w for w in widths)))
    for row in table:
        print(line.format(*row))
    from .cuda import unavailable_reason

    reason = unavailable_reason()
    print(f"\ndefault device: {default}")
    print("cuda: available" if reason is None else f"cuda: unavailable ({reason})")
    return 0


def _conformance(args: argparse.Namespace) -> int:
    # -rfE: the short summary after the per-op table lists failures and errors only (the
    # table already counts skips and xfails); the exit status is pytest's: 0 when nothing
    # failed unexpectedly, 1 on a failure or a strict XPASS, >1 for a usage error.
    cmd = [sys.executable, "-m", "pytest", "-p", "ember_conformance", "--pyargs",
           "ember_conformance", f"--ember-backend={args.backend}", "--ember-report", "-q",
           "-rfE", "--tb=short", "-p", "no:cacheprovider"]
    if args.xfails_file:
        cmd.append(f"--ember-xfails={args.xfails_file}")
    if args.oracle:
        cmd.append(f"--ember-oracle={args.oracle}")
    cmd.extend(args.pytest_args)
    return subprocess.call(cmd)


def _bench(args: argparse.Namespace) -> int:
    from .bench import main as bench_main

    return bench_main(args)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ember`` console script."""
    parser = argparse.ArgumentParser(prog="ember", description="Ember command line")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("backends", help="list installed backends and why any is unavailable")
    p.set_defaults(func=_backends)
    p = sub.add_parser("conformance", help="run the conformance suite against a backend")
    p.add_argument("--backend", required=True, help="registered backend name, e.g. numpy")
    p.add_argument("--xfails-file", help="file of expected failures, one 'case # reason' a line")
    p.add_argument("--oracle", choices=["torch"], help="also compare with PyTorch")
    p.add_argument("pytest_args", nargs="*", help="extra arguments passed to pytest")
    p.set_defaults(func=_conformance)
    p = sub.add_parser("bench", help="compare backends against PyTorch and NumPy")
    from .bench import add_arguments as bench_arguments

    bench_arguments(p)
    p.set_defaults(func=_bench)
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
