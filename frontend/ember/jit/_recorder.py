"""Recording a trace: the public op entry points are wrapped while (and only while) a trace
runs, so ordinary op calls keep their bare speed (DESIGN §5).

NOTE [ Recording the outermost call ]
Every public entry point (``ember.*`` functions, ``ember.nn.functional.*``, ``ember.linalg``
/ ``ember.special`` functions, Tensor methods, operators and the ``T``-style properties) is
replaced by a recorder for the duration of :func:`ember.jit.trace`. A recorder called at
depth 0 encodes its arguments (NOTE [ Traced graph ]), runs the original with the depth
raised, and appends one node; ops a composite calls internally run at depth > 0 and are not
recorded, so the graph holds the calls the traced code itself made. ``x.size(d)`` and
``x.shape`` of a traced value return :class:`TracedInt` s, which the recorder turns into
:class:`SizeRef` s, so ``x.view(x.size(0), -1)`` keeps a dynamic batch size.
"""

from __future__ import annotations

import functools
import sys
import types
import warnings
from typing import Any

from ember import Tensor
from ember._size import Size

from ._graph import Graph, Node, Ref, SizeRef, flatten_tensors

__all__ = ["TracerWarning", "TracedInt", "Recorder", "current", "NAMESPACES"]


class TracerWarning(Warning):
    """Warns that a trace may not generalize (PyTorch's ``torch.jit.TracerWarning``)."""


class TracedInt(int):
    """A size read from a traced tensor; remembers which value and dimension it came from."""

    def __new__(cls, value: int, vid: int, dim: int) -> TracedInt:
        self = super().__new__(cls, value)
        self._src = SizeRef(vid, dim)
        return self


#: The public namespaces whose functions are recorded, by the prefix their targets use.
NAMESPACES = ("ember", "ember.nn.functional", "ember.linalg", "ember.special", "ember.fft")
_SKIP_FUNCTIONS = frozenset({"save", "load", "manual_seed", "seed", "initial_seed"})
_OPERATORS = frozenset(
    f"__{n}__" for n in (
        "add radd sub rsub mul rmul truediv rtruediv floordiv rfloordiv mod rmod pow rpow "
        "and rand or ror xor rxor lshift rshift matmul rmatmul lt le gt ge eq ne neg pos abs "
        "invert getitem setitem iadd isub imul itruediv ifloordiv imod ipow iand ior ixor"
    ).split())
_PROPERTIES = ("T", "mT", "H", "mH")
_NOT_RECORDED = frozenset({"size", "dim", "ndimension", "numel", "nelement", "stride",
                           "element_size", "data_ptr", "storage_offset", "is_contiguous",
                           "backward", "register_hook", "retain_grad", "requires_grad_",
                           "is_floating_point", "is_complex", "is_signed", "get_device",
                           "type", "untyped_storage", "storage", "share_memory_"})
#: Methods that let a Python value leave the graph, with PyTorch's word for it.
_ESCAPES = {"item": "Python number", "__bool__": "Python boolean", "tolist": "Python list",
            "__float__": "Python float", "__int__": "Python integer",
            "__index__": "Python index", "numpy": "NumPy array"}
_ESCAPE_MSG = ("Converting a tensor to a {} might cause the trace to be incorrect. We can't "
               "record the data flow of Python values, so this value will be treated as a "
               "constant in the future. This means that the trace might not generalize to "
               "other inputs!")

_CURRENT: Recorder | None = None


def current() -> Recorder | None:
    """The recorder of the trace in progress, if any."""
    return _CURRENT


def _user_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside ``ember.jit``."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith("ember.jit"):
        frame, level = frame.f_back, level + 1
    return level


def _plain(obj: Any) -> Any:
    """``obj`` with every TracedInt turned back into an int (what the real op receives)."""
    tp = type(obj)
    if tp is TracedInt:
        return int(obj)
    if tp is tuple or tp is list or tp is Size:
        return tp(_plain(x) for x in obj)
    if tp is dict:
        return {k: _plain(v) for k, v in obj.items()}
    return obj


class Recorder:
    """Builds a :class:`Graph` while the traced code runs (NOTE [ Recording the outermost
    call ])."""

    def __init__(self, param_names: dict[int, str]) -> None:
        self.graph = Graph()
        self.ids: dict[int, int] = {}  # id(tensor) -> vid
        self.keep: list[Tensor] = []  # keeps recorded tensors alive so ids stay unique
        self.param_names = param_names  # id(parameter or buffer) -> dotted name
        self.param_vids: dict[str, int] = {}
        self.depth = 0
        self._saved: list[tuple[Any, str, Any]] = []

    # ------------------------------------------------------------------ values
    def add_input(self, t: Tensor, name: str) -> Ref:
        vid = self.graph.new_value("input", t, name)
        self.ids[id(t)] = vid
        self.keep.append(t)
        return Ref(vid)

    def ref(self, t: Tensor) -> Ref:
        vid = self.ids.get(id(t))
        if vid is not None:
            return Ref(vid)
        name = self.param_names.get(id(t))
        if name is not None:
            vid = self.graph.new_value("param", t, name)
            self.graph.params[vid] = name
        else:
            if t.grad_fn is not None:
                warnings.warn(
                    f"A tensor of shape {tuple(t.shape)} computed outside the recorded ops "
                    f"(grad_fn {type(t.grad_fn).__name__}) is used by a traced op; it is "
                    f"recorded as a constant, so the trace might not generalize to other "
                    f"inputs!", TracerWarning, stacklevel=_user_stacklevel())
            vid = self.graph.new_value("const", t)
            self.graph.constants[vid] = t
        self.ids[id(t)] = vid
        self.keep.append(t)
        return Ref(vid)

    def encode(self, obj: Any) -> Any:
        if isinstance(obj, Tensor):
            return self.ref(obj)
        tp = type(obj)
        if tp is TracedInt:
            return obj._src
        if tp is tuple or tp is list or tp is Size or (isinstance(obj, tuple)
                                                      and hasattr(obj, "_fields")):
            return (list if tp is list else tuple)(self.encode(x) for x in obj)
        if tp is dict:
            return {k: self.encode(v) for k, v in obj.items()}
        if tp is slice:
            return slice(self.encode(obj.start), self.encode(obj.stop), self.encode(obj.step))
        return obj

    def traced_kind(self, t: Any) -> str | None:
        vid = self.ids.get(id(t)) if isinstance(t, Tensor) else None
        return None if vid is None else self.graph.values[vid].kind

    # ------------------------------------------------------------------ recording
    def call(self, target: str, fn: Any, args: tuple, kwargs: dict, mutates: bool) -> Any:
        enc_args, enc_kwargs = self.encode(args), self.encode(kwargs)
        self.depth += 1
        try:
            out = fn(*_plain(args), **_plain(kwargs))
        finally:
            self.depth -= 1
        outs = flatten_tensors(out)
        if outs or mutates:
            vids = []
            for t in outs:
                vid = self.graph.new_value("node", t)
                self.ids[id(t)] = vid
                vids.append(vid)
            self.keep.extend(outs)
            self.graph.nodes.append(Node(target, enc_args, enc_kwargs, vids))
        return out

    def _wrap(self, target: str, fn: Any, mutates: bool = False) -> Any:
        def recorder(*args: Any, **kwargs: Any) -> Any:
            if _CURRENT is not self or self.depth:
                return fn(*args, **kwargs)
            return self.call(target, fn, args, kwargs, mutates)

        return functools.wraps(fn)(recorder)

    def _escape(self, name: str, fn: Any) -> Any:
        what = _ESCAPES[name]

        def escape(t: Tensor, *args: Any, **kwargs: Any) -> Any:
            if _CURRENT is self and not self.depth and self.traced_kind(t) in ("input", "node"):
                warnings.warn(_ESCAPE_MSG.format(what), TracerWarning, stacklevel=2)
            self.depth += 1
            try:
                return fn(t, *args, **kwargs)
            finally:
                self.depth -= 1

        return functools.wraps(fn)(escape)

    def _size(self, fn: Any) -> Any:
        def size(t: Tensor, dim: Any = None) -> Any:
            out = fn(t, dim)
            if _CURRENT is not self or self.depth or self.traced_kind(t) not in ("input", "node"):
                return out
            vid = self.ids[id(t)]
            if dim is None:
                return Size(TracedInt(n, vid, d) for d, n in enumerate(out))
            return TracedInt(out, vid, dim % t.dim())

        return functools.wraps(fn)(size)

    # ------------------------------------------------------------------ install / remove
    def _patch(self, owner: Any, name: str, new: Any) -> None:
        self._saved.append((owner, name, vars(owner)[name]))
        setattr(owner, name, new)

    def install(self) -> None:
        """Wrap the public entry points (undone by :meth:`remove`)."""
        global _CURRENT
        if _CURRENT is not None:
            raise RuntimeError("ember.jit.trace: a trace is already in progress")
        _CURRENT = self
        import importlib

        for prefix in NAMESPACES:
            try:
                mod = importlib.import_module(prefix)
            except ImportError:
                continue
            for name, obj in list(vars(mod).items()):
                if (not name.startswith("_") and name not in _SKIP_FUNCTIONS
                        and isinstance(obj, (types.FunctionType, types.BuiltinFunctionType))):
                    self._patch(mod, name, self._wrap(f"{prefix}.{name}", obj))
        for name, obj in list(vars(Tensor).items()):
            if name in _ESCAPES:
                self._patch(Tensor, name, self._escape(name, obj))
            elif name == "size":
                self._patch(Tensor, name, self._size(obj))
            elif name == "shape":
                size = self._size(lambda t, dim, get=obj.fget: get(t))
                self._patch(Tensor, name, property(lambda t, size=size: size(t)))
            elif name in _PROPERTIES and isinstance(obj, property):
                self._patch(Tensor, name, property(self._wrap(f"Tensor.{name}", obj.fget)))
            elif (isinstance(obj, types.FunctionType)
                  and (name in _OPERATORS or not name.startswith("_"))
                  and name not in _NOT_RECORDED):
                self._patch(Tensor, name, self._wrap(f"Tensor.{name}", obj,
                                                     mutates=name == "__setitem__"))

    def remove(self) -> None:
        """Put the original entry points back."""
        global _CURRENT
        for owner, name, original in reversed(self._saved):
            setattr(owner, name, original)
        self._saved.clear()
        _CURRENT = None


def is_tracing() -> bool:
    """Whether a :func:`ember.jit.trace` is recording right now.

    Example:
        >>> import ember
        >>> ember.jit.is_tracing()
        False
    """
    return _CURRENT is not None

