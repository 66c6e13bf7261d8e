"""The static graph a trace records: values, nodes, and the encoding of op arguments.

NOTE [ Traced graph ]
A graph is a list of :class:`Node` s over numbered values. A value is a graph input, a
parameter or buffer of the traced module (referenced by its dotted name, so the graph
follows later weight updates), a constant tensor, or an output of a node. A node names its
op by a qualified target (``"ember.add"``, ``"ember.nn.functional.linear"``,
``"Tensor.__add__"``, ``"Tensor.T"`` for a property) and holds its arguments with every
tensor replaced by :class:`Ref` and every traced size (``x.size(0)``) by :class:`SizeRef`;
everything else in the arguments is a constant frozen at trace time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ember import Tensor

__all__ = ["Ref", "SizeRef", "Value", "Node", "Graph", "flatten_tensors", "map_refs", "refs"]


@dataclass(frozen=True)
class Ref:
    """A tensor argument: graph value number ``vid``."""

    vid: int


@dataclass(frozen=True)
class SizeRef:
    """A traced size: ``value(vid).size(dim)``, read again on every replay."""

    vid: int
    dim: int


@dataclass
class Value:
    """A graph value with the dtype and shape it had at trace time."""

    vid: int
    kind: str  # "input" | "param" | "const" | "node"
    name: str  # input name, parameter path, or "" for node outputs
    dtype: Any
    shape: tuple[int, ...]

    def debug_name(self) -> str:
        return self.name if self.kind in ("input", "param") else str(self.vid)


@dataclass
class Node:
    """One recorded op call: ``outputs = target(*args, **kwargs)``."""

    target: str
    args: tuple
    kwargs: dict
    outputs: list[int]


@dataclass
class Graph:
    """A traced graph (NOTE [ Traced graph ])."""

    values: dict[int, Value] = field(default_factory=dict)
    nodes: list[Node] = field(default_factory=list)
    inputs: Any = ()  # the positional inputs, tensors replaced by Ref
    output: Any = None  # the output structure, tensors replaced by Ref
    params: dict[int, str] = field(default_factory=dict)  # vid -> dotted name
    constants: dict[int, Tensor] = field(default_factory=dict)

    def new_value(self, kind: str, tensor: Tensor, name: str = "") -> int:
        vid = len(self.values)
        self.values[vid] = Value(vid, kind, name, tensor.dtype,
                                 tuple(int(n) for n in tensor.shape))
        return vid

    def input_vids(self) -> list[int]:
        return [v.vid for v in self.values.values() if v.kind == "input"]

    def signature(self) -> list[tuple[str, int]]:
        """The op sequence, to compare two traces (check_trace)."""
        return [(n.target, len(n.outputs)) for n in self.nodes]

    def eliminate_dead_code(self) -> None:
        """Drops the nodes whose outputs nothing uses (``x.sum() > 0`` evaluated only for a
        Python ``if``), keeping in-place ops, and the parameters/constants left unused."""
        live = {r.vid for r in refs(self.output)}
        kept = []
        for node in reversed(self.nodes):
            name = node.target.rpartition(".")[2]
            mutates = name.endswith("_") and not name.startswith("__") or name in (
                "__setitem__", "__iadd__", "__isub__", "__imul__", "__itruediv__")
            if mutates or live.intersection(node.outputs):
                kept.append(node)
                live.update(r.vid for r in refs((node.args, node.kwargs)))
        self.nodes = kept[::-1]
        self.params = {k: v for k, v in self.params.items() if k in live}
        self.constants = {k: v for k, v in self.constants.items() if k in live}

    def __str__(self) -> str:
        from ._printing import graph_str

        return graph_str(self)


def flatten_tensors(obj: Any) -> list[Tensor]:
    """The tensors in a nested tuple/list/dict structure, in order."""
    if isinstance(obj, Tensor):
        return [obj]
    if isinstance(obj, (tuple, list)):
        return [t for item in obj for t in flatten_tensors(item)]
    if isinstance(obj, dict):
        return [t for item in obj.values() for t in flatten_tensors(item)]
    return []


def refs(obj: Any) -> list[Any]:
    """The Ref/SizeRef s in an encoded structure."""
    tp = type(obj)
    if tp is Ref or tp is SizeRef:
        return [obj]
    if tp is tuple or tp is list:
        return [r for x in obj for r in refs(x)]
    if tp is dict:
        return [r for x in obj.values() for r in refs(x)]
    if tp is slice:
        return refs((obj.start, obj.stop, obj.step))
    return []


def map_refs(obj: Any, env: dict[int, Any]) -> Any:
    """Replace every Ref/SizeRef in an encoded structure by its value in ``env``."""
    tp = type(obj)
    if tp is Ref:
        return env[obj.vid]
    if tp is SizeRef:
        return env[obj.vid].size(obj.dim)
    if tp is tuple or tp is list:
        return tp(map_refs(item, env) for item in obj)
    if tp is dict:
        return {k: map_refs(v, env) for k, v in obj.items()}
    if tp is slice:
        return slice(map_refs(obj.start, env), map_refs(obj.stop, env), map_refs(obj.step, env))
    return obj
