"""``ember.jit.script``: an honest stand-in for TorchScript's compiler.

NOTE [ script does not compile ]
PyTorch's ``torch.jit.script`` compiles a restricted subset of Python into TorchScript.
Ember has no such compiler: ``ember.jit.script`` returns a :class:`ScriptFunction` that runs
the Python function eagerly (same results, no speed-up, no static checks, not savable).
Use :func:`ember.jit.trace` for a real static graph that can be saved and exported.
"""

from __future__ import annotations

import functools
import inspect
import os
import textwrap
from collections.abc import Callable
from typing import Any

from ember.nn import Module

__all__ = ["ScriptFunction", "ScriptModule", "script"]


class ScriptModule(Module):
    """Base class of the modules :mod:`ember.jit` returns (PyTorch's ``ScriptModule``)."""


class ScriptFunction:
    """A function returned by :func:`ember.jit.script` (runs eagerly; NOTE [ script does
    not compile ]) or :func:`ember.jit.trace` (replays a graph).

    Example:
        >>> import ember
        >>> f = ember.jit.script(lambda x: x + x)
        >>> f(ember.ones(2))
        tensor([2., 2.])
    """

    def __init__(self, fn: Callable[..., Any]) -> None:
        self._fn = fn
        functools.update_wrapper(self, fn)
        self.name = getattr(fn, "__name__", "fn")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._fn(*args, **kwargs)

    @property
    def code(self) -> str:
        """The function's Python source (it is not compiled)."""
        try:
            return textwrap.dedent(inspect.getsource(self._fn))
        except (OSError, TypeError):
            return f"# source of {self.name} is not available\n"

    @property
    def graph(self) -> Any:
        raise RuntimeError(f"ember.jit.script does not compile, so {self.name!r} has no graph; "
                           f"use ember.jit.trace(fn, example_inputs) for a static graph")

    def save(self, f: str | os.PathLike | Any) -> None:
        raise RuntimeError(f"ember.jit.script does not compile, so {self.name!r} cannot be "
                           f"saved (Ember never pickles code); save ember.jit.trace(...)")

    def __repr__(self) -> str:
        return f"<ember.jit.ScriptFunction object {self.name}>"


def script(obj: Any, optimize: Any = None, _frames_up: int = 0, _rcb: Any = None,
           example_inputs: Any = None) -> Any:
    """Marks a function for TorchScript; in Ember it is **not compiled** and runs eagerly.

    PyTorch compiles ``obj`` to TorchScript. Ember has no TorchScript compiler (NOTE
    [ script does not compile ]): a function comes back as a :class:`ScriptFunction` that
    calls it unchanged (keeping ``__name__``; ``.code`` shows its source), and an
    ``nn.Module`` comes back as itself. Results are identical to calling ``obj``; nothing
    is checked or sped up, and the result cannot be saved. For a static graph that can be
    saved and exported to ONNX, use :func:`ember.jit.trace`.

    Args:
        obj: a function or ``nn.Module``.
        optimize, _frames_up, _rcb, example_inputs: accepted for PyTorch compatibility
            and ignored.

    Examples:
        >>> import ember
        >>> @ember.jit.script
        ... def double(x):
        ...     return x + x
        >>> double(ember.ones(2))
        tensor([2., 2.])
    """
    if isinstance(obj, (Module, ScriptFunction)):
        return obj
    if not callable(obj):
        raise RuntimeError(f"ember.jit.script: expected a function or nn.Module, got "
                           f"{type(obj).__name__}")
    return ScriptFunction(obj)
