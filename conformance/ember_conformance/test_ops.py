"""Every op of the op database, every case: the backend under test against the reference.

Ids read ``test_op[add-float32-broadcast]``. A value case compares dtype and shape
exactly and values within the per-dtype tolerance (NaN where NaN, integers and bools
exactly); an error case requires the same exception type on both backends. With
``--ember-oracle torch`` every case is also compared with PyTorch (``test_oracle_torch``).
"""

from __future__ import annotations

from typing import Any

import pytest

from ._compare import compare, format_exc, needed_dtypes, resolve, run_case
from .opdb import Case, all_cases, method_name

CASES = all_cases()
_BY_ID = [pytest.param(c, id=c.id) for c in CASES]
_METHOD_CASES = []
_seen: set[str] = set()
for _c in CASES:
    if not _c.error and _c.call is None and _c.op not in _seen and method_name(_c.op):
        _seen.add(_c.op)
        _METHOD_CASES.append(pytest.param(_c, id=_c.id))


def _skip_unsupported(case: Case, suite: Any) -> None:
    missing = sorted(needed_dtypes(case) - suite.dtypes)
    if missing:
        pytest.skip(f"backend {suite.backend!r} does not declare dtype(s) {missing} "
                    f"(Backend.dtypes)")


def _check(case: Case, got: Any, want: Any, request: pytest.FixtureRequest, who: str) -> None:
    if case.error:
        assert want.exc is not None, (
            f"{case.id}: expected an error, but {who} returned {want.result!r}")
        assert got.exc is not None, (
            f"{case.id}: {who} raised {format_exc(want.exc)}, the backend returned "
            f"{got.result!r}")
        assert type(got.exc).__name__ == type(want.exc).__name__, (
            f"{case.id}: exception type differs: backend {format_exc(got.exc)}; "
            f"{who} {format_exc(want.exc)}")
        return
    if want.exc is not None:
        raise AssertionError(f"{case.id}: {who} raised {format_exc(want.exc)}") from want.exc
    if got.exc is not None:
        raise AssertionError(f"{case.id}: backend raised {format_exc(got.exc)}") from got.exc
    err = compare(got.result, want.result, case)
    request.node.user_properties.append(("ember_err", float(err)))


@pytest.mark.parametrize("case", _BY_ID)
def test_op(case: Case, ember_suite: Any, device: str, reference_device: str,
            request: pytest.FixtureRequest) -> None:
    _skip_unsupported(case, ember_suite)
    import ember

    got = run_case(case, ember, device)
    want = got if device == reference_device else run_case(case, ember, reference_device)
    _check(case, got, want, request, "the reference backend")


@pytest.mark.parametrize("case", _METHOD_CASES)
def test_method_variant(case: Case, ember_suite: Any, device: str,
                        request: pytest.FixtureRequest) -> None:
    """``t.op(...)`` gives what ``ember.op(t, ...)`` gives (first case of each op)."""
    _skip_unsupported(case, ember_suite)
    import ember

    want = run_case(case, ember, device)
    got = run_case(case, ember, device, method=method_name(case.op))
    _check(case, got, want, request, "the function")


@pytest.mark.parametrize("case", _BY_ID)
def test_oracle_torch(case: Case, ember_suite: Any, device: str,
                      request: pytest.FixtureRequest) -> None:
    """Collected only with ``--ember-oracle torch`` (the plugin deselects it otherwise)."""
    torch = pytest.importorskip(
        "torch", reason="--ember-oracle torch: PyTorch is not installed (pip install torch)")
    if not case.oracle:
        pytest.skip(f"PyTorch differs by design: {case.note or 'see the op database'}")
    _skip_unsupported(case, ember_suite)
    try:
        resolve(torch, case.op)
    except AttributeError:
        pytest.skip(f"torch has no {case.op}")
    import ember

    got = run_case(case, ember, device)
    want = run_case(case, torch, "cpu")
    _check(case, got, want, request, "PyTorch")
