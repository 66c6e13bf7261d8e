"""A suite that cannot fail proves nothing (DESIGN.md section 6): planted bugs are caught.

Each class below is the NumPy backend with one kernel broken the way real backends break:
a wrong broadcast, an off-by-one reduction axis, float32 computed in float16, integer
floor division rounding toward zero, a sign error that shows only in gradients, views
that copy, and a fused kernel that disagrees with its composite. Each is registered under its own backend and device name in a fresh pytest
process that loads this module as a plugin (``-p test_broken_backends``, whose
``pytest_configure`` calls the registry's :meth:`~ember.backend.Registry.register`); that
process runs the conformance suite against it, limited with ``-k`` to the broken op and a
control op (one of them through ``ember conformance``, to check the command's exit status
and report too). The test asserts the run fails, names the broken op (in the ``FAILED``
lines and in the report), and passes the control op: the suite points at the bug, not
merely at a backend that is unusable.

The processes start together (or one per test under pytest-xdist) to keep this quick.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from ember.backend import BackendSpec, registry
from ember_numpy._backend import NumpyBackend

HERE = Path(__file__).resolve().parent
TIMEOUT_S = 300

_F16, _F32, _F64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)


# ---------------------------------------------------------------------------- the bugs
class WrongBroadcast(NumpyBackend):
    """``add`` repeats the flat data cyclically (``np.resize``) instead of stretching
    size-1 axes: right for ``(3, 4) + (4,)``, wrong for ``(4, 1) + (1, 5)``."""

    name = device_type = "broken_broadcast"

    def add(self, a, b):
        if isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape != b.shape:
            shape = np.broadcast_shapes(a.shape, b.shape)  # bad shapes still raise
            a, b = np.resize(a, shape), np.resize(b, shape)  # BUG
        return super().add(a, b)


class OffByOneAxis(NumpyBackend):
    """``sum`` over some axes reduces the next axis instead (full sums stay right)."""

    name = device_type = "broken_axis"

    def sum(self, x, axes, keepdims):
        if 0 < len(axes) < x.ndim:
            axes = tuple((a + 1) % x.ndim for a in axes)  # BUG
        return super().sum(x, axes, keepdims)


class HalfPrecisionMatmul(NumpyBackend):
    """float32 ``matmul`` computed in float16 (a "fast path" that drops 13 bits)."""

    name = device_type = "broken_precision"

    def matmul(self, a, b):
        if a.dtype == _F32:
            return super().matmul(a.astype(_F16), b.astype(_F16)).astype(_F32)  # BUG
        return super().matmul(a, b)


class TruncatingFloorDivide(NumpyBackend):
    """Integer ``floor_divide`` rounds toward zero (C's ``/``): ``-7 // 2 == -3``."""

    name = device_type = "broken_floordiv"

    def floor_divide(self, a, b):
        a, b = self._np_operands(a, b)
        if a.dtype.kind not in "iu":
            return super().floor_divide(a, b)
        q = np.abs(a) // np.abs(b)
        return np.where((a < 0) != (b < 0), -q, q).astype(a.dtype)  # BUG


class FlippedSign(NumpyBackend):
    """float64 ``sign`` has the wrong sign; ``abs``'s backward is ``grad * sign(x)``, so
    the gradient of ``abs`` comes out negated while its forward values stay right."""

    name = device_type = "broken_grad_sign"

    def sign(self, x):
        s = super().sign(x)
        return -s if x.dtype == _F64 else s  # BUG


class CopyingGetitem(NumpyBackend):
    """Basic indexing returns a copy: writes through ``t[1]`` or ``t[:, 1:3]`` are lost."""

    name = device_type = "broken_getitem_view"

    def getitem(self, x, key):
        return super().getitem(x, key).copy()  # BUG


class CopyingReshape(NumpyBackend):
    """``reshape`` always copies, so ``t.view(12)`` no longer aliases ``t``."""

    name = device_type = "broken_reshape_view"

    def reshape(self, x, shape):
        return super().reshape(x, shape).copy()  # BUG


class ReversedSubInto(NumpyBackend):
    """The fused ``binary_into`` computes ``sub`` as ``b - a``: only code that writes in
    place through the fast path (an optimizer's ``sub_``) sees it."""

    name = device_type = "broken_fused_into"

    def binary_into(self, op, out, a, b):
        if op == "sub":
            a, b = b, a  # BUG
        super().binary_into(op, out, a, b)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Plugin hook, active only where this module is loaded with ``-p``: registers every
    broken backend before the conformance plugin looks up ``--ember-backend``."""
    for p in PLANTED:
        cls = p.backend
        registry.register(BackendSpec(cls.name, cls.device_type, lambda cls=cls: cls,
                                      description=f"planted bug: {cls.__doc__}"),
                          replace=True)


# ---------------------------------------------------------------------------- the runs
@dataclass(frozen=True)
class Planted:
    """A broken backend and how to show that the suite rejects it."""

    backend: type[NumpyBackend]
    module: str  # the suite module to run
    broken: tuple[str, ...]  # case-id prefixes (op names) that must fail
    control: tuple[str, ...]  # case-id prefixes that must pass in the same run
    select: str  # extra -k term ("" for none)
    cli: bool = False  # through `ember conformance` (the whole suite, -k) instead of pytest

    @property
    def keyword(self) -> str:
        names = " or ".join(f"{n}-" for n in (*self.broken, *self.control))
        return f"({self.select}) and ({names})" if self.select else f"({names})"


PLANTED = [
    Planted(WrongBroadcast, "test_ops", ("add",), ("mul",), "test_op"),
    Planted(OffByOneAxis, "test_ops", ("sum",), ("amax",), "test_op"),
    Planted(HalfPrecisionMatmul, "test_ops", ("matmul",), ("sin",), "test_op"),
    Planted(TruncatingFloorDivide, "test_ops", ("floor_divide",), ("remainder",), "test_op"),
    Planted(FlippedSign, "test_grads", ("abs",), ("exp",), "test_gradcheck or test_grad_ref"),
    Planted(CopyingGetitem, "test_views", ("select", "slice"), ("diagonal",), ""),
    Planted(CopyingReshape, "test_views", ("view",), ("select", "slice"),
            "test_write_through_view_reaches_base", cli=True),
    Planted(ReversedSubInto, "test_fused", ("sub_",), ("add_",), "test_binary_into"),
]


def _command(p: Planted) -> list[str]:
    common = ["-p", Path(__file__).stem, "-k", p.keyword, "-p", "no:xdist",
              "-W", "ignore::RuntimeWarning"]
    if p.cli:  # the command line runs the whole suite; skip collecting the big modules
        skip = [f"--ignore-glob=*{m}.py" for m in ("test_ops", "test_grads") if m != p.module]
        return [sys.executable, "-m", "ember.cli", "conformance", "--backend",
                p.backend.name, "--", *common, *skip]
    return [sys.executable, "-m", "pytest", "-p", "ember_conformance",
            "--pyargs", f"ember_conformance.{p.module}", f"--ember-backend={p.backend.name}",
            "--ember-xfails=none", "--ember-report", "-q", "-rf", "--tb=line",
            "-p", "no:cacheprovider", *common]


class _Runs:
    """The suite processes, started on demand, each writing to its own log file (a pipe
    nobody reads yet would stall it); ``result`` waits for one."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.procs: dict[str, subprocess.Popen] = {}
        path = [str(HERE), *filter(None, [os.environ.get("PYTHONPATH")])]
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
        self.env.pop("EMBER_DEVICE", None)

    def _log(self, p: Planted) -> Path:
        return self.cwd / f"{p.backend.name}.log"

    def start(self, p: Planted) -> None:
        if p.backend.name not in self.procs:
            with self._log(p).open("w") as log:
                self.procs[p.backend.name] = subprocess.Popen(
                    _command(p), cwd=self.cwd, env=self.env, stdout=log,
                    stderr=subprocess.STDOUT)

    def result(self, p: Planted) -> tuple[int, str]:
        self.start(p)
        proc = self.procs[p.backend.name]
        try:
            proc.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            pytest.fail(f"the suite against {p.backend.name} ran over {TIMEOUT_S} s:\n"
                        f"{self._log(p).read_text()}")
        return proc.returncode, self._log(p).read_text()

    def close(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):
    r = _Runs(tmp_path_factory.mktemp("broken"))  # outside the repo: no pytest config there
    if "PYTEST_XDIST_WORKER" not in os.environ:  # alone: run them all side by side
        for p in PLANTED:
            r.start(p)
    yield r
    r.close()


_FAILED = re.compile(r"^FAILED \S*::(\w+)\[([^\]]+)\]", re.M)


def failed_cases(out: str) -> set[str]:
    """The case ids of the ``FAILED`` lines of a ``-rf`` summary."""
    return {m.group(2) for m in _FAILED.finditer(out)}


def report_rows(out: str) -> dict[str, dict[str, int]]:
    """The report's per-op table: op -> {"pass", "xfail", "fail", "skip"} counts."""
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.split()[:3] == ["op", "dtypes", "pass"])
    rows = {}
    for ln in lines[start + 2:]:
        if not ln.strip():
            break
        cells = ln.split()
        rows[cells[0]] = dict(zip(("pass", "xfail", "fail", "skip"), map(int, cells[-5:-1])))
    return rows


def _op(case_id: str) -> str:
    return case_id.partition("-")[0]


@pytest.mark.parametrize("planted", PLANTED, ids=[p.backend.name for p in PLANTED])
def test_suite_rejects_broken_backend(planted: Planted, runs: _Runs) -> None:
    rc, out = runs.result(planted)
    name = planted.backend.name
    assert rc == 1, f"the suite did not fail on {name} (exit {rc}):\n{out[-4000:]}"
    failed_ops = {_op(c) for c in failed_cases(out)}
    missed = [op for op in planted.broken if op not in failed_ops]
    assert not missed, f"{name}: no failure names {missed}; failed: {sorted(failed_ops)}\n{out}"
    wrong = [op for op in planted.control if op in failed_ops]
    assert not wrong, f"{name}: the control op(s) {wrong} failed too:\n{out[-4000:]}"
    summary = re.search(rf"ember conformance: backend '{name}' .*: (\d+) passed, \d+ xfailed, "
                        rf"(\d+) failed", out)
    assert summary, f"no report summary line:\n{out[-4000:]}"
    assert int(summary.group(1)) > 0 and int(summary.group(2)) > 0
    if planted.module.startswith(("test_ops", "test_grads")):  # the table names the op
        named = re.search(r"unexpected failures in \d+ op\(s\): (.*)", out)
        assert named and all(f"{op} (" in named.group(1) for op in planted.broken), out[-4000:]
        rows = report_rows(out)
        for op in planted.broken:
            assert rows[op]["fail"] > 0, f"{name}: report row for {op}: {rows[op]}"
        for op in planted.control:
            assert rows[op]["fail"] == 0 < rows[op]["pass"], (
                f"{name}: report row for {op}: {rows[op]}")


def test_every_bug_is_planted_once() -> None:
    names = [p.backend.name for p in PLANTED]
    assert len(set(names)) == len(names)
    for p in PLANTED:
        assert p.backend.device_type == p.backend.name
        overridden = [k for k in vars(p.backend) if not k.startswith("_")
                      and k not in ("name", "device_type", "dtypes")]
        assert len(overridden) == 1, f"{p.backend.__name__} breaks {overridden}: one kernel each"
