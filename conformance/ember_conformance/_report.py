"""The ``--ember-report`` table: per op, the dtypes covered, outcomes and the worst error."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["OpStats", "Report"]

#: user_properties keys set on conformance test items (see plugin.pytest_collection_...).
OP_KEY, DTYPE_KEY, ERR_KEY = "ember_op", "ember_dtype", "ember_err"
GROUP_KEY = "ember_group"  # the suite module of any conformance test


@dataclass
class OpStats:
    """Outcome counts for one op (or one non-op group such as ``[random]``)."""

    dtypes: set[str] = field(default_factory=set)
    passed: int = 0
    xfailed: int = 0
    failed: int = 0
    skipped: int = 0
    worst: float = 0.0  # largest absolute difference seen in a passing or failing case


@dataclass
class Report:
    """Collects test reports of the conformance suite and renders the summary."""

    backend: str
    device: str
    ops: dict[str, OpStats] = field(default_factory=dict)

    def add(self, report: Any) -> None:
        """Account one ``TestReport`` (call phase, or a failed/skipped setup)."""
        props = dict(report.user_properties)
        op = props.get(OP_KEY)
        if op is None:
            op = f"[{props.get(GROUP_KEY, '?')}]"
        stats = self.ops.setdefault(op, OpStats())
        if props.get(DTYPE_KEY):
            stats.dtypes.add(props[DTYPE_KEY])
        err = props.get(ERR_KEY)
        if isinstance(err, float) and not math.isnan(err):
            stats.worst = max(stats.worst, err)
        if report.passed:
            stats.passed += 1
        elif report.skipped:
            if hasattr(report, "wasxfail"):
                stats.xfailed += 1
            else:
                stats.skipped += 1
        else:
            stats.failed += 1

    def lines(self) -> list[str]:
        """The rendered table and the summary line."""
        header = ("op", "dtypes", "pass", "xfail", "fail", "skip", "worst err")
        rows = []
        for op in sorted(self.ops, key=lambda k: (k.startswith("["), k)):
            s = self.ops[op]
            rows.append((op, _dtype_list(s.dtypes), str(s.passed), str(s.xfailed),
                         str(s.failed), str(s.skipped), f"{s.worst:.2e}" if s.worst else "0"))
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        widths[1] = min(widths[1], 60)
        fmt = "  ".join(f"{{:<{w}}}" if i < 2 else f"{{:>{w}}}" for i, w in enumerate(widths))
        out = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
        out += [fmt.format(*r) for r in rows]
        n_ops = sum(1 for k in self.ops if not k.startswith("["))
        total = OpStats()
        for s in self.ops.values():
            total.passed += s.passed
            total.xfailed += s.xfailed
            total.failed += s.failed
            total.skipped += s.skipped
        cases = total.passed + total.xfailed + total.failed + total.skipped
        out.append("")
        failing = [f"{op} ({s.failed})" for op, s in sorted(self.ops.items()) if s.failed]
        if failing:
            out.append(f"ember conformance: unexpected failures in {len(failing)} op(s): "
                       f"{', '.join(failing)}")
        out.append(f"ember conformance: backend {self.backend!r} (device {self.device!r}): "
                   f"{n_ops} ops, {cases} cases: {total.passed} passed, {total.xfailed} "
                   f"xfailed, {total.failed} failed, {total.skipped} skipped")
        return out


_ORDER = ("float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8",
          "uint8", "bool", "complex64", "complex128")


def _dtype_list(dtypes: set[str]) -> str:
    if not dtypes:
        return "-"
    short = {"float": "f", "bfloat": "bf", "int": "i", "uint": "u", "complex": "c"}
    names = []
    mixed = {d for d in dtypes if "+" in d}
    dtypes = dtypes - mixed
    for name in sorted(dtypes, key=lambda d: (_ORDER.index(d) if d in _ORDER else 99, d)):
        for long, s in short.items():
            if name.startswith(long) and name[len(long):].isdigit():
                name = s + name[len(long):]
                break
        names.append(name)
    if mixed:
        names.append(f"+{len(mixed)} mixed")
    text = ",".join(names)
    return text if len(text) <= 60 else text[:57] + "..."
