"""Shared machinery of the pytest-benchmark suites (``pytest benchmarks --benchmark-only``).

Benchmarks are never part of the test run (STYLE rule 13): ``testpaths`` is ``tests`` and
the Makefile runs this directory only in ``make bench``. Each ``test_<family>.py`` times the
workloads of one family of :mod:`ember.bench` (written once, NOTE [ One workload, three
implementations ] in ``ember/_bench/_workload.py``) for every implementation:

* ``ember-numpy``: Ember on its NumPy backend (device ``cpu``);
* ``ember-reference``: Ember on the pure-Python reference backend, tiny workloads only,
  marked ``reference`` (skip them with ``--no-reference`` or ``-m "not reference"``);
* ``ember-cupy``: Ember on CUDA, collected only where a GPU backend is usable;
* ``torch``: the same code on PyTorch (CPU); ``numpy``: hand-written NumPy.

pytest-benchmark prints one table per workload (its group); ``ember bench`` prints the
ratios of the same workloads in one table.

Options: ``--no-reference``; ``--bench-threads N`` limits PyTorch's and NumPy's BLAS
threads (useful on a machine shared with other jobs).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ember.bench import Workload, backends, workloads


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ember-bench", "Ember benchmarks")
    group.addoption("--no-reference", action="store_true",
                    help="skip the pure-Python reference backend (slow)")
    group.addoption("--bench-threads", type=int, default=None, metavar="N",
                    help="limit PyTorch's intra-op and NumPy's BLAS threads to N")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "reference: Ember on the pure-Python reference backend")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--no-reference"):
        return
    keep = [item for item in items if item.get_closest_marker("reference") is None]
    dropped = [item for item in items if item.get_closest_marker("reference") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(scope="session", autouse=True)
def _threads(request: pytest.FixtureRequest) -> Iterator[None]:
    n = request.config.getoption("--bench-threads")
    if n is None:
        yield
        return
    from ember.bench import thread_limit

    with thread_limit(n):
        yield


def cases(family: str) -> list[Any]:
    """``(workload, implementation)`` parameters of every workload of ``family``."""
    names = [name for name, _ in backends(reference=True)]
    out = []
    for w in workloads(family=family):
        for name in names:
            if name == "reference" and not w.tiny:
                continue
            marks = [pytest.mark.reference] if name == "reference" else []
            out.append(pytest.param(w, f"ember-{name}", marks=marks, id=f"{w.name}-ember-{name}"))
        if w.torch:
            out.append(pytest.param(w, "torch", id=f"{w.name}-torch"))
        if w.numpy is not None:
            out.append(pytest.param(w, "numpy", id=f"{w.name}-numpy"))
    return out


def build(w: Workload, impl: str) -> Any:
    """The timed callable of implementation ``impl`` of ``w`` (skips what is not installed)."""
    if impl == "torch":
        torch = pytest.importorskip("torch", reason="PyTorch is the baseline (pip install torch)")
        return w.setup(torch, "cpu")
    if impl == "numpy":
        import numpy as np

        return w.numpy(np)
    import ember

    device = dict(backends(reference=True))[impl.removeprefix("ember-")]
    return w.setup(ember, device)


def run_case(benchmark: Any, w: Workload, impl: str) -> None:
    """Time ``impl`` of ``w`` in the pytest-benchmark group named after the workload."""
    benchmark.group = w.key
    benchmark.extra_info["workload"] = w.key
    benchmark.extra_info["implementation"] = impl
    fn = build(w, impl)
    if w.once:
        benchmark.pedantic(fn, rounds=1, iterations=1, warmup_rounds=0)
    elif impl == "ember-reference":
        benchmark.pedantic(fn, rounds=3, iterations=1, warmup_rounds=1)
    else:
        benchmark(fn)
