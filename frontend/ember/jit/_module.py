"""What a trace returns: :class:`TracedModule` and :class:`TracedFunction`, which replay the
recorded graph (NOTE [ Traced graph ]) on new inputs."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

from ember import Tensor
from ember.nn import Module

from ._graph import Graph, flatten_tensors, map_refs
from ._printing import code_str
from ._recorder import NAMESPACES
from ._script import ScriptFunction, ScriptModule

__all__ = ["TracedModule", "TracedFunction", "resolve_target"]


def resolve_target(target: str) -> Callable[..., Any]:
    """The callable a node's target names. It is looked up on every call (so a replay inside
    another trace is itself recorded); only Ember's public namespaces are allowed."""
    owner, _, name = target.rpartition(".")
    if owner == "Tensor":
        attr = vars(Tensor).get(name, getattr(Tensor, name, None))
        if attr is None:
            raise RuntimeError(f"ember.jit: the graph calls Tensor.{name}, which does not exist")
        if isinstance(attr, property):
            return lambda self: getattr(self, name)
        return lambda *args, **kwargs: getattr(Tensor, name)(*args, **kwargs)
    if owner not in NAMESPACES:
        raise RuntimeError(f"ember.jit: the graph calls {target!r}, which is not in Ember's "
                           f"public namespaces {NAMESPACES}")
    module = importlib.import_module(owner)
    if not callable(getattr(module, name, None)):
        raise RuntimeError(f"ember.jit: the graph calls {target}, which does not exist")
    return lambda *args, **kwargs: getattr(module, name)(*args, **kwargs)


def _get_path(root: Any, path: str) -> Any:
    for part in path.split("."):
        root = getattr(root, part)
    return root


class _Program:
    """A graph ready to replay: the targets resolved once."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.input_vids = graph.input_vids()
        self.steps = [(resolve_target(n.target), n.args, n.kwargs, n.outputs)
                      for n in graph.nodes]

    def run(self, root: Any, args: tuple, kwargs: dict) -> Any:
        inputs = flatten_tensors((args, kwargs))
        if len(inputs) != len(self.input_vids):
            raise RuntimeError(f"ember.jit: the traced function takes {len(self.input_vids)} "
                               f"tensor input(s) (as traced), got {len(inputs)}")
        env: dict[int, Any] = dict(zip(self.input_vids, inputs))
        env.update(self.graph.constants)
        for vid, name in self.graph.params.items():
            env[vid] = _get_path(root, name)
        for fn, fargs, fkwargs, outs in self.steps:
            result = fn(*map_refs(fargs, env), **map_refs(fkwargs, env))
            if outs:
                env.update(zip(outs, flatten_tensors(result)))
        return map_refs(self.graph.output, env)


class _Replays:
    """What both trace results offer: ``.graph``, ``.code`` and ``.save``."""

    _program: _Program

    @property
    def graph(self) -> Graph:
        """The recorded graph (print it for PyTorch's IR-style listing)."""
        return self._program.graph

    @property
    def code(self) -> str:
        """The graph as Python-like source."""
        is_module = isinstance(self, Module)
        return code_str(self._program.graph, is_module,
                        "forward" if is_module else getattr(self, "name", "forward"))

    def save(self, f: str | os.PathLike | Any) -> None:
        """Writes the graph and the tensors it uses; read back with :func:`ember.jit.load`."""
        from ._serialize import save

        save(self, f)  # type: ignore[arg-type]


class TracedModule(_Replays, ScriptModule):
    """A module whose ``forward`` replays a traced graph (what :func:`ember.jit.trace` returns
    for an ``nn.Module``). It shares the traced module's parameters, buffers and submodules,
    so later weight updates are seen; Python control flow is frozen as traced.

    Example:
        >>> import ember
        >>> traced = ember.jit.trace(ember.nn.Linear(3, 2), ember.ones(1, 3))
        >>> traced(ember.ones(4, 3)).shape
        ember.Size([4, 2])
    """

    def __init__(self, graph: Graph, module: Module | None = None,
                 original_name: str = "Module") -> None:
        super().__init__()
        if module is not None:
            self._parameters.update(module._parameters)
            self._buffers.update(module._buffers)
            self._non_persistent_buffers_set.update(module._non_persistent_buffers_set)
            self._modules.update(module._modules)
            self.training = module.training
            original_name = type(module).__name__
        self.original_name = original_name
        self._program = _Program(graph)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self._program.run(self, args, kwargs)

    def _get_name(self) -> str:
        return self.original_name

    def extra_repr(self) -> str:
        return f"original_name={self.original_name}"


class TracedFunction(_Replays, ScriptFunction):
    """A function that replays a traced graph (:func:`ember.jit.trace` of a function).

    Example:
        >>> import ember
        >>> f = ember.jit.trace(lambda x: x * 2 + 1, ember.ones(2))
        >>> f(ember.zeros(2))
        tensor([1., 1.])
    """

    def __init__(self, graph: Graph, name: str = "forward") -> None:
        self._program = _Program(graph)
        self.__name__ = self.name = name
        self.__qualname__ = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._program.run(None, args, kwargs)

