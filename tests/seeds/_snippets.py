"""Run a seed snippet as written, once with ``import ember as torch`` and once with PyTorch.

The seeds in ``shared/seeds/`` are PyTorch tutorials. A test copies a snippet verbatim
(indentation restored, the seed text lost it) and runs it through :func:`run`:

- ``lib="ember"`` rewrites only the import lines (``import torch`` becomes ``import ember as
  torch``, ``from torch.utils.data import`` becomes ``from ember.utils.data import``,
  ``torchvision`` becomes ``ember.vision``); the code itself is untouched.
- ``lib="torch"`` runs the very same text on PyTorch 2.13, the oracle.

Snippets that use names imported by an earlier snippet of the same seed (``nn``, ``F``,
``optim``, ``np``, ``DataLoader``...) find them in the prelude namespace. What the snippet
prints is captured and returned; :func:`same_text` compares two printouts up to the
module name (``ember.Size`` / ``torch.Size``) and object addresses.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import linecache
import re
import sys
import textwrap
import types
from typing import Any

import numpy as np

_COUNTER = itertools.count()

# (pattern on a whole import line, replacement); applied in order, first match wins.
_IMPORTS = [
    (r"^(\s*)import torchvision\.(\w+) as (\w+)\s*$", r"\1import ember.vision.\2 as \3"),
    (r"^(\s*)import torchvision\s*$", r"\1import ember.vision as torchvision"),
    (r"^(\s*)from torchvision(\.[\w.]+)? import ", r"\1from ember.vision\2 import "),
    (r"^(\s*)import torch\s*$", r"\1import ember as torch"),
    (r"^(\s*)import torch\.([\w.]+) as (\w+)\s*$", r"\1import ember.\2 as \3"),
    (r"^(\s*)from torch(\.[\w.]+)? import ", r"\1from ember\2 import "),
]


def to_ember(src: str) -> str:
    """``src`` with its torch/torchvision import lines spelled for Ember."""
    out = []
    for line in src.splitlines():
        for pattern, repl in _IMPORTS:
            new = re.sub(pattern, repl, line)
            if new != line:
                line = new
                break
        out.append(line)
    return "\n".join(out) + "\n"


def library(lib: str) -> Any:
    """The ``torch`` module a snippet runs against: ember, or PyTorch (skipping if absent)."""
    if lib == "ember":
        import ember

        return ember
    import pytest

    torch = pytest.importorskip("torch", reason="PyTorch 2.13 is the differential-testing oracle")
    torch.set_num_threads(1)  # tiny tensors; threads only contend on a shared machine
    return torch


def prelude(lib: str) -> dict[str, Any]:
    """The names earlier snippets of a seed imported: torch, nn, F, optim, np, data classes."""
    torch = library(lib)
    import importlib

    data = importlib.import_module(f"{torch.__name__}.utils.data")
    return {
        "__name__": "__seed__",
        "torch": torch,
        "nn": torch.nn,
        "F": torch.nn.functional,
        "optim": torch.optim,
        "np": np,
        "Dataset": data.Dataset,
        "DataLoader": data.DataLoader,
        "TensorDataset": data.TensorDataset,
    }


def run(src: str, lib: str = "ember", ns: dict[str, Any] | None = None) -> tuple[dict, str]:
    """Execute snippet ``src`` against ``lib`` ("ember" or "torch").

    Returns the namespace the snippet left behind and what it printed. ``ns`` adds to (or
    overrides) the prelude, e.g. a tiny dataloader a snippet expects to exist already.
    """
    namespace = prelude(lib)
    if ns:
        namespace.update(ns)
    code = textwrap.dedent(src)
    if lib == "ember":
        code = to_ember(code)
    # The snippet runs as module "__seed__" so that pickle (torch.save of a whole model)
    # finds the classes it defines.
    module = types.ModuleType("__seed__")
    module.__dict__.update(namespace)
    saved = sys.modules.get("__seed__")
    sys.modules["__seed__"] = module
    # Registered with linecache: tracebacks show the line, and inspect.getsource (which
    # torch.jit.script needs) finds the source of the functions the snippet defines.
    filename = f"<seed snippet {next(_COUNTER)} on {lib}>"
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            exec(compile(code, filename, "exec"), module.__dict__)
    finally:
        if saved is None:
            sys.modules.pop("__seed__", None)
        else:
            sys.modules["__seed__"] = saved
    return module.__dict__, buf.getvalue()


def normalize(text: str) -> str:
    """A printout with module names and object addresses made comparable."""
    text = re.sub(r"ember\.(?=[A-Za-z_])", "torch.", text)
    return re.sub(r" object at 0x[0-9a-fA-F]+", "", text)


def same_text(ember_out: str, torch_out: str) -> None:
    """Assert two printouts agree up to module names and addresses."""
    assert normalize(ember_out) == normalize(torch_out)


class FakePyplot(types.ModuleType):
    """Stands in for ``matplotlib.pyplot``: records each call (name, args, kwargs).

    The seeds animate their training loops with pyplot; what matters here is that the
    snippet hands it NumPy data (``x.data.numpy()``) and the numbers it shows. Drawing for
    real would only make the tests slow.
    """

    def __init__(self) -> None:
        super().__init__("matplotlib.pyplot")
        self.calls: list[tuple[str, tuple, dict]] = []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)

        def record(*args: Any, **kwargs: Any) -> None:
            for a in args:
                assert isinstance(a, str | int | float | np.ndarray | np.generic), (
                    f"plt.{name} got a {type(a).__name__}, not NumPy data")
            self.calls.append((name, args, kwargs))

        return record

    def titles(self) -> list[str]:
        """The strings passed to ``plt.title``, in order."""
        return [args[0] for name, args, _ in self.calls if name == "title"]


def fake_pyplot(monkeypatch: Any) -> FakePyplot:
    """Install a :class:`FakePyplot` as ``matplotlib.pyplot`` for the test."""
    import matplotlib

    plt = FakePyplot()
    monkeypatch.setattr(matplotlib, "pyplot", plt, raising=False)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", plt)
    return plt


def numbers(text: str) -> list[float]:
    """Every number in a printout, in order (for comparing printed tensors numerically)."""
    return [float(t) for t in re.findall(r"-?\d+\.?\d*(?:e[-+]?\d+)?", text)]


# NOTE [ Same random numbers on both sides ]
# Ember's generator is not PyTorch's bit for bit, so a snippet that draws random numbers
# (torch.randn, a layer's initial weights, DataLoader's shuffle) prints different values on
# each library. To compare the two printouts anyway, the Ember run *records* every value its
# random functions return (and every tensor the nn.init functions fill), and the PyTorch run
# *replays* them: each call computes its own result (dtype, shape, requires_grad), then has
# its values overwritten with the recorded ones. Only the outermost call is taped (Ember's
# kaiming_uniform_ calls uniform_). A call sequence that differs between the two libraries
# shows up as a clear AssertionError, not as a silent mismatch.
RANDOM_FUNCTIONS = ("rand", "randn", "randint", "randperm", "normal", "rand_like",
                    "randn_like", "randint_like", "bernoulli", "multinomial")
INIT_FUNCTIONS = ("uniform_", "normal_", "kaiming_uniform_", "kaiming_normal_",
                  "xavier_uniform_", "xavier_normal_", "trunc_normal_", "orthogonal_")


_HOLDERS: dict[str, tuple[int, list[tuple[Any, str, Any, bool]]]] = {}


def _holders(lib: str) -> list[tuple[Any, str, Any, bool]]:
    """(module, name, function, fills its first argument) for each place a random or
    nn.init function of ``lib`` is reachable: wherever a public module holds it, also under a
    name it imported (PyTorch's random_split does `from torch import randperm`, its
    MultiheadAttention `from torch.nn.init import xavier_uniform_`). Cached: scanning every
    module is slow, and only a newly imported module can change the answer."""
    cached = _HOLDERS.get(lib)
    if cached and cached[0] == len(sys.modules):
        return cached[1]
    torch = library(lib)
    prefix = f"{torch.__name__}."
    modules = [torch] + [m for k, m in list(sys.modules.items())
                         if k.startswith(prefix) and "._" not in k[len(prefix) - 1:]
                         and isinstance(m, types.ModuleType)]
    found = []
    for owner, names, filled in ((torch, RANDOM_FUNCTIONS, False),
                                 (torch.nn.init, INIT_FUNCTIONS, True)):
        for name in names:
            original = getattr(owner, name, None)
            if original is None:
                continue
            found += [(m, name, original, filled) for m in modules
                      if getattr(m, name, None) is original]
    _HOLDERS[lib] = (len(sys.modules), found)
    return found


class Tape:
    """Random draws recorded on one library and replayed on the other (see the NOTE above).

    ``source`` is the library that records: "ember" (the default: compare PyTorch's printout
    with Ember's) or "torch" (reproduce a result the seed quotes from PyTorch's generator).
    """

    def __init__(self, source: str = "ember") -> None:
        self.source = source
        self.values: dict[str, list[np.ndarray]] = {}
        self.depth = 0

    def _wrap(self, lib: str, name: str, fn: Any, filled_arg: bool) -> Any:
        tape = self

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            tape.depth += 1
            try:
                out = fn(*args, **kwargs)
            finally:
                tape.depth -= 1
            if tape.depth:
                return out
            target = args[0] if filled_arg else out
            if lib == tape.source:
                tape.values.setdefault(name, []).append(target.detach().numpy().copy())
                return out
            queue = tape.values.get(name, [])
            assert queue, f"{lib} called {name} more often than {tape.source} did"
            value = queue.pop(0)
            assert tuple(target.shape) == value.shape, (
                f"{name}: {lib} drew shape {tuple(target.shape)}, {tape.source} {value.shape}")
            torch = library(lib)
            with torch.no_grad():
                target.copy_(torch.from_numpy(value))
            return out

        return wrapper

    def install(self, lib: str, monkeypatch: Any) -> None:
        """Patch ``lib``'s random and nn.init functions to record or replay."""
        for module, name, original, filled in _holders(lib):
            monkeypatch.setattr(module, name, self._wrap(lib, name, original, filled))

    def leftover(self) -> dict[str, int]:
        """Draws the source library made that the other did not replay (should be none)."""
        return {k: len(v) for k, v in self.values.items() if v}


def run_both(src: str, monkeypatch: Any, ns: dict[str, Any] | None = None,
             torch_ns: dict[str, Any] | None = None,
             source: str = "ember") -> tuple[dict, str, dict, str]:
    """Run ``src`` on Ember and on PyTorch with the same random draws.

    ``source`` draws and runs first, the other library replays its draws. ``ns`` adds names
    to the Ember run, ``torch_ns`` to the PyTorch run (default: ``ns`` as is, for names that
    are not tensors). Returns (ember namespace, ember printout, torch namespace, torch
    printout).
    """
    tape = Tape(source)
    tape.install("ember", monkeypatch)
    tape.install("torch", monkeypatch)
    extra = {"ember": ns, "torch": torch_ns if torch_ns is not None else ns}
    order = ("ember", "torch") if source == "ember" else ("torch", "ember")
    results = {lib: run(src, lib, extra[lib]) for lib in order}
    assert not tape.leftover(), f"{source} drew random numbers the other did not: " \
                                f"{tape.leftover()}"
    return (*results["ember"], *results["torch"])


def close_text(ember_out: str, torch_out: str, rtol: float = 1e-4, atol: float = 1e-4) -> None:
    """Assert two printouts agree in their words exactly and in their numbers within tolerance."""
    assert re.sub(r"-?\d+\.?\d*(?:e[-+]?\d+)?", "#", normalize(ember_out)) == re.sub(
        r"-?\d+\.?\d*(?:e[-+]?\d+)?", "#", normalize(torch_out))
    np.testing.assert_allclose(numbers(normalize(ember_out)), numbers(normalize(torch_out)),
                               rtol=rtol, atol=atol)


def describe(value: Any) -> Any:
    """A library-neutral picture of a value, for comparing Ember's result with PyTorch's."""
    if hasattr(value, "detach") and hasattr(value, "dtype") and hasattr(value, "shape"):
        return ("tensor", str(value.dtype).rsplit(".", 1)[-1], tuple(value.shape),
                bool(value.requires_grad), value.detach().cpu().numpy())
    if isinstance(value, tuple | list):
        return (type(value).__name__ if type(value) in (tuple, list) else "tuple",
                [describe(v) for v in value])
    if isinstance(value, np.ndarray):
        return ("ndarray", value)
    if isinstance(value, float):
        return ("float", np.array(value))  # compared within tolerance
    return ("other", normalize(repr(value)))


def assert_same(ember_value: Any, torch_value: Any, rtol: float = 1e-5, atol: float = 1e-6,
                where: str = "") -> None:
    """Assert two :func:`describe` pictures agree (arrays within tolerance)."""
    if isinstance(ember_value, np.ndarray):
        assert isinstance(torch_value, np.ndarray), where
        assert ember_value.shape == torch_value.shape, where
        if ember_value.dtype.kind in "biu":
            np.testing.assert_array_equal(ember_value, torch_value, err_msg=where)
        else:
            np.testing.assert_allclose(ember_value, torch_value, rtol=rtol, atol=atol,
                                       err_msg=where)
    elif isinstance(ember_value, tuple | list):
        assert isinstance(torch_value, tuple | list), f"{where}: {torch_value!r}"
        assert len(ember_value) == len(torch_value), f"{where}: {ember_value} / {torch_value}"
        for i, (a, b) in enumerate(zip(ember_value, torch_value)):
            assert_same(a, b, rtol, atol, f"{where}[{i}]")
    else:
        assert ember_value == torch_value, where


def outcome(src: str, lib: str, setup: str = "", ns: dict[str, Any] | None = None) -> Any:
    """What ``src`` gives on ``lib`` after ``setup``: the value of its last line (described)
    when that is an expression, else None; or ("raises", exception type name)."""
    ns, _ = run(setup, lib, ns)
    code = textwrap.dedent(src).strip()
    *body, last = code.split("\n")
    try:
        try:
            last_expr = compile(last, "<line>", "eval")
        except SyntaxError:
            last_expr, body = None, [*body, last]
        if body:
            ns, _ = run("\n".join(body), lib, ns)
        return None if last_expr is None else describe(eval(last_expr, ns))
    except Exception as e:  # noqa: BLE001 - the exception type is the outcome compared
        return ("raises", type(e).__name__)


def differential(src: str, monkeypatch: Any, setup: str = "",
                 ns: dict[str, Any] | None = None, **tol: float) -> Any:
    """Run ``setup`` then ``src`` on Ember and on PyTorch (random draws replayed) and assert
    they give the same value, or raise the same exception type. Returns Ember's outcome."""
    tape = Tape()
    tape.install("ember", monkeypatch)
    tape.install("torch", monkeypatch)
    got = outcome(src, "ember", setup, ns)
    want = outcome(src, "torch", setup, ns)
    assert_same(got, want, where=src.strip(), **tol)
    assert not tape.leftover(), f"Ember drew random numbers PyTorch did not: {tape.leftover()}"
    return got
