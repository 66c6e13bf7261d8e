"""``save``/``load`` of traced graphs in a safe format: a zip holding the graph as JSON and
the tensors as safetensors. Nothing is pickled, so loading never runs stored code; a target
must name an op in Ember's public namespaces."""

from __future__ import annotations

import io
import json
import os
import zipfile
from typing import Any

import ember
from ember import Tensor
from ember.nn import Module, Parameter
from ember.utils import safetensors

from ._graph import Graph, Node, Ref, SizeRef, Value
from ._module import TracedFunction, TracedModule

__all__ = ["save", "load"]

_FORMAT = "ember.jit/1"
_ATTRS = ("contiguous_format", "preserve_format", "channels_last", "strided")


def _enc(obj: Any, where: str) -> Any:
    tp = type(obj)
    if obj is None or tp in (bool, int, float, str):
        return obj
    if tp is Ref:
        return {"$ref": obj.vid}
    if tp is SizeRef:
        return {"$size": [obj.vid, obj.dim]}
    if tp is list:
        return [_enc(x, where) for x in obj]
    if tp is tuple:
        return {"$tuple": [_enc(x, where) for x in obj]}
    if tp is dict:
        return {"$dict": [[_enc(k, where), _enc(v, where)] for k, v in obj.items()]}
    if tp is slice:
        return {"$slice": [_enc(p, where) for p in (obj.start, obj.stop, obj.step)]}
    if obj is Ellipsis:
        return {"$ellipsis": 0}
    if tp is complex:
        return {"$complex": [obj.real, obj.imag]}
    if isinstance(obj, ember.dtype):
        return {"$dtype": str(obj).rsplit(".", 1)[-1]}
    if isinstance(obj, ember.device):
        return {"$device": str(obj)}
    for name in _ATTRS:
        if getattr(ember, name, object()) is obj:
            return {"$attr": name}
    raise TypeError(f"ember.jit.save: {where} has an argument of type {tp.__name__} "
                    f"({obj!r:.60}) that cannot be saved")


def _dec(obj: Any) -> Any:
    if isinstance(obj, list):
        return [_dec(x) for x in obj]
    if not isinstance(obj, dict):
        return obj
    (key, val), = obj.items()
    if key == "$ref":
        return Ref(val)
    if key == "$size":
        return SizeRef(*val)
    if key == "$tuple":
        return tuple(_dec(x) for x in val)
    if key == "$dict":
        return {_dec(k): _dec(v) for k, v in val}
    if key == "$slice":
        return slice(*(_dec(p) for p in val))
    if key == "$ellipsis":
        return Ellipsis
    if key == "$complex":
        return complex(*val)
    if key == "$device":
        return ember.device(val)
    if key in ("$dtype", "$attr"):
        found = getattr(ember, val, None)
        if found is None or (key == "$dtype" and not isinstance(found, ember.dtype)) or (
                key == "$attr" and val not in _ATTRS):
            raise RuntimeError(f"ember.jit.load: unknown {key[1:]} {val!r}")
        return found
    raise RuntimeError(f"ember.jit.load: unknown graph encoding {key!r}")


def _dtype_name(dt: Any) -> str:
    return str(dt).rsplit(".", 1)[-1]


def save(m: TracedModule | TracedFunction, f: str | os.PathLike | Any) -> None:
    """Writes ``m`` (a result of :func:`ember.jit.trace`) to ``f`` (a path or binary file).

    Example:
        >>> import ember, io
        >>> buf = io.BytesIO()
        >>> ember.jit.save(ember.jit.trace(ember.nn.Linear(2, 2), ember.ones(1, 2)), buf)
    """
    if not isinstance(m, (TracedModule, TracedFunction)):
        raise TypeError(f"ember.jit.save: expected the result of ember.jit.trace, got "
                        f"{type(m).__name__} (ember.jit.script results cannot be saved)")
    g = m.graph
    tensors: dict[str, Tensor] = {f"const/{vid}": t for vid, t in g.constants.items()}
    meta: dict[str, Any] = {"format": _FORMAT}
    if isinstance(m, TracedModule):
        params = dict(m.named_parameters())
        buffers = dict(m.named_buffers())
        tensors.update({f"param/{k}": v for k, v in params.items()})
        tensors.update({f"buffer/{k}": v for k, v in buffers.items() if v is not None})
        meta.update(kind="module", name=m.original_name, training=m.training,
                    frozen=[k for k, v in params.items() if not v.requires_grad])
    else:
        meta.update(kind="function", name=m.name)
    meta["values"] = [[v.vid, v.kind, v.name, _dtype_name(v.dtype), list(v.shape)]
                      for v in g.values.values()]
    meta["nodes"] = [[n.target, _enc(n.args, n.target), _enc(n.kwargs, n.target), n.outputs]
                     for n in g.nodes]
    meta["inputs"] = _enc(g.inputs, "inputs")
    meta["output"] = _enc(g.output, "output")
    meta["params"] = [[vid, name] for vid, name in g.params.items()]
    blob = safetensors.save({k: v.detach().clone().contiguous() for k, v in tensors.items()})
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as fh:
            _write(fh, meta, blob)
    else:
        _write(f, meta, blob)


def _write(fh: Any, meta: dict, blob: bytes) -> None:
    with zipfile.ZipFile(fh, "w") as z:
        z.writestr("ember_jit/graph.json", json.dumps(meta))
        z.writestr("ember_jit/tensors.safetensors", blob)


def _set_path(root: Module, path: str, tensor: Tensor, param: bool, grad: bool) -> None:
    *parents, leaf = path.split(".")
    for part in parents:
        if part not in root._modules:
            root._modules[part] = Module()
        root = root._modules[part]
    if param:
        root.register_parameter(leaf, Parameter(tensor, requires_grad=grad))
    else:
        root.register_buffer(leaf, tensor)


def load(f: str | os.PathLike | Any, map_location: Any = None,
         _extra_files: Any = None) -> TracedModule | TracedFunction:
    """Reads a module or function written by :func:`ember.jit.save` / ``.save(path)``.

    Args:
        f: a path or a binary file object.
        map_location: the device to load the tensors on (default ``"cpu"``).

    Example:
        >>> import ember, io
        >>> buf = io.BytesIO()
        >>> ember.jit.trace(ember.nn.Linear(2, 2), ember.ones(1, 2)).save(buf)
        >>> _ = buf.seek(0)
        >>> ember.jit.load(buf)(ember.ones(3, 2)).shape
        ember.Size([3, 2])
    """
    with zipfile.ZipFile(f if not isinstance(f, bytes) else io.BytesIO(f)) as z:
        meta = json.loads(z.read("ember_jit/graph.json"))
        blob = z.read("ember_jit/tensors.safetensors")
    if meta.get("format") != _FORMAT:
        raise RuntimeError(f"ember.jit.load: not an ember.jit file (format "
                           f"{meta.get('format')!r}, expected {_FORMAT!r})")
    tensors = safetensors.load(blob, device=map_location or "cpu")
    g = Graph()
    for vid, kind, name, dtype, shape in meta["values"]:
        g.values[vid] = Value(vid, kind, name, _dec({"$dtype": dtype}), tuple(shape))
    g.nodes = [Node(t, _dec(a), _dec(k), outs) for t, a, k, outs in meta["nodes"]]
    g.inputs, g.output = _dec(meta["inputs"]), _dec(meta["output"])
    g.params = {vid: name for vid, name in meta["params"]}
    g.constants = {int(k.split("/", 1)[1]): v for k, v in tensors.items()
                   if k.startswith("const/")}
    if meta["kind"] == "function":
        return TracedFunction(g, meta["name"])
    m = TracedModule(g, original_name=meta["name"])
    frozen = set(meta.get("frozen", ()))
    for key, t in tensors.items():
        kind, _, name = key.partition("/")
        if kind in ("param", "buffer"):
            _set_path(m, name, t, kind == "param", name not in frozen)
    m.train(meta.get("training", False))
    return m
