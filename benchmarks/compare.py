"""Side-by-side comparison: ``python benchmarks/compare.py [--json] [--quick]``.

Times Ember (NumPy and reference backends), PyTorch and hand-written NumPy on the same
workloads in one run and prints ratios; the same as ``ember bench`` (``ember.bench``).
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats")
    args = parser.parse_args(argv)
    from ember.bench import run

    return run(json_output=args.json, quick=args.quick)


if __name__ == "__main__":
    sys.exit(main())
