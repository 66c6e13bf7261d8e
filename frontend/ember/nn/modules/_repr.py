"""How a Module prints: ``Module.__repr__`` and PyTorch's ``typename``.

A module's repr is ``Name(extra_repr)`` on one line when it has one line of
``extra_repr()`` and no children, else one indented line per extra item and per child
``(name): repr(child)``.
"""

from __future__ import annotations

from typing import Any

from ember import Tensor

__all__ = ["typename", "module_repr"]


def typename(obj: Any) -> str:
    """The name PyTorch's ``torch.typename`` gives: ``'ember.FloatTensor'`` for a tensor,
    ``module.QualName`` for other objects."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module = obj.__class__.__module__ or ""
        qualname = obj.__class__.__qualname__
    return qualname if module in ("", "builtins") else f"{module}.{qualname}"


def _addindent(s: str, num_spaces: int) -> str:
    lines = s.split("\n")
    if len(lines) == 1:
        return s
    first = lines.pop(0)
    rest = [(num_spaces * " ") + line if line.strip() else "" for line in lines]
    return first + "\n" + "\n".join(rest)


def module_repr(self: Any) -> str:
    """``Module.__repr__``: the name, ``extra_repr()`` and the children, indented."""
    extra = self.extra_repr()
    extra_lines = extra.split("\n") if extra else []
    child_lines = ["(" + key + "): " + _addindent(repr(module), 2)
                   for key, module in self._modules.items()]
    lines = extra_lines + child_lines
    main = self._get_name() + "("
    if lines:
        if len(extra_lines) == 1 and not child_lines:
            main += extra_lines[0]
        else:
            main += "\n  " + "\n  ".join(lines) + "\n"
    return main + ")"
