"""Side-by-side comparison: ``python benchmarks/compare.py [ember bench options]``.

The same as ``ember bench`` (see :mod:`ember.bench`): one table of Ember's time over
PyTorch's and hand-written NumPy's, all measured in this run. Options: ``--quick``,
``--json``, ``--repeat N``, ``--only PATTERN``, ``--no-reference``, ``--threads N``,
``--clock {wall,cpu}``, ``--list``.
"""

from __future__ import annotations

import argparse
import sys

from ember.bench import add_arguments, main


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/compare.py",
                                     description=__doc__.splitlines()[0])
    add_arguments(parser)
    return main(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(cli())
