"""Building an ONNX graph from a traced graph (NOTE [ Traced graph ] in ``ember.jit``)."""

from __future__ import annotations

from typing import Any

from ember import Tensor
from ember.jit._graph import Graph, Node, Ref, SizeRef, map_refs

__all__ = ["Builder", "UnsupportedOperatorError"]


class UnsupportedOperatorError(RuntimeError):
    """An op of the traced graph has no ONNX conversion (PyTorch's
    ``torch.onnx.errors.UnsupportedOperatorError``)."""


def _np_dtype(dtype: Any) -> Any:
    import numpy as np

    name = str(dtype).rsplit(".", 1)[-1]
    if name == "bfloat16" or not hasattr(np, name):
        raise UnsupportedOperatorError(f"ember.onnx.export: dtype {dtype} is not supported")
    return np.dtype(name)


class Builder:
    """Accumulates ONNX nodes and initializers; each graph value gets one ONNX name."""

    def __init__(self, onnx: Any, graph: Graph, opset: int) -> None:
        self.onnx, self.graph, self.opset = onnx, graph, opset
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.names: dict[int, str] = {}
        self.consts: dict[int, Tensor] = dict(graph.constants)  # values known at export
        self._count = 0

    # ------------------------------------------------------------------ names and constants
    def fresh(self, hint: str) -> str:
        self._count += 1
        return f"/{hint}_{self._count}"

    def name(self, ref: Ref) -> str:
        return self.names[ref.vid]

    def dtype(self, ref: Ref) -> Any:
        return self.graph.values[ref.vid].dtype

    def rank(self, ref: Ref) -> int:
        return len(self.graph.values[ref.vid].shape)

    def shape(self, ref: Ref) -> tuple[int, ...]:
        return self.graph.values[ref.vid].shape

    def array(self, value: Any, name: str, like: Any = None) -> str:
        """An initializer holding ``value`` (a Tensor, or a Python number/list in the dtype
        of ``like``, an ember dtype)."""
        import numpy as np

        if isinstance(value, Tensor):
            arr = value.detach().cpu().numpy()
        else:
            arr = np.asarray(value, dtype=None if like is None else _np_dtype(like))
        self.initializers.append(self.onnx.numpy_helper.from_array(np.ascontiguousarray(arr),
                                                                   name))
        return name

    def ints(self, values: list[int]) -> str:
        return self.array(_int64(values), self.fresh("Constant"))

    def operand(self, obj: Any, like: Ref) -> str:
        """The ONNX name of a tensor argument, or a constant in ``like``'s dtype."""
        if isinstance(obj, Ref):
            return self.name(obj)
        return self.array(obj, self.fresh("Constant"), self.dtype(like))

    def size(self, ref: SizeRef) -> str:
        """A 1-element int64 tensor holding ``value(ref.vid).size(ref.dim)``."""
        shape = self.add("Shape", [self.names[ref.vid]])
        return self.add("Gather", [shape, self.ints([ref.dim])], axis=0)

    def shape_input(self, dims: list[Any]) -> str:
        """A 1-D int64 shape tensor from ints and :class:`SizeRef` s."""
        if not any(isinstance(d, SizeRef) for d in dims):
            return self.ints([int(d) for d in dims])
        parts = [self.size(d) if isinstance(d, SizeRef) else self.ints([int(d)]) for d in dims]
        return self.add("Concat", parts, axis=0)

    # ------------------------------------------------------------------ nodes
    def add(self, op: str, inputs: list[str], outputs: list[str] | None = None,
            **attrs: Any) -> Any:
        outs = outputs or [self.fresh(op)]
        self.nodes.append(self.onnx.helper.make_node(op, inputs, outs, name=self.fresh(op + "N"),
                                                     **attrs))
        return outs[0] if len(outs) == 1 else outs

    def fold(self, node: Node, fn: Any) -> None:
        """A node with constant inputs: computed now and stored as initializers."""
        from ember.jit._graph import flatten_tensors

        env = self.consts
        result = fn(*map_refs(node.args, env), **map_refs(node.kwargs, env))
        for vid, t in zip(node.outputs, flatten_tensors(result)):
            self.names[vid] = self.array(t, self.fresh("Constant"))
            env[vid] = t


def _int64(values: list[int]) -> Any:
    import numpy as np

    return np.asarray(values, dtype=np.int64)
