"""An exception raised in a worker process, carried to the main process and raised there."""

from __future__ import annotations

import sys
import traceback
from typing import Any, NoReturn

__all__ = ["ExceptionWrapper", "KeyErrorMessage"]


class KeyErrorMessage(str):
    """A str whose repr is itself, so a re-raised ``KeyError`` prints its traceback text
    with real newlines (``KeyError`` shows the repr of its argument)."""

    def __repr__(self) -> str:
        return self


class ExceptionWrapper:
    """The type and formatted traceback of an exception, picklable (no frames are kept).

    Args:
        exc_info (tuple, optional): ``sys.exc_info()`` of the exception (default: the one
            being handled).
        where (str): where it happened, e.g. ``"in DataLoader worker process 0"``.

    Example:
        >>> from ember.utils.data._utils.errors import ExceptionWrapper
        >>> try:
        ...     raise ValueError("bad sample")
        ... except ValueError:
        ...     wrapped = ExceptionWrapper(where="in DataLoader worker process 0")
        >>> try:
        ...     wrapped.reraise()
        ... except ValueError as e:
        ...     print(str(e).splitlines()[0])
        Caught ValueError in DataLoader worker process 0.
    """

    def __init__(self, exc_info: tuple | None = None, where: str = "in background") -> None:
        # Only text is kept: a traceback holds frames, which hold the dataset, the batch, ...
        if exc_info is None:
            exc_info = sys.exc_info()
        self.exc_type: Any = exc_info[0]
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self) -> NoReturn:
        """Raise an exception of the original type whose message is the original traceback."""
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        elif getattr(self.exc_type, "message", None):
            raise self.exc_type(message=msg)
        try:
            exception = self.exc_type(msg)
        except Exception:
            # The type takes other arguments: fall back on a RuntimeError with the same text.
            raise RuntimeError(msg) from None
        raise exception
