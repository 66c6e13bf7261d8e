"""``ember.autocast``: the context manager and decorator that runs eligible ops (matmul,
linear, convolution) in a lower-precision dtype, as ``torch.autocast`` does."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

from ..backend import _dtypes as D
from . import _state as S

__all__ = ["autocast"]

_SUPPORTED = (D.bfloat16, D.float16)


def _cuda_unavailable() -> bool:
    from .. import cuda

    return not cuda.is_available()


class autocast:  # noqa: N801 - PyTorch's name
    """Context manager or decorator for mixed-precision regions.

    Inside an enabled region, ops that run well in lower precision (``matmul``, ``mm``,
    ``bmm``, ``nn.functional.linear``, ``conv1d/2d/3d``) cast their floating inputs (other
    than float64) to ``dtype``; every other op runs in its inputs' dtype. The state is
    thread-local; regions nest, and ``autocast(enabled=False)`` switches it off inside.

    Args:
        device_type (str): the device type to autocast, ``"cuda"`` or ``"cpu"`` (or the
            device type of another installed backend).
        dtype (ember.dtype, optional): the lower-precision dtype; ``None`` takes
            :func:`ember.get_autocast_dtype` (``float16`` on CUDA, ``bfloat16`` elsewhere).
        enabled (bool, optional): whether autocast is on in the region. Default: ``True``.
        cache_enabled (bool, optional): cache the casts of weights inside the region;
            ``None`` keeps the current setting.

    Without CUDA, ``autocast("cuda")`` warns and disables itself; on other devices a dtype
    other than ``bfloat16``/``float16`` warns and disables the region, with PyTorch's texts.

    Examples:
        >>> import ember
        >>> with ember.autocast("cpu"):
        ...     ember.is_autocast_enabled("cpu"), ember.get_autocast_dtype("cpu")
        (True, ember.bfloat16)
        >>> ember.is_autocast_enabled("cpu")
        False
    """

    def __init__(self, device_type: str, dtype: D.dtype | None = None, enabled: bool = True,
                 cache_enabled: bool | None = None) -> None:
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        self.device = device_type
        if not S.is_autocast_available(device_type):
            raise RuntimeError(
                f"User specified an unsupported autocast device_type '{device_type}'")
        self.fast_dtype = S.get_autocast_dtype(device_type) if dtype is None else dtype
        self._cache_enabled = (S.is_autocast_cache_enabled() if cache_enabled is None
                               else cache_enabled)
        if enabled:
            if device_type == "cuda":
                if _cuda_unavailable():
                    warnings.warn("CUDA is not available or torch_xla is imported. Disabling "
                                  "autocast.", stacklevel=2)
                    enabled = False
            elif self.fast_dtype not in _SUPPORTED:
                name = device_type.upper()
                warnings.warn(f"In {name} autocast, but the target dtype is not supported. "
                              f"Disabling autocast.\n{name} Autocast only supports dtypes of "
                              "torch.bfloat16, torch.float16 currently.", stacklevel=2)
                enabled = False
        self._enabled = enabled

    def __enter__(self) -> autocast:
        self.prev_cache_enabled = S.is_autocast_cache_enabled()
        self.prev = S.is_autocast_enabled(self.device)
        self.prev_fastdtype = S.get_autocast_dtype(self.device)
        S.set_autocast_enabled(self.device, self._enabled)
        S.set_autocast_dtype(self.device, self.fast_dtype)
        S.autocast_increment_nesting()
        S.set_autocast_cache_enabled(self._cache_enabled)
        return self

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> bool:
        if S.autocast_decrement_nesting() == 0:
            S.clear_autocast_cache()
        S.set_autocast_enabled(self.device, self.prev)
        S.set_autocast_dtype(self.device, self.prev_fastdtype)
        S.set_autocast_cache_enabled(self.prev_cache_enabled)
        return False

    def __call__(self, func: Callable) -> Callable:
        @functools.wraps(func)
        def decorate_autocast(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return decorate_autocast

    def __repr__(self) -> str:
        return (f"autocast(device_type={self.device!r}, dtype={self.fast_dtype}, "
                f"enabled={self._enabled})")
