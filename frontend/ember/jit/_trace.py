"""``ember.jit.trace``: run a function or module once and record its ops as a static graph."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from typing import Any

import ember
from ember import Tensor
from ember.nn import Module

from ._graph import Graph, flatten_tensors
from ._module import TracedFunction, TracedModule
from ._recorder import Recorder, TracerWarning

__all__ = ["trace", "TracingCheckError"]

_NONDETERMINISTIC = ("rand", "dropout", "bernoulli", "normal", "multinomial", "poisson",
                     "uniform", "rrelu", "exponential", "geometric", "cauchy")


class TracingCheckError(Exception):
    """A trace failed its sanity check (PyTorch's ``torch.jit.TracingCheckError``)."""

    def __init__(self, graph_diff_error: str, tensor_compare_error: str = "") -> None:
        self.message = "Tracing failed sanity checks!\n" + graph_diff_error
        if tensor_compare_error:
            self.message += "\n" + tensor_compare_error
        super().__init__(self.message)


def _input_names(fn: Callable[..., Any], n: int) -> list[str]:
    try:
        params = [p.name for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    return params[:n] + [f"input_{i}" for i in range(len(params), n)]


def _encode_inputs(rec: Recorder, obj: Any, name: str) -> Any:
    if isinstance(obj, Tensor):
        return rec.add_input(obj, name)
    if isinstance(obj, (tuple, list)):
        return type(obj)(_encode_inputs(rec, x, f"{name}_{i}") for i, x in enumerate(obj))
    if isinstance(obj, dict):
        return {k: _encode_inputs(rec, v, f"{name}_{k}") for k, v in obj.items()}
    return obj


def _record(fn: Callable[..., Any], args: tuple, kwargs: dict, module: Module | None,
            strict: bool) -> Graph:
    params = {} if module is None else {
        id(t): name for name, t in (*module.named_parameters(remove_duplicate=False),
                                    *module.named_buffers(remove_duplicate=False))}
    rec = Recorder(params)
    forward = module.forward if module is not None else fn
    names = _input_names(forward, len(args))
    rec.graph.inputs = tuple(_encode_inputs(rec, a, n) for a, n in zip(args, names))
    _encode_inputs(rec, kwargs, "kwarg")
    rec.install()
    try:
        out = fn(*args, **kwargs)
        if strict and isinstance(out, (list, dict)):
            kind = type(out).__name__
            warnings.warn(
                f"Encountering a {kind} at the output of the tracer might cause the trace to "
                f"be incorrect, this is only valid if the container structure does not change "
                f"based on the module's inputs. Consider using a constant container instead "
                f"(e.g. for `list`, use a `tuple` instead. for `dict`, use a `NamedTuple` "
                f"instead). If you absolutely need this and know the side effects, pass "
                f"strict=False to trace() to allow this behavior.", TracerWarning, stacklevel=3)
        if not flatten_tensors(out):
            raise RuntimeError(f"ember.jit.trace: the traced function must return tensors "
                               f"(or tuples/lists/dicts of them), got {type(out).__name__}")
        rec.graph.output = rec.encode(out)
        rec.graph.eliminate_dead_code()
    finally:
        rec.remove()
    return rec.graph


def _as_args(example_inputs: Any) -> tuple:
    if isinstance(example_inputs, Tensor):
        return (example_inputs,)
    if isinstance(example_inputs, tuple):
        return example_inputs
    if isinstance(example_inputs, list):
        return tuple(example_inputs)
    raise TypeError(f"ember.jit.trace: example_inputs must be a Tensor or a tuple of Tensors, "
                    f"got {type(example_inputs).__name__}")


def _compare(expected: Any, got: Any, tolerance: float) -> str:
    exp, out = flatten_tensors(expected), flatten_tensors(got)
    if len(exp) != len(out):
        return f"the traced function returned {len(out)} tensors, the Python one {len(exp)}"
    for i, (e, g) in enumerate(zip(exp, out)):
        e, g = e.detach(), g.detach()
        if e.shape != g.shape or e.dtype != g.dtype:
            return (f"output {i}: traced {g.dtype}{list(g.shape)} != Python "
                    f"{e.dtype}{list(e.shape)}")
        if not ember.allclose(g.double(), e.double(), rtol=tolerance, atol=tolerance,
                              equal_nan=True):
            diff = (g.double() - e.double()).abs().max().item()
            return (f"Comparison exception: output {i} of the traced function does not match "
                    f"the Python function (max abs difference {diff}, tolerance {tolerance})")
    return ""


def _check(fn: Callable[..., Any], traced: Any, graph: Graph, module: Module | None,
           check_inputs: list | None, kwargs: dict, tolerance: float, strict: bool,
           example: tuple) -> None:
    state = None if module is None else {k: v.clone() for k, v in module.state_dict().items()}
    try:
        for inputs in check_inputs or [example]:
            args = _as_args(inputs)
            again = _record(fn, args, kwargs, module, strict)
            if again.signature() != graph.signature():
                first = [t for t, _ in graph.signature()]
                second = [t for t, _ in again.signature()]
                raise TracingCheckError(f"Graphs differed across invocations!\n  first:  "
                                        f"{first}\n  second: {second}")
            with ember.no_grad():
                error = _compare(fn(*args, **kwargs), traced(*args, **kwargs), tolerance)
            if error:
                if any(k in n.target for n in graph.nodes for k in _NONDETERMINISTIC):
                    warnings.warn("Trace had nondeterministic nodes. Did you forget to call "
                                  ".eval() on your model? " + error, TracerWarning,
                                  stacklevel=3)
                    return
                raise TracingCheckError("", error)
    finally:
        if state is not None:
            for key, value in module.state_dict().items():
                with ember.no_grad():
                    value.copy_(state[key])


def trace(func: Callable[..., Any] | Module, example_inputs: Any = None, optimize: Any = None,
          check_trace: bool = True, check_inputs: list | None = None,
          check_tolerance: float = 1e-5, strict: bool = True, _force_outplace: bool = False,
          _module_class: Any = None, _compilation_unit: Any = None,
          example_kwarg_inputs: dict | None = None, _store_inputs: bool = True) -> Any:
    """Traces a function or module: runs it once on ``example_inputs`` and records the tensor
    ops it performs as a static graph, which the result replays on new inputs.

    Only the ops are recorded: Python control flow (``if``, loops) is frozen as it ran, and
    a Python value taken from a tensor (``.item()``, ``bool(t)``) becomes a constant, with a
    :class:`TracerWarning`. Sizes read with ``x.size(d)``/``x.shape`` stay dynamic.
    Parameters and buffers are referenced by name, so the traced module follows later
    weight updates.

    Args:
        func (callable or nn.Module): what to trace; a module's ``forward`` is traced through
            ``module(...)``.
        example_inputs (Tensor or tuple of Tensors): the positional inputs of the trace run.
        check_trace (bool): trace again on ``check_inputs`` and check that the graph and the
            outputs (rtol = atol = ``check_tolerance``) agree with the Python function.
            Default: ``True``.
        check_inputs (list of tuples, optional): inputs for the check (default: the examples).
        check_tolerance (float): the tolerance of the check. Default: ``1e-5``.
        strict (bool): warn about list/dict outputs. Default: ``True``.
        example_kwarg_inputs (dict, optional): keyword inputs, instead of or with
            ``example_inputs``.
        optimize, _force_outplace, _module_class, _compilation_unit, _store_inputs: accepted
            for PyTorch compatibility and ignored.

    Returns:
        a :class:`TracedModule` for a module, else a :class:`TracedFunction`; both have
        ``.graph``, ``.code`` and ``.save(path)``.

    Examples:
        >>> import ember
        >>> model = ember.nn.Linear(3, 2)
        >>> traced = ember.jit.trace(model, ember.randn(1, 3))
        >>> x = ember.randn(5, 3)
        >>> bool((traced(x) == model(x)).all())
        True
    """
    if isinstance(func, ScriptFunctionTypes):
        return func
    args = () if example_inputs is None else _as_args(example_inputs)
    kwargs = dict(example_kwarg_inputs or {})
    if not args and not kwargs:
        raise RuntimeError("ember.jit.trace: example_inputs (or example_kwarg_inputs) is "
                           "required")
    module = func if isinstance(func, Module) else None
    if not callable(func):
        raise TypeError(f"ember.jit.trace: expected a function or nn.Module, got "
                        f"{type(func).__name__}")
    graph = _record(func, args, kwargs, module, strict)
    if module is not None:
        traced: Any = TracedModule(graph, module)
    else:
        traced = TracedFunction(graph, getattr(func, "__name__", "forward"))
    if check_trace:
        _check(func, traced, graph, module, check_inputs, kwargs, check_tolerance, strict, args)
    return traced


ScriptFunctionTypes = (TracedModule, TracedFunction)
