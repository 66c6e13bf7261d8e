"""What the module, loss, optimizer and training checks share.

# NOTE [ Same seed, same model ]
A module is built twice from the same seed: on the backend under test and on the reference
backend. The parameters it draws come from Ember's generator, whose streams agree across
backends (``test_random.py`` checks it), so both copies start equal (which is compared
first). Inputs are data, as in the op database: nested lists from a ``random.Random``
seeded with the case's name, built with ``ember.tensor`` on each device. Results come back
to the host through ``tolist()`` and are compared with the op database's per-dtype
tolerances (``_compare.compare``).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest

from ._compare import compare, to_host
from ._grads import weighted_grads
from ._report import DTYPE_KEY, ERR_KEY
from .opdb._core import Tol, seed_for

__all__ = ["SEED", "Input", "ModuleSpec", "params", "host_named", "require_pair", "check",
           "run_module", "against_reference"]

#: The seed every module, optimizer problem and training run starts from.
SEED = 0
_FLOATING = ("float16", "bfloat16", "float32", "float64")


@dataclass(frozen=True)
class Input:
    """A tensor input as a recipe, filled from the case's ``random.Random``.

    Args:
        shape: the tensor's shape.
        kind: ``"normal"`` (N(0, 1)), ``"unit"`` (in (0.05, 0.95): probabilities),
            ``"positive"`` (in (0.5, 2)), ``"sign"`` (-1.0 or 1.0), ``"binary"`` (0.0 or
            1.0), ``"prob"`` (rows of the last dim summing to 1), ``"index"`` (int64 in
            ``[0, high)``) or ``"data"`` (``data`` as given, int64).
        high: the bound of ``"index"`` values.
        grad: a floating input becomes a leaf that requires grad.
        data: the values of a ``"data"`` input.
    """

    shape: tuple[int, ...]
    kind: str = "normal"
    high: int = 0
    grad: bool = True
    data: tuple = ()

    @property
    def floating(self) -> bool:
        return self.kind not in ("index", "data")

    def values(self, rng: random.Random) -> list[Any]:
        """The flat values, in row-major order."""
        n = 1
        for s in self.shape:
            n *= s
        draw: dict[str, Callable[[], Any]] = {
            "normal": lambda: rng.gauss(0.0, 1.0),
            "unit": lambda: rng.uniform(0.05, 0.95),
            "positive": lambda: rng.uniform(0.5, 2.0),
            "sign": lambda: rng.choice((-1.0, 1.0)),
            "binary": lambda: float(rng.randrange(2)),
            "index": lambda: rng.randrange(self.high),
        }
        if self.kind == "data":
            return list(self.data)
        if self.kind == "prob":
            last = self.shape[-1] if self.shape else 1
            out: list[float] = []
            for _ in range(n // last):
                row = [rng.uniform(0.1, 1.0) for _ in range(last)]
                out += [v / sum(row) for v in row]
            return out
        if self.kind not in draw:
            raise ValueError(f"Input: unknown kind {self.kind!r}")
        return [draw[self.kind]() for _ in range(n)]

    def build(self, ember: Any, rng: random.Random, device: str, dtype: str) -> Any:
        """The tensor on ``device``: ``dtype`` for floating kinds, int64 otherwise."""
        dt = getattr(ember, dtype if self.floating else "int64")
        t = ember.tensor(self.values(rng), dtype=dt, device=device).reshape(self.shape)
        return t.requires_grad_(True) if self.grad and self.floating else t


@dataclass(frozen=True)
class ModuleSpec:
    """A module (a layer or a loss) and the inputs of its forward.

    Args:
        name: the case id's stem (``"Conv2d-stride"``).
        build: ``build(ember, factory)`` returns the module; ``factory`` holds ``device``
            and ``dtype`` for layers' constructors and tensors a loss takes (``weight``).
        inputs: the forward's positional arguments.
        mode: ``"train"``, or ``"eval"``: eval after one training-mode pass under
            ``no_grad`` (so running statistics are not the initial ones).
        dtypes: the floating dtypes the case runs in.
        tols: per-dtype tolerance overrides (a long chain of float32 kernels rounds more).
    """

    name: str
    build: Callable[[Any, dict], Any]
    inputs: tuple[Input, ...]
    mode: str = "train"
    dtypes: tuple[str, ...] = ("float32", "float64")
    tols: dict[str, Tol] = field(default_factory=dict)

    def __repr__(self) -> str:  # pytest shows it in failure reports
        return f"ModuleSpec({self.name})"


def params(specs: list[Any]) -> list[Any]:
    """One ``pytest.param((spec, dtype), id="name-dtype")`` per spec and dtype."""
    return [pytest.param((s, dt), id=f"{s.name}-{dt}") for s in specs for dt in s.dtypes]


def require_pair(suite: Any, dtype: str) -> None:
    """Skip, with the reason, where a comparison with the reference backend is meaningless
    (it is the backend under test) or the backend does not declare ``dtype``."""
    if suite.device == suite.reference_device:
        pytest.skip("the backend under test is the reference backend itself")
    if dtype not in suite.dtypes:
        pytest.skip(f"backend {suite.backend!r} does not declare dtype {dtype} "
                    f"(Backend.dtypes)")


def host_named(pairs: Any) -> dict[str, Any]:
    """``{name: host tensor}`` for ``named_parameters()`` / ``named_buffers()``."""
    return {name: to_host(t) for name, t in pairs}


def check(got: Any, want: Any, tols: dict[str, Tol] | None, what: str) -> float:
    """``_compare.compare`` for results that are not op-database cases; the worst error."""
    if isinstance(want, dict):
        assert list(got) == list(want), f"{what}: names {list(got)} != expected {list(want)}"
        return max((check(got[k], want[k], tols, f"{what} {k!r}") for k in want),
                   default=0.0)
    return compare(got, want, SimpleNamespace(values=True, tols=tols or {}), what)


def run_module(spec: ModuleSpec, dtype: str, device: str) -> dict[str, Any]:
    """Build ``spec``'s module from :data:`SEED` on ``device`` and run forward and backward.

    Returns host-side results: ``init`` (parameters as built), ``output``, ``grads``
    (of a weighted sum of the floating outputs, for the inputs that require grad and
    every parameter) and ``buffers`` (after the forward: running statistics).
    """
    import ember

    factory = {"device": device, "dtype": getattr(ember, dtype)}
    ember.manual_seed(SEED)
    module = spec.build(ember, factory)
    init = host_named(module.named_parameters())
    rng = random.Random(seed_for("module", spec.name))
    inputs = [i.build(ember, rng, device, dtype) for i in spec.inputs]
    if spec.mode == "eval":
        with ember.no_grad():
            module(*inputs)
        module.eval()
    ember.manual_seed(SEED + 1)  # a module drawing in forward (dropout) draws the same
    out = module(*inputs)
    named = [(f"input{i}", t) for i, t in enumerate(inputs) if t.requires_grad]
    named += list(module.named_parameters())
    grads = weighted_grads([t for _, t in named], lambda *_: out) if named else []
    return {"init": init, "output": to_host(out),
            "grads": {name: to_host(g) for (name, _), g in zip(named, grads)},
            "buffers": host_named(module.named_buffers())}


def against_reference(run: Callable[[Any, str, str], dict[str, Any]], param: tuple[Any, str],
                      suite: Any, request: pytest.FixtureRequest) -> dict[str, Any]:
    """Run ``run(spec, dtype, device)`` (:func:`run_module` or a training run) on the
    backend under test and on the reference backend and compare the results key by key,
    within the spec's ``tols`` if it has any; record the dtype and the worst error for the
    report. Returns the backend's results."""
    spec, dtype = param
    require_pair(suite, dtype)
    got = run(spec, dtype, suite.device)
    want = run(spec, dtype, suite.reference_device)
    request.node.user_properties.append((DTYPE_KEY, dtype))
    tols = getattr(spec, "tols", None)
    worst = max(check(got[k], want[k], tols, k) for k in want)
    request.node.user_properties.append((ERR_KEY, float(worst)))
    return got
