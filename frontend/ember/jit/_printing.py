"""Text forms of a traced graph: ``.graph`` (PyTorch's IR style) and ``.code`` (Python)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._graph import Graph, Ref, SizeRef, Value

__all__ = ["graph_str", "code_str"]

_TYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half",
               "bfloat16": "BFloat16", "int64": "Long", "int32": "Int", "int16": "Short",
               "int8": "Char", "uint8": "Byte", "bool": "Bool", "complex64": "ComplexFloat",
               "complex128": "ComplexDouble"}
_BINARY = {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%",
           "pow": "**", "matmul": "@", "and": "&", "or": "|", "xor": "^", "lshift": "<<",
           "rshift": ">>", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "==",
           "ne": "!="}
_UNARY = {"neg": "-", "pos": "+", "invert": "~", "abs": "abs"}


def _type(v: Value) -> str:
    name = str(v.dtype).rsplit(".", 1)[-1]
    return f"{_TYPE_NAMES.get(name, name)}({', '.join(map(str, v.shape))})"


def _fmt(obj: Any, name: Callable[[int], str], size: Callable[[SizeRef], str]) -> str:
    tp = type(obj)
    if tp is Ref:
        return name(obj.vid)
    if tp is SizeRef:
        return size(obj)
    if tp is tuple:
        inner = ", ".join(_fmt(x, name, size) for x in obj)
        return f"({inner},)" if len(obj) == 1 else f"({inner})"
    if tp is list:
        return "[" + ", ".join(_fmt(x, name, size) for x in obj) + "]"
    if tp is dict:
        return "{" + ", ".join(f"{k!r}: {_fmt(v, name, size)}" for k, v in obj.items()) + "}"
    if tp is slice:
        parts = [_fmt(p, name, size) if p is not None else "" for p in
                 (obj.start, obj.stop, obj.step)]
        return ":".join(parts[:2] if obj.step is None else parts)
    if obj is Ellipsis:
        return "..."
    return repr(obj)


def graph_str(graph: Graph) -> str:
    """The graph in PyTorch's IR style: typed inputs, one line per node, the return."""

    def name(vid: int) -> str:
        return "%" + graph.values[vid].debug_name()

    def size(ref: SizeRef) -> str:
        return f"aten::size({name(ref.vid)}, {ref.dim})"

    heads = [f"{name(v.vid)} : {_type(v)}" for v in graph.values.values() if v.kind == "input"]
    heads += [f"{name(vid)} : {_type(graph.values[vid])}" for vid in graph.params]
    lines = ["graph(" + ",\n      ".join(heads) + "):"]
    for vid in graph.constants:
        lines.append(f"  {name(vid)} : {_type(graph.values[vid])} = prim::Constant()")
    for node in graph.nodes:
        args = [_fmt(a, name, size) for a in node.args]
        args += [f"{k}={_fmt(v, name, size)}" for k, v in node.kwargs.items()]
        outs = ", ".join(f"{name(o)} : {_type(graph.values[o])}" for o in node.outputs)
        lhs = f"{outs} = " if outs else ""
        lines.append(f"  {lhs}{node.target}({', '.join(args)})")
    lines.append(f"  return ({_fmt(graph.output, name, size)})")
    return "\n".join(lines) + "\n"


def _ident(text: str) -> str:
    out = "".join(c if c.isalnum() else "_" for c in text)
    return out if out and not out[0].isdigit() else "_" + out


def code_str(graph: Graph, is_module: bool, fn_name: str = "forward") -> str:
    """The graph as a Python-like listing (what ``.code`` shows)."""

    def name(vid: int) -> str:
        v = graph.values[vid]
        if v.kind == "input":
            return _ident(v.name)
        if v.kind == "param":
            return "self." + v.name
        return f"CONSTANTS.c{vid}" if v.kind == "const" else f"_{vid}"

    def size(ref: SizeRef) -> str:
        return f"{name(ref.vid)}.size({ref.dim})"

    params = (["self"] if is_module else []) + [
        f"{name(v.vid)}: Tensor" for v in graph.values.values() if v.kind == "input"]
    lines = [f"def {fn_name}({', '.join(params)}):"]
    for node in graph.nodes:
        args = [_fmt(a, name, size) for a in node.args]
        kwargs = [f"{k}={_fmt(v, name, size)}" for k, v in node.kwargs.items()]
        expr = _expression(node.target, args, kwargs)
        outs = ", ".join(f"_{o}" for o in node.outputs)
        lines.append(f"  {outs} = {expr}" if outs else f"  {expr}")
    lines.append(f"  return {_fmt(graph.output, name, size)}")
    return "\n".join(lines) + "\n"


def _expression(target: str, args: list[str], kwargs: list[str]) -> str:
    owner, _, op = target.rpartition(".")
    if owner != "Tensor":
        return f"{target}({', '.join(args + kwargs)})"
    bare = op.strip("_")
    if op.startswith("__") and not kwargs:
        if bare in _BINARY and len(args) == 2:
            return f"{args[0]} {_BINARY[bare]} {args[1]}"
        if bare[1:] in _BINARY and bare.startswith("r") and len(args) == 2:
            return f"{args[1]} {_BINARY[bare[1:]]} {args[0]}"
        if bare in _UNARY and len(args) == 1:
            return f"{_UNARY[bare]}({args[0]})"
        if bare == "getitem" and len(args) == 2:
            index = args[1][1:-1] if args[1].startswith("(") else args[1]
            return f"{args[0]}[{index.rstrip(',')}]"
        if bare == "setitem" and len(args) == 3:
            return f"{args[0]}[{args[1]}] = {args[2]}"
    if not args:
        return f"{target}({', '.join(kwargs)})"
    if op in ("T", "mT", "H", "mH"):
        return f"{args[0]}.{op}"
    return f"{args[0]}.{op}({', '.join(args[1:] + kwargs)})"
