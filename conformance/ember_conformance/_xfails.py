"""Expected failures as data: one ``case-id-glob  # reason`` a line (STYLE rule 11).

A glob is matched (``fnmatch``, case-sensitive) against three spellings of a test, so
an entry may be as narrow or as broad as needed:

* the case id, e.g. ``add-float16-broadcast`` (the part inside the brackets);
* the test name with its id, e.g. ``test_op[add-float16-broadcast]``;
* the whole node id, e.g. ``ember_conformance/test_ops.py::test_op[add-float16-*]``.

Every matching test becomes ``xfail(strict=True)`` with the reason, so a fix shows up as
an XPASS failure and the line must then be deleted. A line without a reason is an error.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["XfailEntry", "XfailList", "load_xfails"]


@dataclass
class XfailEntry:
    """One line of an xfails file."""

    glob: str
    reason: str
    where: str  # "file:line", for messages
    hits: int = 0


@dataclass
class XfailList:
    """The parsed file; :meth:`match` returns the first entry matching a test."""

    path: Path | None
    entries: list[XfailEntry] = field(default_factory=list)

    def match(self, case_id: str, name: str, nodeid: str) -> XfailEntry | None:
        for entry in self.entries:
            if any(fnmatch.fnmatchcase(s, entry.glob) for s in (case_id, name, nodeid)):
                entry.hits += 1
                return entry
        return None

    def unused(self) -> list[XfailEntry]:
        """Entries that matched no collected test (stale lines worth deleting)."""
        return [e for e in self.entries if e.hits == 0]


def load_xfails(path: Path | None) -> XfailList:
    """Parse ``path`` (None or a missing default file gives an empty list).

    Raises ValueError naming the file and line for a malformed line.
    """
    out = XfailList(path)
    if path is None:
        return out
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        glob, sep, reason = line.partition("#")
        glob, reason = glob.strip(), reason.strip()
        where = f"{path}:{lineno}"
        if not sep or not reason:
            raise ValueError(f"{where}: an xfail needs a reason: '{line}' (write "
                             f"'case-id-glob  # why it fails')")
        if not glob or len(glob.split()) != 1:
            raise ValueError(f"{where}: expected one case-id glob before '#', got {glob!r}")
        out.entries.append(XfailEntry(glob, reason, where))
    return out
