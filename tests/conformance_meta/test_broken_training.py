"""The training-run check (``ember_conformance/test_training.py``) catches a planted bug.

The ``broken_precision`` backend of ``test_broken_backends.py`` computes float32 ``matmul``
in float16. Every single op it computes is within float16's reach of the right answer,
and a whole training run is where such a "fast path" shows: the suite's training module,
run against it in a fresh pytest process (loading ``test_broken_backends`` as a plugin,
which registers the planted backends), must fail every float32 run on the losses it
records, and pass every float64 run, which never reaches the broken kernel (the control).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from test_broken_backends import HERE, TIMEOUT_S, HalfPrecisionMatmul, failed_cases, report_rows

from ember_conformance._training import RUNS


def test_training_runs_catch_float16_matmul(tmp_path: Path) -> None:
    name = HalfPrecisionMatmul.name
    cmd = [sys.executable, "-m", "pytest", "-p", "ember_conformance", "-p",
           "test_broken_backends", "--pyargs", "ember_conformance.test_training",
           f"--ember-backend={name}", "--ember-xfails=none", "--ember-report", "-q", "-rf",
           "--tb=short", "-p", "no:cacheprovider", "-p", "no:xdist",
           "-W", "ignore::RuntimeWarning"]
    path = [str(HERE), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    env.pop("EMBER_DEVICE", None)
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT_S)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, f"the suite did not fail on {name} (exit {proc.returncode}):\n{out}"
    ids = {f"{r.name}-{dt}" for r in RUNS for dt in r.dtypes}
    broken = {i for i in ids if i.endswith("float32")}
    control = ids - broken
    assert broken and control
    assert failed_cases(out) == broken, out[-6000:]
    # each failure names the first step whose loss differs (the parameters as built agree)
    # (the traceback's line only: the -rf summary repeats it, cut to the terminal's width)
    steps = re.findall(r"^E\s+AssertionError: losses\[(\d+)\]: 1 of 1 values of float32",
                       out, re.M)
    assert len(steps) == len(broken) and all(int(s) < 3 for s in steps), out[-6000:]
    assert report_rows(out)["[training]"] == {"pass": len(control), "xfail": 0,
                                              "fail": len(broken), "skip": 0}, out[-3000:]
