"""``ember.jit``: tracing to a static graph (``torch.jit``).

:func:`trace` records the tensor ops a function or module runs on example inputs into a
graph that can be replayed, printed (``.graph``, ``.code``), saved (:func:`save`,
:func:`load`) and exported to ONNX (:func:`ember.onnx.export`). :func:`script` does **not**
compile (NOTE [ script does not compile ]): it returns a wrapper that runs eagerly.

Example:
    >>> import ember
    >>> traced = ember.jit.trace(ember.nn.Linear(3, 2), ember.ones(1, 3))
    >>> traced(ember.ones(2, 3)).shape
    ember.Size([2, 2])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ._graph import Graph
from ._module import TracedFunction, TracedModule
from ._recorder import TracerWarning, is_tracing
from ._script import ScriptFunction, ScriptModule, script
from ._serialize import load, save
from ._trace import TracingCheckError, trace

__all__ = ["trace", "script", "save", "load", "TracedModule", "TracedFunction",
           "ScriptModule", "ScriptFunction", "TracerWarning", "TracingCheckError", "Graph",
           "is_tracing", "is_scripting", "ignore", "unused", "export", "annotate"]

_F = TypeVar("_F", bound=Callable[..., Any])


def is_scripting() -> bool:
    """Always ``False``: Ember never compiles (NOTE [ script does not compile ])."""
    return False


def ignore(drop: Any = False, **kwargs: Any) -> Any:
    """``@torch.jit.ignore``: a no-op in Ember (functions always run as Python)."""
    return drop if callable(drop) else (lambda fn: fn)


def unused(fn: _F) -> _F:
    """``@torch.jit.unused``: a no-op in Ember."""
    return fn


def export(fn: _F) -> _F:
    """``@torch.jit.export``: a no-op in Ember."""
    return fn


def annotate(the_type: Any, the_value: Any) -> Any:
    """``torch.jit.annotate(type, value)``: returns ``value``."""
    return the_value
