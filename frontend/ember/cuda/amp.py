"""``ember.cuda.amp``: PyTorch's deprecated CUDA spellings of :class:`ember.amp.autocast` and
:class:`ember.amp.GradScaler`. Each warns that it is deprecated (a ``FutureWarning`` with
PyTorch's text) and, without CUDA, warns again and disables itself, so a training loop
written for a GPU runs unchanged in float32 on the CPU."""

from __future__ import annotations

import warnings

from .. import amp as _amp
from ..backend import _dtypes as D

__all__ = ["autocast", "GradScaler", "amp_definitely_not_available"]


def amp_definitely_not_available() -> bool:
    """True when CUDA is unavailable (so CUDA autocast and scaling disable themselves)."""
    from . import is_available

    return not is_available()


class autocast(_amp.autocast):  # noqa: N801 - PyTorch's name
    """``ember.amp.autocast("cuda", ...)`` under its deprecated name.

    Example:
        >>> import warnings, ember
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     with ember.cuda.amp.autocast(enabled=False):
        ...         ember.is_autocast_enabled("cuda")
        False
    """

    def __init__(self, enabled: bool = True, dtype: D.dtype = D.float16,
                 cache_enabled: bool = True) -> None:
        warnings.warn("`torch.cuda.amp.autocast(args...)` is deprecated. Please use "
                      "`torch.amp.autocast('cuda', args...)` instead.", FutureWarning,
                      stacklevel=2)
        super().__init__("cuda", enabled=enabled, dtype=dtype, cache_enabled=cache_enabled)


class GradScaler(_amp.GradScaler):
    """``ember.amp.GradScaler("cuda", ...)`` under its deprecated name.

    Example:
        >>> import warnings, ember
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     scaler = ember.cuda.amp.GradScaler()
        >>> scaler.is_enabled() == ember.cuda.is_available()
        True
    """

    def __init__(self, init_scale: float = 2.0**16, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000,
                 enabled: bool = True) -> None:
        warnings.warn("`torch.cuda.amp.GradScaler(args...)` is deprecated. Please use "
                      "`torch.amp.GradScaler('cuda', args...)` instead.", FutureWarning,
                      stacklevel=2)
        super().__init__("cuda", init_scale=init_scale, growth_factor=growth_factor,
                         backoff_factor=backoff_factor, growth_interval=growth_interval,
                         enabled=enabled)
