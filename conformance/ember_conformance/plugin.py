"""The pytest plugin behind ``ember conformance`` (entry point ``pytest11``).

Options (group "ember conformance"):

``--ember-backend NAME``
    The registered backend under test. Without it the suite is inert: its test modules
    are not collected (``pytest_ignore_collect``), Ember is not even imported, and a run
    that collected nothing *only* because of that exits 0 with a note instead of 5.
``--ember-xfails FILE``
    Expected failures, one ``case-id-glob  # reason`` a line (see ``_xfails``). The default
    is the file shipped for the backend, ``ember_conformance/xfails/NAME.txt``, when it
    exists; ``--ember-xfails=none`` uses no file.
``--ember-oracle torch``
    Also compare every case with PyTorch (skipped, with the reason, where it is missing).
``--ember-report``
    Print a per-op table (dtypes covered, pass/xfail/fail/skip, worst error) at the end.

Fixtures: ``backend_name``, ``device`` (the device type the backend serves) and
``reference_device`` (``"ref"``, served by the pure-Python reference backend).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ._report import DTYPE_KEY, GROUP_KEY, OP_KEY, Report
from ._xfails import XfailList, load_xfails

__all__ = ["SuiteConfig", "suite_config"]

PACKAGE_DIR = Path(__file__).resolve().parent
XFAILS_DIR = PACKAGE_DIR / "xfails"
REFERENCE_BACKEND = "reference"
REFERENCE_DEVICE = "ref"

_SUITE = pytest.StashKey["SuiteConfig"]()
_IGNORED = pytest.StashKey[list]()


@dataclass
class SuiteConfig:
    """What the options resolved to, stored on the pytest config."""

    backend: str
    device: str
    reference_device: str
    dtypes: frozenset[str]
    capabilities: frozenset[str]
    oracle: str | None
    xfails: XfailList
    report: Report | None


# ---------------------------------------------------------------------------- options
def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ember conformance", "Ember backend conformance suite")
    group.addoption("--ember-backend", metavar="NAME", default=None,
                    help="run the Ember conformance suite against the registered backend "
                         "NAME (without it the suite is not collected)")
    group.addoption("--ember-xfails", metavar="FILE", default=None,
                    help="expected failures, one 'case-id-glob  # reason' a line (default: "
                         "the suite's xfails/NAME.txt; 'none' for no file)")
    group.addoption("--ember-oracle", choices=["torch"], default=None,
                    help="also compare every case with PyTorch when it is installed")
    group.addoption("--ember-report", action="store_true", default=False,
                    help="print a per-op table of the conformance results")


def suite_config(config: pytest.Config) -> SuiteConfig | None:
    """The resolved suite settings, or None when no ``--ember-backend`` was given."""
    return config.stash.get(_SUITE, None)


def _xfails_path(option: str | None, backend: str) -> Path | None:
    if option is None:
        default = XFAILS_DIR / f"{backend}.txt"
        return default if default.exists() else None
    if option.lower() == "none":
        return None
    path = Path(option)
    if not path.exists():
        raise pytest.UsageError(f"--ember-xfails: no such file: {option}")
    return path


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_IGNORED] = []
    name = config.getoption("ember_backend", None)
    if not name:
        return
    from ember.backend import registry  # Ember is imported only when a backend is named

    try:
        spec = registry.spec(name)
    except RuntimeError as exc:
        raise pytest.UsageError(f"--ember-backend: {exc}") from None
    reason = spec.unavailable_reason()
    if reason is not None:
        raise pytest.UsageError(f"--ember-backend: backend {name!r} is unavailable here: "
                                f"{reason}")
    # The backend under test serves its device type even where another backend would
    # win on priority; the reference backend always serves the reference device.
    registry.prefer(spec.device_type, name)
    try:
        registry.prefer(REFERENCE_DEVICE, REFERENCE_BACKEND)
    except (RuntimeError, ValueError) as exc:
        raise pytest.UsageError(f"the reference backend is needed as the oracle: {exc}"
                                ) from None
    cls = spec.backend_class()
    try:
        xfails = load_xfails(_xfails_path(config.getoption("ember_xfails"), name))
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    report = Report(name, spec.device_type) if config.getoption("ember_report") else None
    config.stash[_SUITE] = SuiteConfig(
        backend=name,
        device=spec.device_type,
        reference_device=REFERENCE_DEVICE,
        dtypes=frozenset(d.name for d in cls.dtypes),
        capabilities=frozenset(cls.capabilities),
        oracle=config.getoption("ember_oracle"),
        xfails=xfails,
        report=report,
    )
    if report is not None:
        config.pluginmanager.register(_Reporter(report), "ember_conformance_reporter")
    config.pluginmanager.register(_XfailHits(xfails), "ember_conformance_xfail_hits")


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    suite = suite_config(config)
    if suite is None:
        return None
    xf = suite.xfails.path or "none"
    return [f"ember conformance: backend {suite.backend!r} on device {suite.device!r}, "
            f"reference on {suite.reference_device!r}, xfails {xf}, oracle "
            f"{suite.oracle or 'none'}"]


# ---------------------------------------------------------------------------- collection
@functools.cache
def _in_suite(path: Path) -> bool:
    try:
        path.resolve().relative_to(PACKAGE_DIR)
    except ValueError:
        return False
    return True


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if suite_config(config) is not None:
        return None
    if collection_path.name.startswith("test_") and collection_path.suffix == ".py" and (
        _in_suite(collection_path)
    ):
        config.stash[_IGNORED].append(collection_path.name)
        return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    suite = suite_config(config)
    if suite is None:
        return
    keep, drop = [], []
    for item in items:
        if not _in_suite(item.path):
            keep.append(item)
            continue
        if item.originalname.endswith("oracle_torch") and suite.oracle != "torch":
            drop.append(item)
            continue
        keep.append(item)
        item.user_properties.append((GROUP_KEY, item.path.stem.removeprefix("test_")))
        case = getattr(getattr(item, "callspec", None), "params", {}).get("case")
        if hasattr(case, "op") and hasattr(case, "dtype"):
            item.user_properties.append((OP_KEY, case.op))
            item.user_properties.append((DTYPE_KEY, case.dtype))
        case_id = item.name.partition("[")[2].rstrip("]")
        entry = suite.xfails.match(case_id, item.name, item.nodeid)
        if entry is not None:
            item.add_marker(pytest.mark.xfail(reason=f"{entry.reason} ({entry.where})",
                                              strict=True))
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# ---------------------------------------------------------------------------- fixtures
def _require(config: pytest.Config) -> SuiteConfig:
    suite = suite_config(config)
    if suite is None:
        pytest.fail("this test needs the Ember conformance plugin's --ember-backend NAME",
                    pytrace=False)
    return suite


@pytest.fixture(scope="session")
def ember_suite(pytestconfig: pytest.Config) -> SuiteConfig:
    """The resolved conformance settings (backend, devices, dtypes, oracle)."""
    return _require(pytestconfig)


@pytest.fixture(scope="session")
def backend_name(ember_suite: SuiteConfig) -> str:
    """The name of the backend under test (``--ember-backend``)."""
    return ember_suite.backend


@pytest.fixture(scope="session")
def device(ember_suite: SuiteConfig) -> str:
    """The device type the backend under test serves (``"cpu"`` for numpy)."""
    return ember_suite.device


@pytest.fixture(scope="session")
def reference_device(ember_suite: SuiteConfig) -> str:
    """The device of the pure-Python reference backend, the expected results' source."""
    return ember_suite.reference_device


# ---------------------------------------------------------------------------- reporting
class _Reporter:
    """Registered only with ``--ember-report``: feeds test reports into the table."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # suite items carry GROUP_KEY (set at collection), whatever the rootdir
        if report.when == "call" or (report.when == "setup" and not report.passed):
            if any(k == GROUP_KEY for k, _ in report.user_properties):
                self.report.add(report)


class _XfailHits:
    """Counts an xfails entry as used when a test report names it. Under pytest-xdist the
    entries are matched at collection on the workers, so the controller, which prints the
    stale-entry warning, learns of the matches from the reports (whose xfail reason ends
    with the entry's ``(file:line)``)."""

    def __init__(self, xfails: Any) -> None:
        self.xfails = xfails

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        reason = getattr(report, "wasxfail", None)
        if not reason and report.failed and report.when == "call":
            reason = str(report.longrepr)  # a strict xfail that passed (XPASS(strict))
        if reason:
            for entry in self.xfails.entries:
                if f"({entry.where})" in reason:
                    entry.hits += 1


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int,
                            config: pytest.Config) -> None:
    suite = suite_config(config)
    tr = terminalreporter
    if suite is None:
        ignored = config.stash.get(_IGNORED, [])
        if ignored:
            tr.write_line(f"ember conformance: suite inert without --ember-backend NAME "
                          f"({len(ignored)} test modules not collected)")
        return
    stale = suite.xfails.unused()
    if stale and not config.getoption("keyword") and not config.getoption("markexpr"):
        tr.section("ember conformance: xfail entries matching no test", sep="-")
        for entry in stale:
            tr.write_line(f"{entry.where}: {entry.glob}  # {entry.reason}")
    if suite.report is not None:
        tr.section(f"ember conformance report: {suite.backend}", sep="=")
        for line in suite.report.lines():
            tr.write_line(line)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # An inert suite is not an error: turn "no tests collected" into success when every
    # test module skipped was one of ours (plain `pytest conformance/ember_conformance`).
    config = session.config
    if (suite_config(config) is None and config.stash.get(_IGNORED, [])
            and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.OK
