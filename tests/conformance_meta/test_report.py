"""The ``--ember-report`` table: counts per op, dtypes, worst error, the summary lines."""

from __future__ import annotations

from types import SimpleNamespace

from ember_conformance._report import DTYPE_KEY, ERR_KEY, GROUP_KEY, OP_KEY, Report


def _report(outcome: str, op: str | None = None, dtype: str | None = None,
            err: float | None = None, group: str = "ops") -> SimpleNamespace:
    props = [(GROUP_KEY, group)]
    if op is not None:
        props += [(OP_KEY, op), (DTYPE_KEY, dtype)]
    if err is not None:
        props.append((ERR_KEY, err))
    r = SimpleNamespace(user_properties=props, passed=outcome == "passed",
                        skipped=outcome in ("skipped", "xfailed"),
                        failed=outcome == "failed")
    if outcome == "xfailed":
        r.wasxfail = "reason"
    return r


def _filled() -> Report:
    rep = Report("demo", "cpu")
    rep.add(_report("passed", "add", "float32", 2.5e-7))
    rep.add(_report("passed", "add", "int64", 0.0))
    rep.add(_report("failed", "add", "float16", 3.0))
    rep.add(_report("xfailed", "sum", "bfloat16"))
    rep.add(_report("skipped", "sum", "complex64"))
    rep.add(_report("passed", group="views"))
    return rep


def test_table_counts_each_outcome_per_op():
    lines = _filled().lines()
    assert lines[0].split() == ["op", "dtypes", "pass", "xfail", "fail", "skip", "worst", "err"]
    rows = {ln.split()[0]: ln.split()[1:] for ln in lines[2:] if ln.strip()
            and not ln.startswith("ember conformance")}
    assert rows["add"] == ["f32,f16,i64", "2", "0", "1", "0", "3.00e+00"]
    assert rows["sum"] == ["bf16,c64", "0", "1", "0", "1", "0"]
    assert rows["[views]"] == ["-", "1", "0", "0", "0", "0"]
    assert list(rows).index("[views]") == len(rows) - 1  # groups after the ops


def test_summary_names_failing_ops_and_counts_ops_and_cases():
    lines = _filled().lines()
    assert lines[-2] == "ember conformance: unexpected failures in 1 op(s): add (1)"
    assert lines[-1] == ("ember conformance: backend 'demo' (device 'cpu'): 2 ops, 6 cases: "
                         "3 passed, 1 xfailed, 1 failed, 1 skipped")


def test_clean_run_has_no_failure_line():
    rep = Report("demo", "cpu")
    rep.add(_report("passed", "mul", "float64", 1e-9))
    assert not any("unexpected failures" in ln for ln in rep.lines())
    assert rep.lines()[-1].endswith("1 ops, 1 cases: 1 passed, 0 xfailed, 0 failed, 0 skipped")
