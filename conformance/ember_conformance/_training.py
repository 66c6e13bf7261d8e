"""Optimizer problems and training runs (``test_optim.py``, ``test_training.py``).

A run builds a model from :data:`~._models.SEED` (``NOTE [ Same seed, same model ]`` in
``_models.py``), feeds it batches that are data (from a seeded ``random.Random``) and
steps an optimizer, recording the loss of every step and the parameters at the end, so
the backend under test and the reference backend can be compared step by step. Sizes
are tiny: the reference backend trains in pure Python.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._compare import to_host
from ._models import SEED, host_named
from .opdb._core import seed_for

__all__ = ["OptimSpec", "OPTIMIZERS", "RunSpec", "RUNS", "optimizer_names", "run_training"]


@dataclass(frozen=True)
class OptimSpec:
    """An optimizer configuration: ``make(ember, params)`` and the problem it solves
    (``"mlp"``: a 4-3-1 tanh regression; ``"embedding"``: rows of an embedding table, only
    some of which get a gradient, as SparseAdam expects)."""

    name: str
    make: Callable[[Any, Any], Any]
    problem: str = "mlp"
    steps: int = 5

    dtypes = ("float32", "float64")  # a class attribute: every problem runs in both

    def __repr__(self) -> str:
        return f"OptimSpec({self.name})"


def _o(name: str, make: Callable[[Any, Any], Any], **kw: Any) -> OptimSpec:
    return OptimSpec(name, make, **kw)


OPTIMIZERS: list[OptimSpec] = [
    _o("SGD", lambda e, p: e.optim.SGD(p, lr=0.1)),
    _o("SGD-momentum-dampening", lambda e, p: e.optim.SGD(p, lr=0.1, momentum=0.9,
                                                          dampening=0.1, weight_decay=0.01)),
    _o("SGD-nesterov-maximize", lambda e, p: e.optim.SGD(p, lr=0.05, momentum=0.8,
                                                         nesterov=True, maximize=True)),
    _o("Adam", lambda e, p: e.optim.Adam(p, lr=0.05)),
    _o("Adam-amsgrad-wd", lambda e, p: e.optim.Adam(p, lr=0.05, amsgrad=True,
                                                    weight_decay=0.1)),
    _o("AdamW", lambda e, p: e.optim.AdamW(p, lr=0.05, weight_decay=0.1)),
    _o("Adamax", lambda e, p: e.optim.Adamax(p, lr=0.05, weight_decay=0.01)),
    _o("NAdam", lambda e, p: e.optim.NAdam(p, lr=0.05)),
    _o("NAdam-decoupled", lambda e, p: e.optim.NAdam(p, lr=0.05, weight_decay=0.1,
                                                     decoupled_weight_decay=True)),
    _o("RAdam", lambda e, p: e.optim.RAdam(p, lr=0.05), steps=8),  # rectified after step 5
    _o("Adagrad", lambda e, p: e.optim.Adagrad(p, lr=0.1, lr_decay=0.01,
                                               initial_accumulator_value=0.1)),
    _o("Adadelta", lambda e, p: e.optim.Adadelta(p, lr=1.0, weight_decay=0.01)),
    _o("RMSprop", lambda e, p: e.optim.RMSprop(p, lr=0.01)),
    _o("RMSprop-centered-momentum", lambda e, p: e.optim.RMSprop(p, lr=0.01, momentum=0.5,
                                                                 centered=True)),
    _o("Rprop", lambda e, p: e.optim.Rprop(p, lr=0.05)),
    _o("ASGD", lambda e, p: e.optim.ASGD(p, lr=0.05, t0=2)),
    _o("LBFGS", lambda e, p: e.optim.LBFGS(p, lr=0.5, max_iter=4), steps=3),
    _o("LBFGS-strong-wolfe", lambda e, p: e.optim.LBFGS(p, max_iter=4,
                                                        line_search_fn="strong_wolfe"),
       steps=3),
    _o("SparseAdam", lambda e, p: e.optim.SparseAdam(p, lr=0.1), problem="embedding"),
]


def optimizer_names() -> set[str]:
    """The optimizer classes :data:`OPTIMIZERS` covers."""
    return {s.name.partition("-")[0] for s in OPTIMIZERS}


@dataclass(frozen=True)
class RunSpec:
    """A training run: a model on 8x8 one-channel images of 4 classes, an optimizer."""

    name: str
    model: Callable[[Any, dict], Any]
    make: Callable[[Any, Any], Any]
    dtypes: tuple[str, ...] = ("float32", "float64")
    steps: int = 20

    def __repr__(self) -> str:
        return f"RunSpec({self.name})"


def _mlp(e: Any, f: dict) -> Any:
    nn = e.nn
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 16, **f), nn.ReLU(), nn.Linear(16, 4, **f))


def _cnn(e: Any, f: dict) -> Any:
    nn = e.nn
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1, **f), nn.ReLU(), nn.MaxPool2d(2),  # 4 x 4x4
        nn.Conv2d(4, 8, 3, padding=1, **f), nn.ReLU(), nn.MaxPool2d(2),  # 8 x 2x2
        nn.Flatten(), nn.Linear(32, 4, **f))


def _sgd(e: Any, p: Any) -> Any:
    return e.optim.SGD(p, lr=0.05, momentum=0.9)


def _adam(e: Any, p: Any) -> Any:
    return e.optim.Adam(p, lr=0.01)


#: The CNN trains in float32 only: the reference backend's convolutions in pure Python are
#: the slowest part of the suite's run on another backend, and the MLP covers float64.
RUNS: list[RunSpec] = [
    RunSpec(f"{m}-{o}", model, make, dtypes)
    for m, model, dtypes in (("mlp", _mlp, ("float32", "float64")), ("cnn", _cnn, ("float32",)))
    for o, make in (("sgd-momentum", _sgd), ("adam", _adam))
]


# ---------------------------------------------------------------------------- data
def _images(rng: random.Random, n: int) -> tuple[list, list]:
    """``n`` noisy 8x8 images whose class (0..3) is the quadrant holding a bright square."""
    xs, ys = [], []
    for _ in range(n):
        label = rng.randrange(4)
        r0, c0 = 4 * (label // 2), 4 * (label % 2)
        img = [[rng.gauss(0.0, 0.5) + (1.0 if r0 <= r < r0 + 4 and c0 <= c < c0 + 4 else 0.0)
                for c in range(8)] for r in range(8)]
        xs.append([img])
        ys.append(label)
    return xs, ys


def _batches(e: Any, name: str, steps: int, device: str, dtype: Any) -> list[tuple]:
    rng = random.Random(seed_for("training", name))
    out = []
    for _ in range(steps):
        xs, ys = _images(rng, 8)
        out.append((e.tensor(xs, dtype=dtype, device=device),
                    e.tensor(ys, dtype=e.int64, device=device)))
    return out


def _problem(e: Any, spec: OptimSpec, f: dict) -> tuple[Any, Any, Any, Any]:
    """(model, loss function, input, target) of an optimizer's problem."""
    rng = random.Random(seed_for("optim", spec.problem))
    nn = e.nn
    if spec.problem == "embedding":
        model = nn.Embedding(8, 3, **f)
        x = e.tensor([[1, 4, 4], [6, 1, 2]], device=f["device"])  # rows 0, 3, 5, 7: no grad
        y = e.tensor([[rng.gauss(0, 1) for _ in range(3)] for _ in range(2)], **f)
        return model, (lambda out, t: ((out.sum(1) - t) ** 2).mean()), x, y
    model = nn.Sequential(nn.Linear(4, 3, **f), nn.Tanh(), nn.Linear(3, 1, **f))
    x = e.tensor([[rng.gauss(0, 1) for _ in range(4)] for _ in range(6)], **f)
    y = e.tensor([[rng.gauss(0, 1)] for _ in range(6)], **f)
    return model, nn.MSELoss(), x, y


# ---------------------------------------------------------------------------- the loop
def _step(opt: Any, model: Any, loss_fn: Any, x: Any, y: Any) -> Any:
    def closure() -> Any:
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        return loss

    return opt.step(closure)


def run_training(spec: OptimSpec | RunSpec, dtype: str, device: str) -> dict[str, Any]:
    """Train ``spec`` on ``device`` in ``dtype`` from :data:`SEED`.

    Returns host-side results: ``init`` (the parameters as built), ``losses`` (each step's,
    as ``step(closure)`` returns it) and ``final`` (the parameters after the last step).
    """
    import ember

    f = {"device": device, "dtype": getattr(ember, dtype)}
    ember.manual_seed(SEED)
    if isinstance(spec, RunSpec):
        model, loss_fn = spec.model(ember, f), ember.nn.CrossEntropyLoss()
        data = _batches(ember, spec.name, spec.steps, device, f["dtype"])
    else:
        model, loss_fn, x, y = _problem(ember, spec, f)
        data = [(x, y)] * spec.steps
    init = host_named(model.named_parameters())
    opt = spec.make(ember, model.parameters())
    losses = [to_host(_step(opt, model, loss_fn, x, y).detach()) for x, y in data]
    return {"init": init, "losses": tuple(losses),
            "final": host_named(model.named_parameters())}
