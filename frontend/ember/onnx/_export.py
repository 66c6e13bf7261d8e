"""``ember.onnx.export``: trace a model and write the graph as an ONNX model."""

from __future__ import annotations

import os
from typing import Any

from ember import Tensor
from ember.jit._graph import Graph, Node, Ref, refs
from ember.jit._module import TracedFunction, TracedModule, _get_path, resolve_target
from ember.nn import Module

from . import _ops_shape  # noqa: F401  (registers the shape converters)
from ._builder import Builder, UnsupportedOperatorError, _np_dtype
from ._ops import CONVERTERS, SIGNATURES, canonical

__all__ = ["export", "to_model_proto"]


def _require_onnx() -> Any:
    try:
        import onnx
    except ImportError as exc:
        raise ImportError("ember.onnx.export requires the 'onnx' package: "
                          "pip install onnx (and onnxruntime to run the exported model)"
                          ) from exc
    return onnx


def _bind(name: str, target: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    spec = SIGNATURES[name]
    bound: dict[str, Any] = {"op": name}
    rest = list(args)
    for item in spec:
        pname, default = (item, None) if isinstance(item, str) else item
        if pname.startswith("*"):
            bound[pname[1:]] = tuple(rest) + tuple(kwargs.get(pname[1:], ()))
            rest = []
        elif rest:
            bound[pname] = rest.pop(0)
        elif pname in kwargs:
            bound[pname] = kwargs[pname]
        elif isinstance(item, str):
            raise UnsupportedOperatorError(f"ember.onnx.export: {target} is missing argument "
                                           f"{pname!r}")
        else:
            bound[pname] = default
    extra = set(kwargs) - {p if isinstance(p, str) else p[0] for p in spec}
    extra -= {s[1:] for s in spec if isinstance(s, str) and s.startswith("*")}
    if rest or extra:
        raise UnsupportedOperatorError(f"ember.onnx.export: {target} called with arguments "
                                       f"the exporter does not know: {rest or sorted(extra)}")
    return bound


def _convert(b: Builder, node: Node, out_names: dict[int, str]) -> None:
    used = refs((node.args, node.kwargs))
    if all(isinstance(r, Ref) and r.vid in b.consts for r in used):
        b.fold(node, resolve_target(node.target))
        return
    name = canonical(node.target)
    converter = CONVERTERS.get(name)
    if converter is None:
        raise UnsupportedOperatorError(
            f"ember.onnx.export: the op {node.target!r} is not supported by the ONNX exporter "
            f"(supported: {', '.join(sorted(CONVERTERS))})")
    if len(node.outputs) != 1:
        raise UnsupportedOperatorError(f"ember.onnx.export: {node.target} with "
                                       f"{len(node.outputs)} outputs is not supported")
    vid = node.outputs[0]
    out = out_names.get(vid) or b.fresh(name)
    converter(b, _bind(name, node.target, node.args, node.kwargs), out)
    b.names[vid] = out


def _value_info(onnx: Any, name: str, dtype: Any, shape: tuple, dynamic: Any) -> Any:
    dims: list[Any] = list(shape)
    if isinstance(dynamic, dict):
        for axis, label in dynamic.items():
            dims[axis] = str(label)
    elif dynamic:
        for axis in dynamic:
            dims[axis] = f"{name}_dynamic_axes_{axis + 1}"
    elem = onnx.helper.np_dtype_to_tensor_dtype(_np_dtype(dtype))
    return onnx.helper.make_tensor_value_info(name, elem, dims)


def to_model_proto(graph: Graph, params: dict[int, Tensor], input_names: list[str] | None = None,
                   output_names: list[str] | None = None,
                   dynamic_axes: dict[str, Any] | None = None, opset_version: int = 17,
                   export_params: bool = True) -> Any:
    """The ONNX ``ModelProto`` of a traced graph whose parameters (value number -> tensor)
    are ``params`` (see :func:`export`)."""
    onnx = _require_onnx()
    dynamic_axes = dynamic_axes or {}
    b = Builder(onnx, graph, opset_version)
    in_vids = graph.input_vids()
    in_names = list(input_names or []) + [graph.values[v].name for v in in_vids][
        len(input_names or []):]
    b.names.update(zip(in_vids, in_names))
    for vid, pname in graph.params.items():
        b.names[vid] = pname
        if export_params:
            b.array(params[vid], pname)
    out_refs = refs(graph.output)
    out_labels = list(output_names or []) + [f"output_{i}" for i in range(len(out_refs))][
        len(output_names or []):]
    out_names = {}
    for ref, label in zip(out_refs, out_labels):
        if graph.values[ref.vid].kind == "node" and ref.vid not in out_names:
            out_names[ref.vid] = label
    for node in graph.nodes:
        _convert(b, node, out_names)
    for ref, label in zip(out_refs, out_labels):
        if b.names[ref.vid] != label:
            b.add("Identity", [b.names[ref.vid]], [label])
    inputs = [_value_info(onnx, n, graph.values[v].dtype, graph.values[v].shape,
                          dynamic_axes.get(n)) for v, n in zip(in_vids, in_names)]
    outputs = [_value_info(onnx, n, graph.values[r.vid].dtype, graph.values[r.vid].shape,
                           dynamic_axes.get(n)) for r, n in zip(out_refs, out_labels)]
    g = onnx.helper.make_graph(b.nodes, "ember_graph", inputs, outputs,
                               initializer=b.initializers)
    model = onnx.helper.make_model(g, producer_name="ember",
                                   opset_imports=[onnx.helper.make_opsetid("", opset_version)])
    model.ir_version = min(model.ir_version, 8)
    onnx.checker.check_model(model)
    return model


def export(model: Module | Any, args: Any, f: str | os.PathLike | Any | None = None,
           export_params: bool = True, verbose: bool = False, training: Any = None,
           input_names: list[str] | None = None, output_names: list[str] | None = None,
           operator_export_type: Any = None, opset_version: int | None = None,
           do_constant_folding: bool = True, dynamic_axes: dict[str, Any] | None = None,
           keep_initializers_as_inputs: Any = None, custom_opsets: Any = None,
           export_modules_as_functions: bool = False, dynamo: bool = False,
           **kwargs: Any) -> Any:
    """Exports a model to ONNX: traces it with :func:`ember.jit.trace` (in eval mode) and
    writes the recorded graph as ONNX nodes.

    Supported ops: linear/addmm/matmul, add/sub/mul/div/pow and the reflected operators,
    relu/leaky_relu/sigmoid/tanh/gelu and other simple unary ops, softmax/log_softmax,
    conv1d-3d, max/avg pooling, global adaptive average pooling, batch_norm (eval),
    layer_norm, dropout (eval, as Identity), flatten/view/reshape, transpose/permute/t,
    cat, (un)squeeze, mean/sum. Any other op raises :class:`UnsupportedOperatorError`
    naming it. Requires the ``onnx`` package (imported only here).

    Args:
        model (nn.Module or callable): the model (or an ``ember.jit.trace`` result).
        args (Tensor or tuple of Tensors): example inputs.
        f (str, path or binary file, optional): where to write the model.
        export_params (bool): store the parameters in the model. Default: ``True``.
        input_names, output_names (list of str, optional): names of the graph's inputs and
            outputs (default: the forward's argument names, ``output_0``, ...).
        opset_version (int, optional): the ONNX opset. Default: 17.
        dynamic_axes (dict, optional): ``{name: {axis: label}}`` or ``{name: [axis]}``, the
            axes whose size is not fixed (e.g. the batch).
        verbose, training, operator_export_type, do_constant_folding,
        keep_initializers_as_inputs, custom_opsets, export_modules_as_functions, dynamo:
            accepted for PyTorch compatibility and ignored.

    Returns:
        the ``onnx.ModelProto`` (PyTorch returns ``None``).

    Examples:
        >>> import io, ember
        >>> buf = io.BytesIO()
        >>> _ = ember.onnx.export(ember.nn.Linear(3, 2), ember.randn(1, 3), buf)
        >>> buf.getvalue()[:2] != b""
        True
    """
    _require_onnx()
    if isinstance(model, (TracedModule, TracedFunction)):
        traced = model
    else:
        from ember.jit import trace

        was_training = isinstance(model, Module) and model.training
        if isinstance(model, Module):
            model.eval()
        try:
            example = args if isinstance(args, (Tensor, tuple)) else tuple(args)
            if isinstance(example, tuple) and example and isinstance(example[-1], dict):
                example, kw = example[:-1], example[-1]
            else:
                kw = None
            traced = trace(model, example if example != () else None, check_trace=False,
                           example_kwarg_inputs=kw)
        finally:
            if was_training:
                model.train()
    graph = traced.graph
    params = {vid: _get_path(traced, name) for vid, name in graph.params.items()}
    proto = to_model_proto(graph, params, input_names, output_names, dynamic_axes,
                           opset_version or 17, export_params)
    if f is not None:
        data = proto.SerializeToString()
        if isinstance(f, (str, os.PathLike)):
            with open(f, "wb") as fh:
                fh.write(data)
        else:
            f.write(data)
    return proto
