"""Grad modes: ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``inference_mode``.

Thread-local like PyTorch's: each thread starts with grad enabled.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
           "is_inference_mode_enabled", "grad_state"]


class _GradState(threading.local):
    def __init__(self) -> None:
        self.enabled = True
        self.inference = False


grad_state = _GradState()


def is_grad_enabled() -> bool:
    """True when operations are recorded for autograd in this thread."""
    return grad_state.enabled


def is_inference_mode_enabled() -> bool:
    """True inside ``inference_mode()``."""
    return grad_state.inference


class _DecoratorContextManager:
    """A context manager that also works as a decorator (``@no_grad()`` and ``@no_grad``)."""

    def __call__(self, func: Callable) -> Callable:
        if not callable(func):
            raise TypeError(f"{type(self).__name__} decorates a callable, got {func!r}")

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.clone():
                return func(*args, **kwargs)

        return wrapper

    def clone(self):
        return type(self)()


class no_grad(_DecoratorContextManager):
    """Disable gradient recording inside the block or decorated function.

    Example:
        >>> import ember
        >>> x = ember.ones(2, requires_grad=True)
        >>> with ember.no_grad():
        ...     y = x * 2
        >>> y.requires_grad
        False
    """

    def __new__(cls, func: Callable | None = None):
        self = super().__new__(cls)
        if func is not None and callable(func):  # bare @no_grad
            return _DecoratorContextManager.__call__(self, func)
        return self

    def __enter__(self) -> None:
        self.prev = grad_state.enabled
        grad_state.enabled = False

    def __exit__(self, *exc: object) -> None:
        grad_state.enabled = self.prev


class enable_grad(_DecoratorContextManager):
    """Enable gradient recording inside the block (e.g. within ``no_grad``)."""

    def __new__(cls, func: Callable | None = None):
        self = super().__new__(cls)
        if func is not None and callable(func):
            return _DecoratorContextManager.__call__(self, func)
        return self

    def __enter__(self) -> None:
        self.prev = grad_state.enabled
        grad_state.enabled = True

    def __exit__(self, *exc: object) -> None:
        grad_state.enabled = self.prev


class set_grad_enabled(_DecoratorContextManager):
    """Set grad mode on or off: as a call (takes effect at once), a context manager (restores
    on exit) or a decorator."""

    def __init__(self, mode: bool) -> None:
        self.prev = grad_state.enabled
        self.mode = bool(mode)
        grad_state.enabled = self.mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        grad_state.enabled = self.prev

    def clone(self):
        grad_state.enabled = self.prev
        return set_grad_enabled(self.mode)


class inference_mode(_DecoratorContextManager):
    """Like ``no_grad``, for inference-only code (``inference_mode(False)`` is a no-op)."""

    def __new__(cls, mode: Any = True):
        self = super().__new__(cls)
        if callable(mode):
            self.mode = True
            return _DecoratorContextManager.__call__(self, mode)
        self.mode = bool(mode)
        return self

    def __init__(self, mode: Any = True) -> None:
        pass

    def __enter__(self) -> None:
        self.prev = (grad_state.enabled, grad_state.inference)
        if self.mode:
            grad_state.enabled = False
            grad_state.inference = True

    def __exit__(self, *exc: object) -> None:
        grad_state.enabled, grad_state.inference = self.prev

    def clone(self):
        return inference_mode(self.mode)
