"""Per-op overhead and large-op throughput against PyTorch and hand-written NumPy.

Groups (pytest-benchmark prints one table per group):

* ``chain200``: 200 elementwise ops on 8x8 float32 tensors (see ``ember.bench``);
* ``matmul512``, ``sum1e6``, ``exp1e6``: large single ops.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import OTHER, SMALL, ember_pair

from ember.bench import _chain


@pytest.mark.benchmark(group="chain200")
def test_chain_ember_numpy(benchmark: Any, ember: Any) -> None:
    x, y = ember_pair(ember, "cpu")
    benchmark(_chain, x, y)


@pytest.mark.benchmark(group="chain200")
def test_chain_ember_reference(benchmark: Any, ember: Any) -> None:
    x, y = ember_pair(ember, "ref")
    benchmark.pedantic(_chain, args=(x, y), rounds=5, iterations=1, warmup_rounds=1)


@pytest.mark.benchmark(group="chain200")
def test_chain_torch(benchmark: Any, torch: Any) -> None:
    x = torch.tensor(SMALL, dtype=torch.float32)
    y = torch.tensor(OTHER, dtype=torch.float32)
    benchmark(_chain, x, y)


@pytest.mark.benchmark(group="chain200")
def test_chain_numpy(benchmark: Any, np: Any) -> None:
    x = np.array(SMALL, dtype=np.float32)
    y = np.array(OTHER, dtype=np.float32)
    benchmark(_chain, x, y)


def _big(lib: str, ember: Any, np: Any, torch: Any | None) -> dict[str, Any]:
    if lib == "ember-numpy":
        ember.manual_seed(0)
        a, b = ember.rand(512, 512), ember.rand(512, 512)
        v = ember.linspace(-1.0, 1.0, 10**6)
        return {"matmul": lambda: ember.matmul(a, b), "sum": v.sum, "exp": v.exp}
    if lib == "torch":
        a, b = torch.rand(512, 512), torch.rand(512, 512)
        v = torch.linspace(-1.0, 1.0, 10**6)
        return {"matmul": lambda: a @ b, "sum": v.sum, "exp": v.exp}
    rng = np.random.default_rng(0)
    a, b = rng.random((512, 512), dtype=np.float32), rng.random((512, 512), dtype=np.float32)
    v = np.linspace(-1.0, 1.0, 10**6, dtype=np.float32)
    return {"matmul": lambda: a @ b, "sum": v.sum, "exp": lambda: np.exp(v)}


_GROUPS = {"matmul": "matmul512", "sum": "sum1e6", "exp": "exp1e6"}


@pytest.mark.parametrize("op", list(_GROUPS))
@pytest.mark.parametrize("lib", ["ember-numpy", "torch", "numpy"])
def test_large(benchmark: Any, request: pytest.FixtureRequest, ember: Any, np: Any, lib: str,
               op: str) -> None:
    torch = request.getfixturevalue("torch") if lib == "torch" else None
    benchmark.group = _GROUPS[op]
    benchmark(_big(lib, ember, np, torch)[op])
