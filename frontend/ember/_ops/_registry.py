"""The one registry of public ops (STYLE rule 10): every public function of ``ember`` and
every Tensor method defined by an op module is recorded here, so the conformance suite can
enumerate them and a new op cannot ship without conformance cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ._real_only import REAL_ONLY, real_only

__all__ = ["OpInfo", "OPS", "public", "attach_methods"]


@dataclass
class OpInfo:
    """A public op: its name, the function, and where it is exposed."""

    name: str
    fn: Callable
    module: str = "ember"  # public namespace ("ember", "ember.linalg", "ember.special")
    function: bool = True  # exposed as module.name
    method: str | None = None  # exposed as Tensor.<method>
    inplace: str | None = None  # name of the in-place Tensor method, if any
    extra_methods: tuple[str, ...] = field(default=())


OPS: dict[str, OpInfo] = {}
_METHODS: dict[str, Callable] = {}


def public(name: str | None = None, *, module: str = "ember", function: bool = True,
           method: str | bool | None = True, aliases: tuple[str, ...] = ()):
    """Register ``fn`` as a public op; ``method=True`` also makes it ``Tensor.<name>``."""

    def deco(fn: Callable) -> Callable:
        op_name = name or fn.__name__
        if module == "ember" and op_name in REAL_ONLY:  # refuses complex input, as PyTorch
            fn = real_only(op_name, REAL_ONLY[op_name], fn)
        meth = op_name if method is True else (method or None)
        key = op_name if module == "ember" else f"{module}.{op_name}"
        OPS[key] = OpInfo(op_name, fn, module, function, meth, None, tuple(aliases))
        if meth:
            _METHODS[meth] = fn
        for alias in aliases:
            if meth:
                _METHODS[alias] = fn
        return fn

    return deco


def method(name: str, fn: Callable) -> None:
    """Register a Tensor method that is not a public function (``add_``, ``view``, ...)."""
    _METHODS[name] = fn


def attach_methods(cls: type) -> None:
    """Install every registered method on ``cls`` (called once at import)."""
    for meth, fn in _METHODS.items():
        setattr(cls, meth, fn)
