"""NumPy's floating-point error state, silenced around Ember's kernels only.

# NOTE [ Quiet kernels ]
PyTorch never warns about ``log(0)``, ``1 / 0`` or an overflowing ``exp``: the result is
``-inf``, ``inf`` or ``nan`` as IEEE 754 says. NumPy warns (``RuntimeWarning: divide by
zero encountered in log``), and a warnings filter cannot hide that reliably (pytest and
``warnings.catch_warnings`` reset filters, ``simplefilter("always")`` overrides them). NumPy
keeps its error state in a context variable, which ``np.errstate`` sets and resets; its
Python wrapper costs several microseconds per call, so the kernels set the variable
directly (``token = quiet(QUIET)`` ... ``restore(token)``, a fraction of a microsecond).
The user's own NumPy code keeps its error state: the change lasts for one kernel call.
Where NumPy's layout differs (no ``_extobj_contextvar``), the two are no-ops and the
kernels run as they are, behind the module's warnings filter.
"""

from __future__ import annotations

from typing import Any

__all__ = ["QUIET", "quiet", "restore"]

QUIET: Any = None


def quiet(_state: Any) -> Any:  # pragma: no cover - replaced below where NumPy allows
    """Set NumPy's error state to ``_state`` for the current context; returns a token."""
    return None


def restore(_token: Any) -> None:  # pragma: no cover - replaced below where NumPy allows
    """Put back the error state :func:`quiet` replaced."""


try:
    from numpy._core.umath import _extobj_contextvar, _make_extobj
except ImportError:  # pragma: no cover - another NumPy layout: the warnings filter only
    pass
else:
    QUIET = _make_extobj(all="ignore")
    quiet, restore = _extobj_contextvar.set, _extobj_contextvar.reset  # type: ignore
